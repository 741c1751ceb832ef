import { Duplex } from 'node:stream';
import type net from 'node:net';
import { type EmulatedLink, returnDelayOf, seededRandom } from '../../shared/net/link';
import { monoNow } from './clock';

/**
 * The emulated link in front of a built-in server (see shared/net/link.ts): real sockets,
 * with reads and writes held back by the link's delay, jitter and transmission time, and
 * UDP datagrams dropped with a seeded probability. A server keeps one `LinkState`; each
 * crossing asks it at that moment, so a change applies to new traffic only.
 */

/** Which way a crossing goes: to the server (a read) or back to the client (a write). */
export type Direction = 'in' | 'out';

/** When a crossing arrives, and how long the link held it. */
export interface Crossing {
  due: number;
  delayMs: number;
}

/**
 * One direction of the link: a transmitter that sends one thing at a time at the
 * bandwidth (L/R each), then the propagation delay with jitter. `ordered` keeps arrivals
 * in sending order (a TCP byte stream); datagrams may overtake each other under jitter.
 */
class Lane {
  private freeAt = 0;
  private lastDue = 0;

  constructor(
    private readonly state: LinkState,
    private readonly direction: Direction,
    private readonly ordered: boolean,
  ) {}

  cross(bytes: number): Crossing {
    const now = monoNow();
    const link = this.state.link;
    let due = now;
    if (link) {
      const start = Math.max(now, this.freeAt);
      const transmitMs = link.bandwidthBytesPerSecond === null ? 0 : (bytes * 1000) / link.bandwidthBytesPerSecond;
      this.freeAt = start + transmitMs;
      const delay = this.direction === 'in' ? link.delayMs : returnDelayOf(link);
      const jitter = link.jitterMs > 0 ? (this.state.random() * 2 - 1) * link.jitterMs : 0;
      due = Math.max(now, start + transmitMs + Math.max(0, delay + jitter));
    }
    if (this.ordered) due = Math.max(due, this.lastDue);
    this.lastDue = due;
    return { due, delayMs: due - now };
  }

  /** Nothing crosses before `mono` (the emulated handshake of a new connection). */
  holdUntil(mono: number): void {
    this.freeAt = Math.max(this.freeAt, mono);
  }

  /** How long `bytes` sent now would be held, without sending them (jitter left out). */
  preview(bytes: number): number {
    const link = this.state.link;
    if (!link) return Math.max(0, this.lastDue - monoNow());
    const now = monoNow();
    const transmitMs = link.bandwidthBytesPerSecond === null ? 0 : (bytes * 1000) / link.bandwidthBytesPerSecond;
    const delay = this.direction === 'in' ? link.delayMs : returnDelayOf(link);
    return Math.max(Math.max(now, this.freeAt) + transmitMs + delay, this.lastDue) - now;
  }
}

/** The link a server has now (null: none), with its seeded draws for loss and jitter. */
export class LinkState {
  link: EmulatedLink | null = null;
  random: () => number = seededRandom(1);

  constructor(link: EmulatedLink | null | undefined) {
    this.set(link ?? null);
  }

  /** A new link (or none) for traffic from now on; its seed restarts the draws. */
  set(link: EmulatedLink | null): void {
    this.link = link;
    this.random = seededRandom(link?.seed ?? 1);
  }

  lane(direction: Direction, ordered: boolean): Lane {
    return new Lane(this, direction, ordered);
  }

  /** UDP: is the datagram arriving now lost? */
  drops(): boolean {
    const loss = this.link?.lossPercent ?? 0;
    return loss > 0 && this.random() * 100 < loss;
  }
}

/**
 * A timer length for a wait of `ms`. Node's timers fire once the event loop's whole-millisecond
 * clock has passed the length, so a fractional length (50.3) waits for the next whole one (51)
 * and every crossing would come about 1 ms late; rounded, the error averages out near zero.
 */
function timerMs(ms: number): number {
  return Math.max(0, Math.round(ms));
}

