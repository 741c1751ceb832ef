import type net from 'node:net';
import { PlaygroundError } from '../../../shared/contract/errors';
import type { EventName, EventPayloadOf } from '../../../shared/contract/index';
import { maxHttpBodyCapBytes } from '../../../shared/http/client/contract';
import type { HttpDiagnostic } from '../../../shared/http/compose/diagnostics';
import type { ResponseParseEvent } from '../../../shared/http/parse/events';
import { createResponseParser, type ResponseParser } from '../../../shared/http/parse/responseParser';
import type { SocketAddress, Stamp } from '../../../shared/net/contract';
import { formatAddress } from '../../net/address';
import { formatSeconds, monoNow, stamp } from '../../net/clock';
import { Coalescer } from '../../net/coalescer';
import { netError } from '../../net/errors';
import type { ReusedReadBuffer } from '../../net/reusedReadBuffer';
import type { BodyStore } from './bodyStore';
import type { Exchange } from './exchange';

type CloseBy = EventPayloadOf<'http.connectionClosed'>['by'];
type Emit = <E extends EventName>(name: E, payload: EventPayloadOf<E>) => void;

/** Stray bytes shown per event; the rest are counted. */
const maxStrayShown = 64 * 1024;
/** After the client's FIN, how long the server may take to close before the socket is torn down. */
const closeGraceMs = 2000;

export interface ConnectionSetup {
  id: string;
  /** Equal keys may share a connection ('keep'). */
  key: string;
  /** The target as people write it, e.g. "localhost:8080 (TLS)". */
  label: string;
  host: string;
  policy: 'new' | 'keep';
  socket: net.Socket;
  local: SocketAddress;
  peer: SocketAddress;
  emit: Emit;
  intervalMs: number;
  /** The buffer a plain TCP socket reads into (given to connect()); without it, 'data' events. */
  reader?: ReusedReadBuffer | undefined;
  /** Called once, when the connection is gone. */
  onGone: (connection: HttpConnection) => void;
}

/**
 * One client connection: the requests written on it (as typed), the pure response
 * parser fed with what comes back, and the exchanges its events belong to, in order.
 * It knows who closed it and why, keeps the response deadline (restarted by every byte
 * received while a response is awaited), and reports bytes that arrive while nothing is
 * awaited as stray: they never count towards the next request.
 */
export class HttpConnection {
  readonly id: string;
  readonly key: string;
  readonly policy: 'new' | 'keep';
  readonly local: SocketAddress;
  readonly peer: SocketAddress;
  closed = false;
  private readonly socket: net.Socket;
  private readonly parser: ResponseParser;
  /** Exchanges not ended yet, oldest first. */
  private readonly queue: Exchange[] = [];
  private readonly byRequest = new Map<number, Exchange>();
  private readonly byMessage = new Map<number, Exchange>();
  private sentBytes = 0;
  private receivedBytes = 0;
  private responses = 0;
  private closeBy: CloseBy | undefined;
  private closeMessage: string | undefined;
  private socketError: PlaygroundError | undefined;
  private parsingEnded = false;
  private closeAnnounced = false;
  private timer: NodeJS.Timeout | undefined;
  private timeoutMs = 30_000;
  private deadlineMono: number | undefined;
  /** When the sleeping timer wakes. */
  private timerMono = 0;
  private noResponse: HttpDiagnostic[] = [];
  private stray: { offset: number; length: number; parts: Uint8Array[]; shown: number } | undefined;
  private readonly strayCoalescer: Coalescer<null>;
  private readonly resource = { close: () => this.destroy('client', 'the window closed') };
  /** The body whose free block space the socket reads into next, if any. */
  private lentTo: BodyStore | undefined;

  constructor(private readonly setup: ConnectionSetup) {
    this.id = setup.id;
    this.key = setup.key;
    this.policy = setup.policy;
    this.local = setup.local;
    this.peer = setup.peer;
    this.socket = setup.socket;
    // The exchanges apply their own (per-request) caps; the parser only stops at the largest allowed.
    this.parser = createResponseParser({ maxBodyBytes: maxHttpBodyCapBytes });
    this.strayCoalescer = new Coalescer<null>({
      intervalMs: setup.intervalMs,
      maxBytes: Number.POSITIVE_INFINITY,
      maxItems: Number.POSITIVE_INFINITY,
      flush: () => this.flushStray(),
    });
    // The reused buffer's bytes are overwritten by the next read: whatever keeps them copies them
    // (parser sections, stray and unparsed bytes, a body unless the read went into its own lent space).
    if (setup.reader) {
      setup.reader.attach(
        (chunk) => this.receive(chunk),
        () => this.nextReadBuffer(),
      );
    } else this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('end', () => this.peerEnded());
    this.socket.on('error', (error) => {
      this.socketError = netError(error, {
        protocol: 'HTTP',
        action: 'receive',
        host: setup.host,
        address: this.peer.address,
        port: this.peer.port,
      });
    });
    this.socket.on('close', () => this.socketClosed());
  }

