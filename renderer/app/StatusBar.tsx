import { useEffect, useState } from 'react';
import type { CallOptions, Client } from '../../shared/contract/client';
import { isPlaygroundError } from '../../shared/contract/errors';
import type { EventPayloadOf, ResponseOf } from '../../shared/contract/index';
import { clockTime, connectionDetail, connectionHeadline, milliseconds, platformName, transportName } from './format';
import { useConnection, useConnectionState, useEvent } from './hooks';

type Loaded<T> = { kind: 'waiting' } | { kind: 'ok'; value: T } | { kind: 'error'; message: string };

const callTimeoutMs = 5000;
/** The app link's round trip changes with load, so it is measured again this often. */
const roundTripEveryMs = 10_000;

/**
 * The bottom bar: which transport, whether it is connected, and what the Node side
 * says about itself. `app.info`, `app.ping` and `clock.tick` prove the command, byte
 * and event paths every time the connection is (re)made.
 */
export function StatusBar() {
  const manager = useConnection();
  const { client } = manager;
  const state = useConnectionState();
  const [info, setInfo] = useState<Loaded<ResponseOf<'app.info'>>>({ kind: 'waiting' });
  const [roundTrip, setRoundTrip] = useState<Loaded<number>>({ kind: 'waiting' });
  const [tick, setTick] = useState<EventPayloadOf<'clock.tick'> | undefined>();
  useEvent('clock.tick', setTick);

  // Keyed on the connection number, so it runs once per (re)connection.
  const connection = state.status === 'connected' ? state.connections : 0;
  useEffect(() => {
    if (connection === 0) return;
    const abort = new AbortController();
    const options = { signal: abort.signal, timeoutMs: callTimeoutMs };
    const failed = (what: string, set: (value: { kind: 'error'; message: string }) => void) => (error: unknown) => {
      if (abort.signal.aborted) return;
      const message = isPlaygroundError(error) || error instanceof Error ? error.message : String(error);
      set({ kind: 'error', message: `${what}: ${message}` });
    };
    setRoundTrip({ kind: 'waiting' });
    client.call('app.info', {}, options).then(
      (value) => {
        if (!abort.signal.aborted) setInfo({ kind: 'ok', value });
      },
      failed('app.info failed', setInfo),
    );
    const measure = () =>
      measureRoundTrip(client, options).then(
        (ms) => {
          if (!abort.signal.aborted) setRoundTrip({ kind: 'ok', value: ms });
        },
        failed('app.ping failed', setRoundTrip),
      );
    void measure();
    const every = setInterval(() => void measure(), roundTripEveryMs);
    abort.signal.addEventListener('abort', () => clearInterval(every));
    return () => abort.abort();
  }, [client, connection]);

  const detail = connectionDetail(state);
  const live = state.status === 'connected';
  return (
    <footer className="status-bar" role="contentinfo" aria-label="Status bar">
      <div className={`status-item connection is-${state.status}`}>
        <span className="status-dot" aria-hidden="true" />
        <span role="status" className="status-headline">
          {connectionHeadline(state)}
        </span>
        {detail && <span className="status-detail">{detail}</span>}
      </div>
      <StatusItem label="Transport">{transportName(manager.transport)}</StatusItem>
      <StatusItem label="Version">{show(info, (value) => `v${value.version}`)}</StatusItem>
      <StatusItem label="Runs on">
        {show(info, (value) => `Node ${value.node} · ${platformName(value.platform, value.arch)}`)}
      </StatusItem>
      <StatusItem label="App link">
        <span
          className="mono"
          title="Round trip between this window and the app's own Node side, measured every 10 s: not the network"
        >
          {live ? show(roundTrip, milliseconds) : '—'}
        </span>
      </StatusItem>
      <StatusItem label="Node side time">
        {tick ? (
          <>
            <time className="mono" dateTime={new Date(tick.now).toISOString()}>
              {clockTime(tick.now)}
            </time>
            {!live && <span className="status-stale"> (last seen)</span>}
          </>
        ) : (
          '—'
        )}
      </StatusItem>
    </footer>
  );
}

function StatusItem({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="status-item">
      <span className="status-label">{label}</span> <span className="status-value">{children}</span>
    </div>
  );
}

function show<T>(loaded: Loaded<T>, format: (value: T) => string): React.ReactNode {
  if (loaded.kind === 'ok') return format(loaded.value);
  if (loaded.kind === 'error') return <span className="status-error">{loaded.message}</span>;
  return '…';
}

/**
 * The app link's round trip (this page to the Node side, not the network): the best of a few sequential 32-byte pings, because the
 * first call after connecting also pays for warm-up on both sides.
 */
async function measureRoundTrip(client: Client, options: CallOptions, samples = 5): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < samples; i++) {
    const sent = crypto.getRandomValues(new Uint8Array(32));
    const started = performance.now();
    const { data } = await client.call('app.ping', { data: sent }, options);
    const elapsed = performance.now() - started;
    if (!sameBytes(sent, data)) throw new Error('the bytes came back different');
    best = Math.min(best, elapsed);
  }
  return best;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
}
