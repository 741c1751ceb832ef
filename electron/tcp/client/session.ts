import type net from 'node:net';
import { PlaygroundError } from '../../../shared/contract/errors';
import type { EventPayloadOf, ParsedRequestOf, ResponseOf } from '../../../shared/contract/index';
import type { SocketAddress, Stamp } from '../../../shared/net/contract';
import type { TcpChunk } from '../../../shared/tcp/client/contract';
import type { Session } from '../../service';
import { formatSocketAddress, localAddressOf } from '../../net/address';
import { ByteBudget } from '../../net/byteBudget';
import { connect } from '../../net/connect';
import { formatSeconds, monoNow, stamp } from '../../net/clock';
import { Coalescer } from '../../net/coalescer';
import { netError } from '../../net/errors';
import type { ResolvedNetOptions } from '../../net/options';
import type { Opened } from '../../net/registry';
import { ReplyWaits } from '../../net/replyWaits';

type ConnectRequest = ParsedRequestOf<'tcp.connect'>;
type ConnectResult = ResponseOf<'tcp.connect'>;
type CloseReason = 'local' | 'peer' | 'reset' | 'error';

/** Beyond this many bytes waiting in Node's send queue, `tcp.send` refuses more (E_BUSY). */
const maxQueuedBytes = 32 * 1024 * 1024;
/** After `tcp.close`, how long queued bytes may take to leave before the socket is torn down. */
const closeGraceMs = 2000;

const peerWait = 'peer';

/**
 * One TCP client connection, like the textbook's clientSocket: connect (with the
 * handshake time measured), send any number of times, receive a stream of timestamped
 * chunks, half-close, close. allowHalfOpen keeps "the peer shut down its write side"
 * (FIN) apart from "the connection is closed".
 */
export class TcpClientSession {
  private seq = 0;
  private sentBytes = 0;
  private closed = false;
  private writeShut = false;
  private peerEnded = false;
  private readonly waits = new ReplyWaits();
  private readonly budget: ByteBudget;
  private readonly coalescer: Coalescer<TcpChunk>;
  private readonly resource = {
    close: () => {
      this.detach();
      this.socket.destroy();
    },
  };
  private lastError: PlaygroundError | undefined;
  private endOrder: Array<'local' | 'peer'> = [];