/** Runs callbacks at their due times (`mono` clock), in the order they were queued; one timer at a time. */
export class DelayQueue {
  private readonly items: { due: number; run: () => void }[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  get size(): number {
    return this.items.length - this.head;
  }

  /** Due times must not go down (a Lane with `ordered` guarantees it). Runs at once if due and nothing waits. */
  push(due: number, run: () => void): void {
    if (this.size === 0 && due <= monoNow()) {
      run();
      return;
    }
    this.items.push({ due, run });
    if (this.size === 1) this.arm();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.items.length = 0;
    this.head = 0;
  }

  private arm(): void {
    const next = this.items[this.head];
    if (!next) return;
    this.timer = setTimeout(() => this.fire(), timerMs(next.due - monoNow()));
  }

  private fire(): void {
    this.timer = undefined;
    // Timers fire on whole milliseconds: what is due within half of one goes now.
    const now = monoNow() + 0.5;
    while (this.size > 0) {
      const next = this.items[this.head];
      if (!next || next.due > now) break;
      this.head++;
      next.run();
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    if (this.size === 0) {
      this.items.length = 0;
      this.head = 0;
    } else if (!this.timer) this.arm();
  }
}

/** UDP: each datagram crossing the link is dropped (arriving only), or held back for its delay. */
export class DatagramLink {
  private readonly inLane: Lane;
  private readonly outLane: Lane;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly state: LinkState) {
    this.inLane = state.lane('in', false);
    this.outLane = state.lane('out', false);
  }

  /** A datagram arrived from a client: 'dropped', or `deliver` runs after the delay it is given. */
  arrive(bytes: number, deliver: (delayMs: number) => void): 'dropped' | 'passed' {
    if (this.state.drops()) return 'dropped';
    this.later(this.inLane.cross(bytes), deliver);
    return 'passed';
  }

  /** A reply leaves for its client: `send` runs once the link has carried it. */
  leave(bytes: number, send: (delayMs: number) => void): void {
    this.later(this.outLane.cross(bytes), send);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later({ delayMs }: Crossing, run: (delayMs: number) => void): void {
    if (delayMs <= 0) {
      run(0);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run(delayMs);
    }, timerMs(delayMs));
    this.timers.add(timer);
  }
}

/** A bandwidth-limited write goes out in pieces of this size, so the client sees a stream, not one burst. */
const pieceBytes = 4 * 1024;
/** Bytes held on the link one way before the sender is slowed (the reader paused, or write() returning false). */
const heldLimit = 4 * 1024 * 1024;

/**
 * A TCP connection socket seen through the link: a Duplex the server's code reads and writes
 * like the socket itself, while the real socket's reads reach it, and its writes reach the
 * real socket, only after the link's delay and transmission time. Bytes stay in order both ways.
 */
export class LinkedSocket extends Duplex {
  /** How long the link held the chunk last read (for the server's log). */
  lastReadDelayMs = 0;
  private readonly inLane: Lane;
  private readonly outLane: Lane;
  private readonly inQueue = new DelayQueue();
  private readonly outQueue = new DelayQueue();
  private readonly readDelays = new WeakMap<Buffer, number>();
  private heldIn = 0;
  private heldOut = 0;
  private pausedByLink = false;
  private writeWaiting: (() => void) | undefined;
  private timeoutRelayed = false;

  /**
   * @param handshake the connection was just accepted: the kernel completed the real TCP
   *   handshake at once, so the link emulates it (SYN in, SYN-ACK out) by letting the
   *   client's first bytes start across only one round trip after the accept, the way
   *   a request waits for the handshake on a real network (the textbook's first RTT).
   */
  constructor(
    readonly raw: net.Socket,
    private readonly state: LinkState,
    handshake = false,
  ) {
    super({ allowHalfOpen: true });
    this.inLane = state.lane('in', true);
    this.outLane = state.lane('out', true);
    const link = state.link;
    if (handshake && link) this.inLane.holdUntil(monoNow() + link.delayMs + returnDelayOf(link));
    this.prependListener('data', (chunk: Buffer) => {
      this.lastReadDelayMs = this.readDelays.get(chunk) ?? 0;
    });
    raw.on('data', (chunk: Buffer) => this.arrived(chunk));
    raw.on('end', () => this.inQueue.push(this.inLane.cross(0).due, () => this.push(null)));
    raw.on('close', () => this.destroy());
    raw.on('drain', () => {
      if (this.heldOutAll() < heldLimit) this.releaseWriter();
    });
  }

  // What servers written for a net.Socket read of it (node:http, smtp-server): the real socket's.
  get remoteAddress(): string | undefined {
    return this.raw.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.raw.remotePort;
  }
  get remoteFamily(): string | undefined {
    return this.raw.remoteFamily;
  }
  get localAddress(): string | undefined {
    return this.raw.localAddress;
  }
  get localPort(): number | undefined {
    return this.raw.localPort;
  }
  get localFamily(): string | undefined {
    return this.raw.localFamily;
  }
  get readyState(): string {
    return this.raw.readyState;
  }