  /** What the session owns: closing it tears the socket down. */
  get closable(): { close(): void } {
    return this.resource;
  }

  /** Whether a 'keep' send may use it: open, readable, and the last response did not announce a close. */
  get usable(): boolean {
    return !this.closed && this.closeBy === undefined && this.parser.state !== 'failed' && !this.closeAnnounced;
  }

  get pendingExchanges(): readonly Exchange[] {
    return this.queue;
  }

  get counts(): { sentBytes: number; receivedBytes: number } {
    return { sentBytes: this.sentBytes, receivedBytes: this.receivedBytes };
  }

  /** The deadline the UI shows while a response is awaited. */
  deadline(): { timeoutMs: number; mono: number } | undefined {
    return this.deadlineMono === undefined ? undefined : { timeoutMs: this.timeoutMs, mono: this.deadlineMono };
  }

  /** Writes the raw bytes exactly as given; each exchange expects one response, in order. */
  send(raw: Uint8Array, exchanges: readonly Exchange[], responseTimeoutMs: number): number {
    for (const exchange of exchanges) {
      this.byRequest.set(this.parser.expectResponse(exchange.method), exchange);
      this.queue.push(exchange);
    }
    this.flushStray();
    this.timeoutMs = responseTimeoutMs;
    const sentMono = monoNow();
    for (const exchange of exchanges) exchange.sent(sentMono);
    this.socket.write(raw);
    this.sentBytes += raw.length;
    this.armDeadline(sentMono);
    return sentMono;
  }

  /** Stops waiting: the only way to stop a response in HTTP/1.1 is to close its connection. */
  cancel(why: string): string[] {
    const cancelled = this.queue.map((exchange) => exchange.id);
    this.endAll('cancelled', undefined);
    this.destroy('cancelled', why);
    return cancelled;
  }

  /** A polite close (FIN); the socket is torn down if the server does not close in turn. */
  close(): void {
    if (this.closed) return;
    this.endAll('cancelled', undefined);
    this.closeBy ??= 'client';
    this.closeMessage ??= 'the client closed the connection';
    this.socket.end();
    setTimeout(() => this.socket.destroy(), closeGraceMs).unref();
  }

  private destroy(by: CloseBy, message: string): void {
    if (this.closed) return;
    this.closeBy ??= by;
    this.closeMessage ??= message;
    this.socket.destroy();
  }

  private receive(chunk: Uint8Array): void {
    this.receivedBytes += chunk.length;
    const at = stamp();
    const front = this.queue[0];
    if (front) front.touched(at.mono);
    if (this.queue.length > 0) this.armDeadline(at.mono);
    this.handle(this.parser.push(chunk), at);
    this.afterEvents();
  }

  /**
   * After every read: while the response in front is in the middle of a body it keeps,
   * the next read goes straight into that body's free block space (no copy); otherwise
   * into the reused buffer.
   */
  private nextReadBuffer(): Uint8Array | undefined {
    this.returnLent();
    const front = this.queue[0];
    if (!front?.keepsMoreBody) return undefined;
    this.lentTo = front.body;
    return front.body.lend();
  }

  private returnLent(): void {
    this.lentTo?.endLend();
    this.lentTo = undefined;
  }

