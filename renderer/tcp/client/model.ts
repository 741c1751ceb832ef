import type { Client } from '../../../shared/contract/client';
import { PlaygroundError } from '../../../shared/contract/errors';
import type { EventPayloadOf, ResponseOf } from '../../../shared/contract/index';
import type { ResolvedAddress, SocketAddress } from '../../../shared/net/contract';
import { type ComposerState, compose } from '../../net/composer';
import { CancellableCall, checkConnectFields, connectFailure } from '../../net/connect';
import { type ControlError, controlError, parseSecondsField, placeError } from '../../net/errors';
import { formatAddress } from '../../net/format';
import { type ModelOptions, type SendOutcome, type Wait, without } from '../../net/session';
import { newSocketClient, SocketClientModel, type SocketClientState } from '../../net/socketClient';

export type TcpClientControl =
  | 'host'
  | 'port'
  | 'connectDeadline'
  | 'idleDeadline'
  | 'replyDeadline'
  | 'message'
  | 'connect'
  | 'send'
  | 'shutdown'
  | 'disconnect'
  | 'cancelIdle';

export interface TcpConnection {
  readonly sessionId: string;
  readonly local: SocketAddress;
  readonly peer: SocketAddress;
  /** The handshake round trip: SYN sent until the connection was established. */
  readonly connectMs: number;
  readonly resolved: readonly ResolvedAddress[];
  readonly open: boolean;
  /** We shut down our write side (half-close). */
  readonly writeShut: boolean;
  /** The server shut down its write side (FIN). */
  readonly peerEnded: boolean;
  readonly closeReason?: 'local' | 'peer' | 'reset' | 'error' | 'idle' | 'lost' | undefined;
}

export interface TcpClientState extends SocketClientState<TcpClientControl> {
  /** Seconds as typed. */
  readonly connectDeadline: string;
  readonly phase: 'idle' | 'connecting' | 'connected';
  /** The current connection, or the last one once it closed (its addresses stay readable). */
  readonly connection: TcpConnection | undefined;
  readonly connectWait: Wait | undefined;
  /** Seconds as typed: close the connection after this long with nothing sent or received; empty: never. */
  readonly idleDeadline: string;
  /** The idle deadline of the open connection, restarted by every send and every arrival. */
  readonly idleWait: Wait | undefined;
}

/** Extra time the call itself gets beyond the deadline the Node side keeps, so the Node side's message wins. */
const callGraceMs = 5000;

const placement = {
  fields: {
    host: 'host',
    port: 'port',
    timeoutMs: 'connectDeadline',
    idleTimeoutMs: 'idleDeadline',
    replyTimeoutMs: 'replyDeadline',
    data: 'message',
  },
  codes: { E_DNS: 'host' },
} as const;

/**
 * One TCP client tab: the fields as typed, the connection (addresses, handshake time,
 * half-close state), the visible waits, errors beside their controls, and the
 * transcript. Consumes call results and `tcp.*` events; React only renders it.
 */
export class TcpClientModel extends SocketClientModel<TcpClientControl, TcpClientState> {
  private readonly connecting = new CancellableCall();

  constructor(client: Client, tabId: string, label: string, options: ModelOptions = {}) {
    super(client, tabId, label, options, {
      ...newSocketClient,
      connectDeadline: '10',
      phase: 'idle',
      connection: undefined,
      connectWait: undefined,
      idleDeadline: '',
      idleWait: undefined,
    });
  }

  get sessionId(): string | undefined {
    const { connection } = this.state;
    return connection?.open ? connection.sessionId : undefined;
  }

  setHost(host: string): void {
    this.patch({ host }, 'host', 'connect');
  }

  setPort(port: string): void {
    this.patch({ port }, 'port', 'connect');
  }

  setConnectDeadline(connectDeadline: string): void {
    this.patch({ connectDeadline }, 'connectDeadline');
  }

  setIdleDeadline(idleDeadline: string): void {
    this.patch({ idleDeadline }, 'idleDeadline');
  }

  setReplyDeadline(replyDeadline: string): void {
    this.patch({ replyDeadline }, 'replyDeadline');
  }

  setComposer(change: Partial<ComposerState>): void {
    this.patch({ composer: { ...this.state.composer, ...change } }, 'message', 'send');
  }

