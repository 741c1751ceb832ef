import type { Client } from '../../../shared/contract/client';
import { isPlaygroundError } from '../../../shared/contract/errors';
import { type TlsCertificate, tlsCertificate } from '../../../shared/net/contract';
import { type ControlError, controlError, isCancelled, parseSecondsField, placeError } from '../../net/errors';
import { CancellableCall } from '../../net/connect';
import type { SendOutcome } from '../../net/session';
import { without } from '../../net/session';
import type { ComposerControl, ComposerState, ComposerStore, ConnectionMode, SendFields } from './composerState';
import type { HttpExchanges } from './exchanges';
import type { ComposerTarget } from './target';

export const connectionModes: readonly ConnectionMode[] = ['new', 'keep', 'pipeline'];

export const connectionModeLabels: Record<ConnectionMode, string> = {
  new: 'New connection per request (non-persistent)',
  keep: 'Keep the connection open (persistent)',
  pipeline: 'Pipelining: every request in the text at once',
};

export const initialSend: SendFields = {
  connection: 'new',
  connectDeadline: '10',
  responseDeadline: '30',
  phase: 'idle',
  connectWait: undefined,
  responseWait: undefined,
  lastSend: undefined,
  refusedCertificate: undefined,
};

/** Extra time the call itself gets beyond the deadline the Node side keeps, so the Node side's message wins. */
const callGraceMs = 5000;
const encoder = new TextEncoder();

/**
 * Sending the text through `http.send`: the connection choice and the deadlines, the
 * visible connect and response countdowns with their Cancel, and what the last send did.
 * A failure sits beside the control that caused it; the text is never touched.
 */
export class ComposerSend {
  private readonly connecting = new CancellableCall();
  /** Exchanges of the last send still waiting for their end. */
  private readonly pending = new Set<string>();
  /** Ends that overtook their send's result (events can arrive before the call returns). */
  private readonly endedEarly = new Set<string>();
  private readonly unsubscribes: Array<() => void> = [];

  constructor(
    private readonly store: ComposerStore,
    private readonly client: Client,
    private readonly target: ComposerTarget,
    private readonly exchanges: HttpExchanges,
  ) {
    this.unsubscribes.push(
      client.on('http.progress', (payload) => {
        const wait = this.state.responseWait;
        if (wait && this.pending.has(payload.exchangeId)) {
          this.store.set({ ...this.state, responseWait: { ...wait, startedAt: this.store.now() } });
        }
      }),
      client.on('http.exchangeEnd', (payload) => this.exchangeEnded(payload.exchangeId)),
      client.on('http.connectionClosed', (payload) => {
        if (this.state.responseWait?.connectionId === payload.connectionId) this.stopWaiting();
      }),
    );
  }

  /** The composer's one state, as it is now. */
  private get state(): ComposerState {
    return this.store.state;
  }

  setConnection(connection: ConnectionMode): void {
    this.store.set({ ...this.state, connection, errors: without(this.state.errors, 'send') });
  }

  setConnectDeadline(connectDeadline: string): void {
    this.store.set({
      ...this.state,
      connectDeadline,
      errors: without(this.state.errors, 'connectDeadline'),
    });
  }

  setResponseDeadline(responseDeadline: string): void {
    this.store.set({
      ...this.state,
      responseDeadline,
      errors: without(this.state.errors, 'responseDeadline'),
    });
  }