  private handle(events: ResponseParseEvent[], at: Stamp): void {
    for (const event of events) {
      switch (event.type) {
        case 'head': {
          const exchange = this.byRequest.get(event.head.requestIndex);
          if (!exchange) break;
          this.byMessage.set(event.head.index, exchange);
          exchange.touched(at.mono);
          exchange.apply(event, at);
          break;
        }
        case 'end': {
          const exchange = this.byMessage.get(event.messageIndex);
          this.byMessage.delete(event.messageIndex);
          if (!exchange || exchange.finalHead?.index !== event.messageIndex) break;
          exchange.touched(at.mono);
          // After 101 the connection carries another protocol: the exchange shows it until the close.
          if (exchange.switched || (!event.complete && exchange.broken)) break;
          this.finish(exchange, event.complete);
          break;
        }
        case 'diagnostic': {
          const d = event.diagnostic;
          if (d.code === 'idle-bytes') break;
          if (d.code === 'no-response') {
            this.noResponse.push(d);
            break;
          }
          const owner =
            (d.messageIndex === undefined ? undefined : this.byMessage.get(d.messageIndex)) ?? this.queue[0];
          owner?.addDiagnostic(d);
          break;
        }
        case 'unparsed': {
          if (event.reason === 'idle') {
            this.addStray(event.offset, event.data);
            break;
          }
          const owner =
            (event.messageIndex === undefined ? undefined : this.byMessage.get(event.messageIndex)) ??
            this.queue.find((exchange) => exchange.switched || exchange.broken) ??
            this.queue[0];
          if (owner) owner.addUnparsed(event.reason, event.offset, event.data);
          else this.addStray(event.offset, event.data);
          break;
        }
        default: {
          const exchange = this.byMessage.get(event.messageIndex);
          if (!exchange) break;
          if (event.type === 'body') exchange.touched(at.mono);
          exchange.apply(event, at);
        }
      }
    }
  }

  /** The exchange gets no more of the stream: out of the queue and the index. */
  private settle(exchange: Exchange): void {
    const index = this.queue.indexOf(exchange);
    if (index >= 0) this.queue.splice(index, 1);
    for (const [requestIndex, owner] of this.byRequest) {
      if (owner === exchange) this.byRequest.delete(requestIndex);
    }
  }

  private finish(exchange: Exchange, complete: boolean): void {
    this.settle(exchange);
    // "Connection: close", HTTP/1.0 without keep-alive, a close-delimited body: the server will close.
    if (exchange.finalHead && !exchange.finalHead.persistent) this.closeAnnounced = true;
    if (complete) {
      this.responses++;
      exchange.end('complete');
      return;
    }
    const reason = exchange.parseError?.message ?? 'the connection closed before the response ended.';
    exchange.end(
      'incomplete',
      new PlaygroundError({
        code: 'E_INCOMPLETE',
        message: `the response from ${this.setup.label} is incomplete: ${reason}`,
      }).toInfo(),
    );
  }

  private afterEvents(): void {
    if (this.queue.length > 0) return;
    this.disarmDeadline();
    // Non-persistent: the client closes once the last response is in.
    if (this.policy === 'new' && !this.closed && this.closeBy === undefined) {
      this.closeBy = 'client';
      this.closeMessage = `the client closed the connection after ${plural(this.responses, 'response')} (non-persistent)`;
      this.socket.end();
      setTimeout(() => this.socket.destroy(), closeGraceMs).unref();
    }
  }

  private peerEnded(): void {
    this.endParsing();
    // allowHalfOpen: our side stays open until we say so; the server is done, so are we.
    this.socket.end();
  }

  private endParsing(): void {
    if (this.parsingEnded) return;
    this.parsingEnded = true;
    this.flushStray();
    this.handle(this.parser.end(), stamp());
    const notes = [...this.noResponse];
    for (const exchange of [...this.queue]) {
      if (exchange.switched) {
        this.finish(exchange, true);
        continue;
      }
      if (exchange.broken) {
        this.settle(exchange);
        exchange.end('failed', this.parseFailure(exchange.broken));
        continue;
      }
      if (!exchange.finalHead) {
        const note = notes.shift();
        if (note) exchange.addDiagnostic(note);
      }
      this.settle(exchange);
      const error =
        this.socketError ??
        new PlaygroundError({
          code: 'E_CLOSED',
          message: exchange.finalHead
            ? `${this.setup.label} closed the connection before the response to ${exchange.method || 'the request'} ended.`
            : `${this.setup.label} closed the connection without responding to ${exchange.method || 'the request'}${this.responses > 0 ? ` (after ${plural(this.responses, 'response')} on this connection)` : ''}: the server may have refused the request, or limits requests per connection.`,
        });
      exchange.end('incomplete', error.toInfo());
    }
    this.disarmDeadline();
  }

  private socketClosed(): void {
    this.endParsing();
    this.returnLent();
    this.closed = true;
    this.strayCoalescer.close();
    this.disarmDeadline();
    let by: CloseBy = this.closeBy ?? (this.socketError ? 'error' : 'server');
    if (this.closeBy === 'client' && this.socketError) by = 'error';
    const message =
      by === 'error'
        ? (this.socketError?.message ?? 'the connection failed')
        : by === 'server'
          ? `the server closed the connection after ${plural(this.responses, 'response')}`
          : (this.closeMessage ?? 'the client closed the connection');
    const payload: EventPayloadOf<'http.connectionClosed'> = {
      ...stamp(),
      connectionId: this.id,
      by,
      message,
      ...this.counts,
    };
    if (by === 'error' && this.socketError) payload.error = this.socketError.toInfo();
    this.setup.emit('http.connectionClosed', payload);
    this.setup.onGone(this);
  }

