import { useEffect, useId, useReducer } from 'react';
import { formatByteCount } from '../../../shared/bytes';
import { formatSocketAddress } from '../../net/format';
import { ListenFields, ListeningOn, ServerCounters, ServerHeading, StartStop } from '../../net/ServerControls';
import { useStore } from '../../net/useStore';
import { TranscriptView } from '../../transcript/TranscriptView';
import type { DnsHierarchyModel, DnsServerModel } from './model';

/** The authoritative server for a typed zone, and the hierarchy with its resolver. */
export function DnsServerView({
  model,
  onAsk,
}: {
  model: DnsServerModel;
  onAsk: (host: string, port: number) => void;
}) {
  const state = useStore(model);
  const zone = useStore(model.zone);
  const headingId = useId();
  const zoneId = useId();
  const locked = state.phase !== 'stopped';
  return (
    <section className="panel server-panel" aria-labelledby={headingId}>
      <ServerHeading id={headingId} title="DNS server" phase={state.phase} />
      <p className="panel-intro">
        An authoritative server for the zone below (RFC 1035 master-file syntax), on UDP and TCP at the same port.
      </p>
      <ListenFields model={model} state={state} />
      <div className="field">
        <label htmlFor={zoneId}>Zone</label>
        <textarea
          id={zoneId}
          className="dns-zone mono"
          rows={12}
          value={zone.text}
          spellCheck={false}
          onChange={(e) => model.setZone(e.target.value)}
          aria-invalid={zone.errors.length > 0 || zone.startError ? true : undefined}
          disabled={locked}
        />
        {zone.errors.length > 0 && (
          <ul className="control-error" role="alert" aria-label="Zone errors">
            {zone.errors.slice(0, 10).map((e, i) => (
              <li key={i}>
                line {e.line}, column {e.column}: {e.message}
              </li>
            ))}
          </ul>
        )}
        {zone.startError && (
          <p className="control-error" role="alert">
            {zone.startError}
          </p>
        )}
      </div>
      <StartStop model={model} state={state}>
        <ListeningOn local={state.local} />
      </StartStop>
      {state.errors.start && (
        <p className="control-error" role="alert">
          {state.errors.start.message}
        </p>
      )}
      {state.counters && (
        <ServerCounters
          label="DNS server counters"
          rows={[
            ['Queries', String(state.counters.queries)],
            ['Replies', String(state.counters.replies)],
            ['Bytes received', formatByteCount(state.counters.bytesReceived)],
            ['Bytes replied', formatByteCount(state.counters.bytesReplied)],
          ]}
        />
      )}
      <HierarchyView model={model.hierarchy} onAsk={onAsk} />
      <TranscriptView
        model={model.log}
        label="Server log"
        emptyText="Start the server: every query and reply shows here."
      />
    </section>
  );
}

function HierarchyView({ model, onAsk }: { model: DnsHierarchyModel; onAsk: (host: string, port: number) => void }) {
  const state = useStore(model);
  const { started } = state;
  return (
    <>
      <h3>The hierarchy</h3>
      <p className="field-hint">
        Root (.) on 127.0.0.1, lab. on 127.0.0.2, example.lab. on 127.0.0.3 — one port for all, like 53 everywhere — and
        a local caching resolver. Ask the root with RD off and follow the referrals, or ask the resolver with RD on.
      </p>
      <div className="actions">
        {state.phase === 'running' || state.phase === 'stopping' ? (
          <button type="button" onClick={() => void model.stop()} disabled={state.phase === 'stopping'}>
            Stop the hierarchy
          </button>
        ) : (
          <button type="button" onClick={() => void model.start()} disabled={state.phase === 'starting'}>
            Start root, TLD and authoritative servers
          </button>
        )}
      </div>
      {state.error && (
        <p className="control-error" role="alert">
          {state.error}
        </p>
      )}
      {started && (
        <ul className="dns-hierarchy" aria-label="Hierarchy servers">
          {[...started.servers, started.resolver].map((s) => (
            <li key={s.serverId}>
              {s.role === 'resolver' ? 'local resolver' : `${s.role} (${s.zone})`} at {formatSocketAddress(s.local)}{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => onAsk(s.local.address, s.local.port)}
                aria-label={`Ask the ${s.role === 'resolver' ? 'local resolver' : `${s.role} server`}`}
              >
                ask this server
              </button>
            </li>
          ))}
        </ul>
      )}
      {started && <CacheView model={model} />}
    </>
  );
}

/** The resolver's cache, each set's TTL counting down once a second. */
function CacheView({ model }: { model: DnsHierarchyModel }) {
  const { cache } = useStore(model);
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (cache.length === 0) return;
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [cache.length]);
  if (cache.length === 0) {
    return <p className="field-hint">The resolver&apos;s cache is empty: ask it something with RD on.</p>;
  }
  return (
    <table className="dns-fields" aria-label="Resolver cache">
      <thead>
        <tr>
          <th>Cached</th>
          <th>TTL</th>
          <th>Left</th>
        </tr>
      </thead>
      <tbody>
        {cache.map((c) => {
          const left = model.secondsLeft(c);
          return (
            <tr key={c.key}>
              <td className="mono" title={c.records.join('\n')}>
                {c.key}
              </td>
              <td className="mono">{c.ttl} s</td>
              <td className="mono">{left > 0 ? `${left} s` : 'expired'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