  /** Encodes the text as UTF-8 exactly as typed (broken requests included) and sends it. */
  async send(): Promise<SendOutcome> {
    if (this.state.phase === 'connecting') return 'failed';
    const target = this.target.resolve('send');
    const connect = parseSecondsField(this.state.connectDeadline, false);
    const response = parseSecondsField(this.state.responseDeadline, false);
    const errors: { [C in ComposerControl]?: ControlError } = {};
    if (!connect.ok) errors.connectDeadline = controlError(connect.message);
    if (!response.ok) errors.responseDeadline = controlError(response.message);
    const raw = encoder.encode(this.state.text);
    if (raw.length === 0) {
      errors.text = controlError(
        'The request is empty: type a request line (GET / HTTP/1.1), headers and an empty line.',
      );
    }
    if (
      !target ||
      !connect.ok ||
      !response.ok ||
      connect.ms === undefined ||
      response.ms === undefined ||
      raw.length === 0
    ) {
      this.store.set({ ...this.state, errors: { ...this.state.errors, ...errors } });
      return 'invalid';
    }
    const connectTimeoutMs = connect.ms;
    const responseTimeoutMs = response.ms;
    this.store.set({
      ...this.state,
      phase: 'connecting',
      connectWait: { startedAt: this.store.now(), timeoutMs: connectTimeoutMs },
      errors: {},
      note: undefined,
      // What the previous send did would read as this one's outcome.
      lastSend: undefined,
      refusedCertificate: undefined,
    });
    const outcome = await this.connecting.run((signal) =>
      this.client.call(
        'http.send',
        {
          target: target.send,
          raw,
          connection: this.state.connection === 'new' ? 'new' : 'keep',
          connectTimeoutMs,
          responseTimeoutMs,
        },
        { signal, timeoutMs: connectTimeoutMs + responseTimeoutMs + callGraceMs },
      ),
    );
    if (!outcome.ok) {
      const { error } = outcome;
      this.store.set({ ...this.state, phase: 'idle', connectWait: undefined });
      if (isCancelled(error)) {
        this.store.set({ ...this.state, note: `Connecting to ${target.label} was cancelled; nothing was sent.` });
        return 'failed';
      }
      const urlControl = this.state.targetMode === 'url' ? 'url' : 'host';
      const placed = placeError(error, 'send', {
        fields: {
          host: urlControl,
          port: this.state.targetMode === 'url' ? 'url' : 'port',
          connectTimeoutMs: 'connectDeadline',
          responseTimeoutMs: 'responseDeadline',
          raw: 'text',
        },
        codes: { E_DNS: urlControl },
      });
      if (placed.error.code !== 'E_BAD_REQUEST') {
        this.exchanges.trackFailure(
          { method: firstMethod(this.state.text), request: raw, target: target.label, origin: target.url.origin },
          placed.error,
        );
      }
      this.store.setError(placed.control, placed.error);
      if (placed.error.code === 'E_TLS_CERT')
        this.store.set({ ...this.state, refusedCertificate: refusedCertificate(error) });
      return 'failed';
    }
    const { result } = outcome;
    this.exchanges.trackSend(result, { raw, target: target.label, origin: target.url.origin });
    const waiting = result.exchanges.map((e) => e.exchangeId).filter((id) => !this.endedEarly.delete(id));
    this.pending.clear();
    for (const id of waiting) this.pending.add(id);
    this.store.set({
      ...this.state,
      phase: 'idle',
      connectWait: undefined,
      responseWait:
        waiting.length > 0
          ? { startedAt: this.store.now(), timeoutMs: responseTimeoutMs, connectionId: result.connectionId }
          : undefined,
      lastSend: {
        connectionId: result.connectionId,
        localPort: result.local.port,
        reused: result.reused,
        requests: result.exchanges.length,
        bytes: result.sentBytes,
        target: target.label,
        certificate: result.certificate,
      },
    });
    return 'sent';
  }

  /** The Cancel beside the connect countdown: nothing has been sent yet. */
  cancelConnect(): void {
    this.connecting.cancel();
  }

  /** The Cancel beside the response countdown: HTTP/1.1 can only stop a response by closing its connection. */
  async cancelResponse(): Promise<void> {
    const wait = this.state.responseWait;
    if (!wait) return;
    this.stopWaiting();
    try {
      await this.client.call('http.cancel', { connectionId: wait.connectionId });
      this.store.set({
        ...this.state,
        note: 'Stopped waiting: the connection was closed (HTTP/1.1 has no other way to stop a response).',
      });
    } catch (error) {
      this.store.setError('send', placeError(error, 'send').error);
    }
  }

  connectionLost(): void {
    this.connecting.cancel();
    this.stopWaiting();
    this.exchanges.connectionLost();
  }

  dispose(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  private exchangeEnded(exchangeId: string): void {
    if (!this.pending.delete(exchangeId)) {
      if (this.state.phase === 'connecting') {
        this.endedEarly.add(exchangeId);
        if (this.endedEarly.size > 1000) this.endedEarly.clear();
      }
      return;
    }
    if (this.pending.size === 0) this.stopWaiting();
  }

  private stopWaiting(): void {
    this.pending.clear();
    if (this.state.responseWait) this.store.set({ ...this.state, responseWait: undefined });
  }
}

function firstMethod(text: string): string {
  return /^\s*([^\s]+)/.exec(text)?.[1] ?? '';
}

/** The certificate a refused TLS connect carries in its error's details, if it is one. */
function refusedCertificate(error: unknown): TlsCertificate | undefined {
  if (!isPlaygroundError(error)) return undefined;
  const parsed = tlsCertificate.safeParse(error.details?.certificate);
  return parsed.success ? parsed.data : undefined;
}