  async connect(): Promise<boolean> {
    if (this.state.phase !== 'idle') return false;
    const checked = checkConnectFields(this.state);
    if (!checked.ok) {
      this.set({ ...this.state, errors: checked.errors });
      return false;
    }
    const { port, timeoutMs } = checked;
    const idle = parseSecondsField(this.state.idleDeadline, true);
    if (!idle.ok) {
      this.setError('idleDeadline', controlError(idle.message));
      return false;
    }
    const idleTimeoutMs = idle.ms;
    this.set({
      ...this.state,
      phase: 'connecting',
      connectWait: { startedAt: this.now(), timeoutMs },
      errors: {},
    });
    const outcome = await this.connecting.run((signal) =>
      this.client.call(
        'tcp.connect',
        { host: this.state.host, port, timeoutMs, ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }) },
        { signal, timeoutMs: timeoutMs + callGraceMs },
      ),
    );
    if (outcome.ok) {
      this.opened(outcome.result, idleTimeoutMs);
      return true;
    }
    const failure = connectFailure(outcome.error, formatAddress(this.state.host.trim(), port), this.state, placement);
    // A field the Node side refused is shown beside it; the transcript is for what the network did.
    if (!failure.error || !isBadRequest(failure.error)) this.transcript.note({ direction: 'system', ...failure.line });
    this.set({ ...this.state, ...failure.patch });
    return false;
  }

  /** The Cancel beside the idle countdown: the connection stays open however quiet it is. */
  async cancelIdle(): Promise<void> {
    const sessionId = this.sessionId;
    if (!sessionId || !this.state.idleWait) return;
    this.set({ ...this.state, idleWait: undefined });
    try {
      await this.client.call('tcp.cancelIdle', { sessionId }, { timeoutMs: callGraceMs });
      this.transcript.note({
        direction: 'system',
        note: 'idle deadline cancelled: the connection stays open however quiet it is',
      });
    } catch (error) {
      this.setError('cancelIdle', placeError(error, 'cancelIdle').error);
    }
  }

  /** The Cancel beside the connect countdown. */
  cancelConnect(): void {
    this.connecting.cancel();
  }

  async send(): Promise<SendOutcome> {
    const composed = compose(this.state.composer);
    if (!composed.ok) {
      this.setError('message', controlError(composed.error.message, 'E_PARSE'));
      return 'invalid';
    }
    const connection = this.state.connection;
    if (this.state.phase !== 'connected' || !connection?.open) {
      this.setError(
        'send',
        controlError('Not connected: press Connect first. TCP sends only over an open connection.'),
      );
      return 'failed';
    }
    if (connection.writeShut) {
      this.setError(
        'send',
        controlError('This client closed its write side: it can still receive but not send. Connect again to send.'),
      );
      return 'failed';
    }
    const deadline = parseSecondsField(this.state.replyDeadline, true);
    if (!deadline.ok) {
      this.setError('replyDeadline', controlError(deadline.message));
      return 'invalid';
    }
    const data = composed.bytes;
    try {
      const request = {
        sessionId: connection.sessionId,
        data,
        ...(deadline.ms === undefined ? {} : { replyTimeoutMs: deadline.ms }),
      };
      const result = await this.client.call('tcp.send', request, { timeoutMs: callGraceMs });
      this.transcript.builder.sent('tcp', result, data);
      this.transcript.sync();
      this.traffic.add(result.sentBytes, 0);
      const replyWaits = result.replyDeadline
        ? [
            ...this.state.replyWaits,
            { seq: result.seq, startedAt: this.now(), timeoutMs: result.replyDeadline.timeoutMs },
          ]
        : this.state.replyWaits;
      this.set({
        ...this.state,
        replyWaits,
        idleWait: this.restartedIdle(),
        errors: without(this.state.errors, 'send', 'message'),
      });
      return 'sent';
    } catch (error) {
      const { control, error: shown } = placeError(error, 'send', {
        ...placement,
        typed: { replyDeadline: this.state.replyDeadline },
      });
      this.setError(control, shown);
      return 'failed';
    }
  }

  /** Half-close: shut down the write side (FIN); replies can still arrive. */
  async shutdown(): Promise<void> {
    const sessionId = this.sessionId;
    if (!sessionId || this.state.connection?.writeShut) return;
    try {
      const result = await this.client.call('tcp.shutdown', { sessionId }, { timeoutMs: callGraceMs });
      this.transcript.builder.shutdown(result);
      this.transcript.sync();
      this.set({
        ...this.state,
        connection: this.withConnection((c) => ({ ...c, writeShut: true })),
        errors: without(this.state.errors, 'shutdown'),
      });
    } catch (error) {
      this.setError('shutdown', placeError(error, 'shutdown').error);
    }
  }

  async disconnect(): Promise<void> {
    const sessionId = this.sessionId;
    if (!sessionId) return;
    try {
      await this.client.call('tcp.close', { sessionId }, { timeoutMs: callGraceMs });
      // The tcp.closed event that follows writes the transcript line and ends the session.
    } catch (error) {
      // Closed by the server (or its idle deadline) at the same moment: its tcp.closed says so.
      if (error instanceof PlaygroundError && error.code === 'E_NOT_FOUND') return;
      this.setError('disconnect', placeError(error, 'disconnect').error);
    }
  }

  handleEvent<E extends 'tcp.data' | 'tcp.flow' | 'tcp.peerEnded' | 'tcp.noReply' | 'tcp.closed'>(
    name: E,
    payload: EventPayloadOf<E>,
  ): void {
    this.transcript.builder.event(name, payload);
    this.transcript.sync();
    if (name === 'tcp.data') {
      const data = payload as EventPayloadOf<'tcp.data'>;
      // The session's own total: past the keep cap, chunks are counted but no longer listed.
      this.traffic.setTotals({ received: data.receivedBytes });
      this.repliesIn(data.chunks);
      if (this.state.idleWait) this.set({ ...this.state, idleWait: this.restartedIdle() });
    } else if (name === 'tcp.peerEnded') {
      this.set({ ...this.state, connection: this.withConnection((c) => ({ ...c, peerEnded: true })) });
    } else if (name === 'tcp.noReply') {
      this.noReply((payload as EventPayloadOf<'tcp.noReply'>).seq);
    } else if (name === 'tcp.closed') {
      const closed = payload as EventPayloadOf<'tcp.closed'>;
      this.traffic.setTotals({ sent: closed.sentBytes, received: closed.receivedBytes });
      this.closed(closed.reason);
    }
  }

  /** The app's own link to its Node side broke: the Node side has closed this socket with it. */
  connectionLost(): void {
    if (this.state.phase === 'connecting') this.connecting.cancel();
    if (!this.sessionId) return;
    this.transcript.note({
      direction: 'system',
      tone: 'error',
      note: 'the app lost its link to its Node side, which closed this connection; connect again once it is back',
    });
    this.closed('lost');
  }

  dispose(): void {
    this.connecting.cancel();
    const sessionId = this.sessionId;
    if (sessionId) this.client.call('tcp.close', { sessionId }, { timeoutMs: callGraceMs }).catch(() => {});
  }

  private opened(result: ResponseOf<'tcp.connect'>, idleTimeoutMs: number | undefined): void {
    this.traffic.reset();
    this.transcript.builder.opened('tcp', result);
    this.transcript.sync();
    this.set({
      ...this.state,
      phase: 'connected',
      connectWait: undefined,
      idleWait: idleTimeoutMs === undefined ? undefined : { startedAt: this.now(), timeoutMs: idleTimeoutMs },
      replyWaits: [],
      connection: {
        sessionId: result.sessionId,
        local: result.local,
        peer: result.peer,
        connectMs: result.connectMs,
        resolved: result.resolved,
        open: true,
        writeShut: false,
        peerEnded: false,
      },
    });
  }

  private closed(reason: NonNullable<TcpConnection['closeReason']>): void {
    this.set({
      ...this.state,
      phase: 'idle',
      replyWaits: [],
      idleWait: undefined,
      connection: this.withConnection((c) => ({ ...c, open: false, closeReason: reason })),
    });
  }

  /** Something moved: the idle deadline starts again (the Node side's timer does the same). */
  private restartedIdle(): Wait | undefined {
    const wait = this.state.idleWait;
    return wait ? { startedAt: this.now(), timeoutMs: wait.timeoutMs } : undefined;
  }

  private withConnection(change: (connection: TcpConnection) => TcpConnection): TcpConnection | undefined {
    return this.state.connection ? change(this.state.connection) : undefined;
  }

  protected cancelWait(request: { sessionId: string; seq?: number }): Promise<unknown> {
    return this.client.call('tcp.cancelWait', request, { timeoutMs: callGraceMs });
  }
}

function isBadRequest(error: ControlError): boolean {
  return error.code === 'E_BAD_REQUEST' || error.code === 'E_BAD_INPUT';
}
