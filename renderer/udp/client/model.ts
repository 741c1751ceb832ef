import type { Client } from '../../../shared/contract/client';
import type { EventPayloadOf, ResponseOf } from '../../../shared/contract/index';
import type { SocketAddress } from '../../../shared/net/contract';
import { pingTimeoutMs } from '../../../shared/udp/client/ping';
import { textbookRecvBufferBytes } from '../../../shared/udp/server/contract';
import { type ComposerState, compose } from '../../net/composer';
import { controlError, parsePortField, parseSecondsField, placeError } from '../../net/errors';
import { type ModelOptions, type SendOutcome, without } from '../../net/session';
import { PingModel } from './pingModel';
import { newSocketClient, SocketClientModel, type SocketClientState } from '../../net/socketClient';

export type UdpClientControl = 'host' | 'port' | 'replyDeadline' | 'message' | 'send' | 'connect' | 'disconnect';

export interface UdpSocketInfo {
  readonly sessionId: string;
  /** getsockname(): the address and port the OS gave this socket. */
  readonly local: SocketAddress;
  /** Set for a connected UDP socket: the only peer it talks to (getpeername()). */
  readonly peer: SocketAddress | undefined;
  readonly open: boolean;
}

export interface UdpClientState extends SocketClientState<UdpClientControl> {
  /** Read replies like the textbook's recvfrom(2048): longer datagrams are cut. */
  readonly recvBuffer: boolean;
  /** `busy` while a socket opens, connects or closes. */
  readonly busy: 'opening' | 'connecting' | 'closing' | undefined;
  /** The current socket, or the last one once closed (its address stays readable). */
  readonly socket: UdpSocketInfo | undefined;
}

const callGraceMs = 5000;
const lookupTimeoutMs = 5000;

const placement = {
  fields: { host: 'host', port: 'port', replyTimeoutMs: 'replyDeadline', data: 'message' },
  codes: { E_DNS: 'host', E_MSG_SIZE: 'message' },
} as const;

/**
 * One UDP client tab, like the textbook's UDPClient: the first Send opens a socket
 * (its local port is shown), each Send is one datagram to Host:Port, and a reply is
 * awaited with a visible deadline. Connect makes a connected UDP socket instead,
 * which hears "port unreachable" as an error.
 */
export class UdpClientModel extends SocketClientModel<UdpClientControl, UdpClientState> {
  /** Ping mode: the textbook's UDP pinger from this tab's socket to Host:Port. */
  readonly ping: PingModel;

  constructor(client: Client, tabId: string, label: string, options: ModelOptions = {}) {
    super(client, tabId, label, options, { ...newSocketClient, recvBuffer: true, busy: undefined, socket: undefined });
    this.ping = new PingModel({
      send: (data) => (this.state.busy ? Promise.resolve(undefined) : this.sendDatagram(data, pingTimeoutMs)),
      now: () => Date.now(),
    });
  }

  get sessionId(): string | undefined {
    return this.state.socket?.open ? this.state.socket.sessionId : undefined;
  }

  get connected(): boolean {
    return this.state.socket?.open === true && this.state.socket.peer !== undefined;
  }

  setHost(host: string): void {
    this.patch({ host }, 'host', 'send', 'connect');
  }

  setPort(port: string): void {
    this.patch({ port }, 'port', 'send', 'connect');
  }

  setReplyDeadline(replyDeadline: string): void {
    this.patch({ replyDeadline }, 'replyDeadline');
  }

  setRecvBuffer(recvBuffer: boolean): void {
    this.patch({ recvBuffer });
  }

  setComposer(change: Partial<ComposerState>): void {
    this.patch({ composer: { ...this.state.composer, ...change } }, 'message', 'send');
  }

  async send(): Promise<SendOutcome> {
    if (this.state.busy) return 'failed';
    const composed = compose(this.state.composer);
    if (!composed.ok) {
      this.setError('message', controlError(composed.error.message, 'E_PARSE'));
      return 'invalid';
    }
    const deadline = parseSecondsField(this.state.replyDeadline, false);
    if (!deadline.ok || deadline.ms === undefined) {
      this.setError('replyDeadline', controlError(deadline.ok ? 'Type a number of seconds.' : deadline.message));
      return 'invalid';
    }
    if (!this.connected) {
      const port = parsePortField(this.state.port);
      if (!port.ok) {
        this.setError('port', controlError(port.message));
        return 'invalid';
      }
    }
    this.set({ ...this.state, errors: without(this.state.errors, 'send', 'message') });
    return (await this.sendDatagram(composed.bytes, deadline.ms)) ? 'sent' : 'failed';
  }

  /**
   * One datagram to Host:Port (or the connected peer), awaiting a reply for `replyTimeoutMs`;
   * the send's answer, or undefined when it failed (the error is shown beside its field).
   */
  async sendDatagram(data: Uint8Array, replyTimeoutMs: number): Promise<ResponseOf<'udp.send'> | undefined> {
    let target: { host: string; port: number } | undefined;
    if (!this.connected) {
      const port = parsePortField(this.state.port);
      if (!port.ok) {
        this.setError('port', controlError(port.message));
        return undefined;
      }
      target = { host: this.state.host, port: port.port };
    }
    try {
      const sessionId = this.sessionId ?? (await this.open(undefined));
      if (!sessionId) return undefined;
      const result = await this.client.call(
        'udp.send',
        { sessionId, data, replyTimeoutMs, lookupTimeoutMs, ...target },
        { timeoutMs: lookupTimeoutMs + callGraceMs },
      );
      this.transcript.builder.sent('udp', result, data);
      this.transcript.sync();
      const wait = result.replyDeadline
        ? [{ seq: result.seq, startedAt: this.now(), timeoutMs: result.replyDeadline.timeoutMs }]
        : [];
      this.traffic.add(1, 0);
      this.set({ ...this.state, replyWaits: [...this.state.replyWaits, ...wait] });
      return result;
    } catch (error) {
      const { control, error: shown } = placeError(error, 'send', {
        ...placement,
        typed: { port: this.state.port, replyDeadline: this.state.replyDeadline },
      });
      this.setError(control, shown);
      return undefined;
    }
  }