  private endAll(outcome: 'cancelled' | 'failed', error: PlaygroundError | undefined): void {
    for (const exchange of [...this.queue]) {
      this.settle(exchange);
      exchange.end(outcome, error?.toInfo());
    }
    this.disarmDeadline();
  }

  private parseFailure(problem: HttpDiagnostic): ReturnType<PlaygroundError['toInfo']> {
    return new PlaygroundError({
      code: 'E_PARSE',
      message: `the response from ${this.setup.label} could not be read as HTTP: ${problem.message} What the server sent is shown as unparsed bytes.`,
    }).toInfo();
  }

  /**
   * Restarts the response deadline. Called for every chunk received, so the timer is not
   * replaced each time: it wakes at the old deadline and sleeps again for what is left.
   */
  private armDeadline(fromMono: number): void {
    this.deadlineMono = fromMono + this.timeoutMs;
    // A shorter deadline than the one the timer sleeps for (a later send asked for less) wakes it earlier.
    if (this.timer && this.timerMono > this.deadlineMono) this.disarmTimer();
    if (!this.timer) {
      this.timerMono = this.deadlineMono;
      this.timer = setTimeout(() => this.deadlineReached(), Math.max(1, Math.ceil(this.deadlineMono - monoNow())));
    }
  }

  private disarmTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private deadlineReached(): void {
    this.timer = undefined;
    if (this.deadlineMono === undefined) return;
    const left = this.deadlineMono - monoNow();
    if (left > 1) {
      this.timerMono = this.deadlineMono;
      this.timer = setTimeout(() => this.deadlineReached(), Math.ceil(left));
      return;
    }
    this.timedOut();
  }

  private disarmDeadline(): void {
    this.disarmTimer();
    this.deadlineMono = undefined;
  }

  private timedOut(): void {
    const front = this.queue[0];
    const waited = formatSeconds(this.timeoutMs);
    if (front?.switched) {
      // After 101 the exchange was answered; the other protocol just went quiet.
      this.finish(front, true);
      this.endAll('cancelled', undefined);
      this.destroy(
        'timeout',
        `the client closed the connection: after switching protocols (${front.finalHead?.status ?? 101}) nothing more came for ${waited}`,
      );
      return;
    }
    const broken = front?.broken;
    const message = broken
      ? `the response from ${this.setup.label} could not be read as HTTP (${broken.message}) and nothing more came for ${waited}: the connection is closed.`
      : front?.finalHead
        ? `the response from ${this.setup.label} stalled: no byte for ${waited} in the middle of it. The connection is closed; allow more time if the server is slow.`
        : `no response from ${this.setup.label} within ${waited}: the connection is open but the server sent nothing back. It may be waiting for more of the request (an empty line after the headers? the body Content-Length promised?). The connection is closed.`;
    const error = new PlaygroundError({
      code: 'E_TIMEOUT',
      message,
      details: { timeoutMs: this.timeoutMs, host: this.setup.host, port: this.peer.port },
    });
    this.endAll('failed', error);
    this.destroy('timeout', `the client closed the connection: ${message}`);
  }

  private addStray(offset: number, data: Uint8Array): void {
    if (!this.stray || this.stray.offset + this.stray.length !== offset) {
      this.flushStray();
      this.stray = { offset, length: 0, parts: [], shown: 0 };
    }
    const keep = data.subarray(0, Math.max(0, maxStrayShown - this.stray.shown));
    if (keep.length > 0) this.stray.parts.push(keep.slice());
    this.stray.shown += keep.length;
    this.stray.length += data.length;
    this.strayCoalescer.touch();
  }

  private flushStray(): void {
    const stray = this.stray;
    if (!stray) return;
    this.stray = undefined;
    const data = new Uint8Array(stray.shown);
    let at = 0;
    for (const part of stray.parts) {
      data.set(part, at);
      at += part.length;
    }
    this.setup.emit('http.stray', {
      ...stamp(),
      connectionId: this.id,
      offset: stray.offset,
      data,
      length: stray.length,
    });
  }
}

export function describeTarget(host: string, port: number, tls: boolean): string {
  return `${formatAddress(host, port)}${tls ? ' (TLS)' : ''}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