  private constructor(
    readonly id: string,
    private readonly session: Session,
    private readonly socket: net.Socket,
    host: string,
    readonly peer: SocketAddress,
    keepLimit: number,
    options: ResolvedNetOptions,
  ) {
    this.budget = new ByteBudget(keepLimit);
    this.coalescer = new Coalescer<TcpChunk>({ ...options.coalescing, flush: (chunks) => this.emitData(chunks) });
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => this.ended());
    socket.on('error', (error) => {
      this.lastError = netError(error, {
        protocol: 'TCP',
        action: 'receive',
        host,
        address: peer.address,
        port: peer.port,
      });
    });
    socket.on('close', () => this.socketClosed());
  }

  static async connect(
    id: string,
    request: ConnectRequest,
    session: Session,
    options: ResolvedNetOptions,
    signal: AbortSignal,
  ): Promise<Opened<TcpClientSession, ConnectResult>> {
    const { host, port, timeoutMs } = request;
    const connected = await connect({
      protocol: 'TCP',
      host,
      port,
      timeoutMs,
      signal,
      family: request.family,
      bindAddress: request.bindAddress,
      owner: session,
    });
    const { connectMs, resolved, attempts, peer } = connected;
    const socket = connected.socket as net.Socket;
    const keepLimit = request.keepBytes ?? options.keepBytes;
    const client = new TcpClientSession(id, session, socket, host, peer, keepLimit, options);
    session.own(client.resource);
    return {
      opened: client,
      result: {
        ...stamp(),
        sessionId: id,
        local: client.local(),
        peer,
        connectMs,
        resolved,
        attempts,
        keepLimit,
      },
    };
  }

  local(): SocketAddress {
    return localAddressOf(this.socket);
  }

  send(request: ParsedRequestOf<'tcp.send'>): ResponseOf<'tcp.send'> {
    if (this.closed) throw this.closedError();
    if (this.writeShut) {
      throw new PlaygroundError({
        code: 'E_CLOSED',
        message: `TCP session '${this.id}' has shut down its write side (half-close): it can still receive, but not send. Connect again to send more.`,
      });
    }
    const queued = this.socket.writableLength;
    if (queued + request.data.byteLength > maxQueuedBytes && queued > 0) {
      throw new PlaygroundError({
        code: 'E_BUSY',
        message: `${formatSocketAddress(this.peer)} is not reading fast enough: ${queued} bytes are still waiting to be sent. Wait until they are gone, then send again.`,
        details: { queuedBytes: queued },
      });
    }
    const seq = ++this.seq;
    const sentAt = stamp();
    let replyDeadline: { timeoutMs: number; mono: number } | undefined;
    const { replyTimeoutMs } = request;
    if (replyTimeoutMs !== undefined) {
      const mono = this.waits.add(seq, peerWait, sentAt.mono, replyTimeoutMs, () =>
        this.noReply(
          seq,
          replyTimeoutMs,
          `no reply from ${formatSocketAddress(this.peer)} within ${formatSeconds(replyTimeoutMs)}: the connection is open, but the server has sent nothing back (it may be waiting for more, such as a line ending).`,
        ),
      );
      replyDeadline = { timeoutMs: replyTimeoutMs, mono };
    }
    // Node copies nothing: the bytes must not change under the socket while they wait to leave.
    this.socket.write(new Uint8Array(request.data));
    this.sentBytes += request.data.byteLength;
    const result: ResponseOf<'tcp.send'> = {
      ...sentAt,
      sessionId: this.id,
      seq,
      sentBytes: request.data.byteLength,
      queuedBytes: this.socket.writableLength,
    };
    if (replyDeadline) result.replyDeadline = replyDeadline;
    return result;
  }

  shutdown(): ResponseOf<'tcp.shutdown'> {
    if (this.closed) throw this.closedError();
    if (!this.writeShut) {
      this.writeShut = true;
      this.endOrder.push('local');
      this.socket.end();
    }
    return { ...stamp(), sessionId: this.id };
  }

  cancelWait(seq: number | undefined): number[] {
    return this.waits.cancel(seq);
  }

  /** Closing a session the peer already closed is not an error: the UI's Disconnect just tidies up. */
  close(): ResponseOf<'tcp.close'> {
    const at = stamp();
    const totals = { ...at, sessionId: this.id, sentBytes: this.sentBytes, receivedBytes: this.budget.received };
    if (this.closed) return totals;
    this.coalescer.flush();
    this.finish('local', undefined, at);
    this.socket.removeAllListeners('data');
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), closeGraceMs);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
    // Like close() in the textbook: what was sent still leaves, then the socket goes.
    if (this.socket.writableFinished) this.socket.destroy();
    else this.socket.once('finish', () => this.socket.destroy());
    return totals;
  }

  /** Stops reporting on this session; the socket itself is ended or destroyed by the caller. */
  private detach(): void {
    if (this.closed) return;
    this.closed = true;
    this.waits.cancel();
    this.coalescer.close();
    this.session.release(this.resource);
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    const receivedMono = monoNow();
    const keep = this.budget.take(chunk.byteLength);
    const reply = this.waits.answer(peerWait, receivedMono);
    if (keep === 0 && !reply) {
      this.coalescer.touch();
      return;
    }
    // A copy that owns its bytes: a view would pin Node's receive buffer and clone all of it.
    const item: TcpChunk = {
      at: Date.now(),
      mono: receivedMono,
      data: new Uint8Array(chunk.subarray(0, keep)),
      bytes: chunk.byteLength,
    };
    if (reply) item.reply = reply;
    this.coalescer.push(item, keep, reply !== undefined);
  }

  private emitData(chunks: TcpChunk[]): void {
    this.session.emit('tcp.data', { ...stamp(), sessionId: this.id, chunks, ...this.budget.totals() });
  }

  private ended(): void {
    if (this.closed) return;
    this.peerEnded = true;
    this.endOrder.push('peer');
    this.coalescer.flush();
    this.session.emit('tcp.peerEnded', { ...stamp(), sessionId: this.id });
    for (const seq of this.waits.cancel()) {
      this.noReply(
        seq,
        0,
        `${formatSocketAddress(this.peer)} shut down its side of the connection without a reply to send #${seq}.`,
      );
    }
  }

  private socketClosed(): void {
    if (this.closed) return;
    this.coalescer.flush();
    const error = this.lastError;
    let reason: CloseReason;
    if (error) reason = error.code === 'E_RESET' ? 'reset' : 'error';
    else reason = this.endOrder.at(-1) === 'local' && this.peerEnded ? 'local' : 'peer';
    const pending = this.waits.cancel();
    for (const seq of pending) {
      this.noReply(seq, 0, `the connection closed before a reply to send #${seq} arrived.`);
    }
    this.finish(reason, error, stamp());
  }

  private finish(reason: CloseReason, error: PlaygroundError | undefined, at: Stamp): void {
    this.detach();
    const payload: EventPayloadOf<'tcp.closed'> = {
      ...at,
      sessionId: this.id,
      reason,
      sentBytes: this.sentBytes,
      receivedBytes: this.budget.received,
    };
    if (error) payload.error = error.toInfo();
    this.session.emit('tcp.closed', payload);
  }

  private noReply(seq: number, timeoutMs: number, message: string): void {
    if (this.closed) return;
    this.coalescer.flush();
    this.session.emit('tcp.noReply', { ...stamp(), sessionId: this.id, seq, timeoutMs, message });
  }

  private closedError(): PlaygroundError {
    return new PlaygroundError({
      code: 'E_NOT_FOUND',
      message: `TCP session '${this.id}' is closed: connect again.`,
    });
  }
}