  /** Connected UDP: a new socket that connect()s to Host:Port (an open unconnected one is closed first). */
  async connect(): Promise<boolean> {
    if (this.state.busy || this.connected) return false;
    const port = parsePortField(this.state.port);
    if (!port.ok) {
      this.setError('port', controlError(port.message));
      return false;
    }
    this.set({ ...this.state, errors: {} });
    if (this.sessionId) await this.close();
    return (await this.open({ host: this.state.host, port: port.port })) !== undefined;
  }

  /** Closes the socket (connected or not); the next Send opens a fresh one with a new local port. */
  async disconnect(): Promise<void> {
    if (this.state.busy) return;
    await this.close();
  }

  handleEvent<E extends 'udp.datagrams' | 'udp.noReply' | 'udp.error' | 'udp.closed'>(
    name: E,
    payload: EventPayloadOf<E>,
  ): void {
    this.transcript.builder.event(name, payload);
    this.transcript.sync();
    if (name === 'udp.datagrams') {
      const event = payload as EventPayloadOf<'udp.datagrams'>;
      this.traffic.setTotals({ received: event.receivedDatagrams });
      this.repliesIn(event.datagrams);
      this.ping.datagrams(event.datagrams);
    } else if (name === 'udp.noReply') {
      this.noReply((payload as EventPayloadOf<'udp.noReply'>).seq);
    } else if (name === 'udp.error') {
      const { error } = payload as EventPayloadOf<'udp.error'>;
      // Reported after a send (connected UDP hearing "port unreachable"): it belongs beside Send.
      const refused = error.code === 'E_REFUSED';
      this.set({
        ...this.state,
        replyWaits: refused ? [] : this.state.replyWaits,
        errors: { ...this.state.errors, send: { code: error.code, message: error.message } },
      });
    } else if (name === 'udp.closed') {
      this.set({
        ...this.state,
        replyWaits: [],
        socket: this.withSocket((s) => ({ ...s, open: false })),
      });
    }
  }

  connectionLost(): void {
    if (!this.sessionId) return;
    this.transcript.note({
      direction: 'system',
      tone: 'error',
      note: 'the app lost its link to its Node side, which closed this socket; the next Send opens a new one',
    });
    this.set({
      ...this.state,
      busy: undefined,
      replyWaits: [],
      socket: this.withSocket((s) => ({ ...s, open: false })),
    });
  }

  dispose(): void {
    const sessionId = this.sessionId;
    if (sessionId) this.client.call('udp.close', { sessionId }, { timeoutMs: callGraceMs }).catch(() => {});
  }

  private async open(connect: { host: string; port: number } | undefined): Promise<string | undefined> {
    this.set({ ...this.state, busy: connect ? 'connecting' : 'opening' });
    try {
      const request = {
        lookupTimeoutMs,
        ...(this.state.recvBuffer ? { recvBufferBytes: textbookRecvBufferBytes } : {}),
        ...(connect ? { connect } : {}),
      };
      const result = await this.client.call('udp.open', request, { timeoutMs: lookupTimeoutMs + callGraceMs });
      this.opened(result);
      return result.sessionId;
    } catch (error) {
      const { control, error: shown } = placeError(error, connect ? 'connect' : 'send', {
        ...placement,
        typed: { port: this.state.port },
      });
      this.set({ ...this.state, busy: undefined, errors: { ...this.state.errors, [control]: shown } });
      return undefined;
    }
  }

  private opened(result: ResponseOf<'udp.open'>): void {
    this.traffic.reset();
    this.transcript.builder.opened('udp', result);
    this.transcript.sync();
    this.set({
      ...this.state,
      busy: undefined,
      replyWaits: [],
      socket: {
        sessionId: result.sessionId,
        local: result.local,
        peer: result.peer,
        open: true,
      },
    });
  }

  private async close(): Promise<void> {
    const sessionId = this.sessionId;
    if (!sessionId) return;
    this.set({ ...this.state, busy: 'closing' });
    try {
      // The udp.closed event that comes with it writes the transcript line.
      await this.client.call('udp.close', { sessionId }, { timeoutMs: callGraceMs });
      this.set({ ...this.state, busy: undefined, socket: this.withSocket((s) => ({ ...s, open: false })) });
    } catch (error) {
      this.set({
        ...this.state,
        busy: undefined,
        errors: { ...this.state.errors, disconnect: placeError(error, 'disconnect').error },
      });
    }
  }

  private withSocket(change: (socket: UdpSocketInfo) => UdpSocketInfo): UdpSocketInfo | undefined {
    return this.state.socket ? change(this.state.socket) : undefined;
  }

  protected cancelWait(request: { sessionId: string; seq?: number }): Promise<unknown> {
    return this.client.call('udp.cancelWait', request, { timeoutMs: callGraceMs });
  }
}