  /** The real socket's idle timer; its 'timeout' is this socket's. */
  setTimeout(ms: number, callback?: () => void): this {
    if (!this.timeoutRelayed) {
      this.timeoutRelayed = true;
      this.raw.on('timeout', () => this.emit('timeout'));
    }
    this.raw.setTimeout(ms);
    if (callback) this.once('timeout', callback);
    return this;
  }

  setNoDelay(noDelay?: boolean): this {
    this.raw.setNoDelay(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, initialDelay?: number): this {
    this.raw.setKeepAlive(enable, initialDelay);
    return this;
  }

  address(): ReturnType<net.Socket['address']> {
    return this.raw.address();
  }

  /** How long a reply of `bytes` written now will be held by the link (for the server's log). */
  writeDelayMs(bytes: number): number {
    return this.outLane.preview(bytes);
  }

  override _read(): void {
    if (this.pausedByLink && this.heldIn < heldLimit) {
      this.pausedByLink = false;
      this.raw.resume();
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    for (const piece of this.pieces(chunk)) {
      this.heldOut += piece.byteLength;
      this.outQueue.push(this.outLane.cross(piece.byteLength).due, () => {
        this.heldOut -= piece.byteLength;
        if (!this.raw.destroyed) this.raw.write(piece);
        if (this.heldOutAll() < heldLimit) this.releaseWriter();
      });
    }
    if (this.heldOutAll() < heldLimit) callback();
    else this.writeWaiting = () => callback();
  }

  /**
   * What the server has written that the peer has not taken: on the link, and in the real
   * socket's own queue (a peer that does not read fills it), so TCP's flow control still
   * slows the server, link or no link.
   */
  private heldOutAll(): number {
    return this.heldOut + this.raw.writableLength;
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.outQueue.push(this.outLane.cross(0).due, () => {
      if (this.raw.destroyed) callback();
      else this.raw.end(() => callback());
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.inQueue.clear();
    this.outQueue.clear();
    this.raw.destroy();
    callback(error);
  }

  private arrived(chunk: Buffer): void {
    for (const piece of this.pieces(chunk)) {
      this.heldIn += piece.byteLength;
      const { due, delayMs } = this.inLane.cross(piece.byteLength);
      this.inQueue.push(due, () => {
        this.heldIn -= piece.byteLength;
        this.readDelays.set(piece, delayMs);
        if (!this.push(piece)) this.pauseRaw();
      });
    }
    if (this.heldIn >= heldLimit) this.pauseRaw();
  }

  /** Under a bandwidth limit a chunk crosses in pieces, as packets would (pipelined); whole otherwise. */
  private pieces(chunk: Buffer): Buffer[] {
    const bandwidth = this.state.link?.bandwidthBytesPerSecond ?? null;
    if (bandwidth === null || chunk.byteLength <= pieceBytes) return [chunk];
    const pieces: Buffer[] = [];
    for (let offset = 0; offset < chunk.byteLength; offset += pieceBytes) {
      pieces.push(chunk.subarray(offset, offset + pieceBytes));
    }
    return pieces;
  }

  private pauseRaw(): void {
    if (this.pausedByLink) return;
    this.pausedByLink = true;
    this.raw.pause();
  }

  private releaseWriter(): void {
    const waiting = this.writeWaiting;
    this.writeWaiting = undefined;
    waiting?.();
  }
}

/**
 * Puts the link in front of a server written for plain sockets (node:http, smtp-server):
 * every 'connection' listener the server has now gets, for a connection accepted while a
 * link is on, the LinkedSocket instead of the real socket, so the server reads and writes
 * through the link. Connections accepted with no link keep the real socket (nothing in
 * the way, as fast as before); call it once every listener is in place.
 */
export function linkAccepted(server: net.Server, state: LinkState, options: { handshake?: boolean } = {}): void {
  const listeners = server.listeners('connection') as ((socket: net.Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (raw: net.Socket) => {
    let socket = raw;
    if (state.link) {
      const linked = new LinkedSocket(raw, state, options.handshake);
      linked.on('error', () => {
        // the server's own listeners on the socket it was given report it
      });
      raw.on('error', (error) => linked.destroy(error));
      socket = linked as unknown as net.Socket;
    }
    for (const listener of listeners) listener.call(server, socket);
  });
}
