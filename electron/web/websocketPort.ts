import type { RawData, WebSocket } from 'ws';
import { decodeFrame, encodeFrame } from '../../shared/contract/codec';
import type { Frame } from '../../shared/contract/frames';
import { type Port, PortListeners } from '../../shared/transport/port';

/** WebSocket close codes this port uses (RFC 6455 §7.4.1). */
export const closeCodes = {
  normal: 1000,
  goingAway: 1001,
  unsupportedData: 1003,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
} as const;

export const DEFAULT_HEARTBEAT_MS = 15_000;

/**
 * Outgoing bytes the port lets pile up for a renderer that does not read them. Past
 * this the renderer is not keeping up (a frozen tab, a stuck debugger) and the port
 * closes with 1008 instead of holding ever more memory; the renderer reconnects and
 * starts fresh. 64 MiB is far above anything a healthy page queues (frames are at
 * most a few MiB and leave at loopback speed).
 */
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** How long a closing socket may take to finish the close handshake before it is cut. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;

export interface WebSocketPortOptions {
  /** Ping interval; a peer that has not answered by the next ping is dropped. 0 turns heartbeats off. */
  heartbeatMs?: number;
  maxBufferedBytes?: number;
  closeTimeoutMs?: number;
  log?: (message: string) => void;
  /** Names the peer in log lines, e.g. its address. */
  label?: string;
}

/**
 * A Port over an open `ws` WebSocket (the Node side of browser mode; tests also use
 * it around a `ws` client). One binary message carries one frame in the
 * shared/contract/codec.ts format. What arrives is untrusted: a text message closes
 * the socket with 1003 and a message that does not decode with 1007, since either
 * means the peer does not speak this protocol and nothing it says can be answered.
 */
export class WebSocketPort implements Port {
  private readonly listeners = new PortListeners();
  private readonly log: (message: string) => void;
  private readonly label: string;
  private readonly maxBufferedBytes: number;
  private readonly closeTimeoutMs: number;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;
  private socketClosed = false;

  constructor(
    private readonly ws: WebSocket,
    options: WebSocketPortOptions = {},
  ) {
    if (ws.readyState !== ws.OPEN) throw new Error('WebSocketPort needs a WebSocket that is already open');
    this.log = options.log ?? ((message) => console.error(message));
    this.label = options.label ?? 'WebSocket peer';
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    ws.on('error', (error) => this.log(`${this.label}: WebSocket error: ${error.message}`));
    ws.on('close', () => {
      this.socketClosed = true;
      this.stopTimers();
      this.listeners.markClosed();
    });
    this.startHeartbeat(options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  }

  get closed(): boolean {
    return this.listeners.closed;
  }

  /** Bytes queued for a peer that has not read them yet (ws counts what its socket has not written). */
  get bufferedAmount(): number {
    return this.socketClosed ? 0 : this.ws.bufferedAmount;
  }

  send(frame: Frame): void {
    if (this.closed) return;
    let bytes: Uint8Array;
    try {
      bytes = encodeFrame(frame);
    } catch (error) {
      this.log(`${this.label}: could not encode a ${frame.kind} frame: ${errorText(error)}`);
      // The caller must still learn that its call ended, or it would wait for nothing.
      if (frame.kind === 'response') {
        this.send({
          kind: 'response',
          id: frame.id,
          ok: false,
          error: { code: 'E_INTERNAL', message: `the answer could not be encoded: ${errorText(error)}` },
        });
      }
      return;
    }
    this.ws.send(bytes, { binary: true });
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.log(
        `${this.label}: more than ${formatBytes(this.maxBufferedBytes)} queued for a peer that is not reading; closing`,
      );
      this.close(closeCodes.policyViolation, 'not reading fast enough; reconnect');
    }
  }

  onFrame(listener: (frame: unknown) => void): () => void {
    return this.listeners.onFrame(listener);
  }

  onClose(listener: () => void): () => void {
    return this.listeners.onClose(listener);
  }

  /**
   * Closes with a close handshake; a peer that does not finish it within the close
   * timeout is cut off. The port counts as closed at once, so whatever the session
   * owns is released without waiting for the peer.
   */
  close(code: number = closeCodes.normal, reason = ''): void {
    if (this.closed) return;
    this.stopHeartbeat();
    this.listeners.markClosed();
    if (this.socketClosed) return;
    try {
      this.ws.close(code, truncateReason(reason));
    } catch (error) {
      this.log(`${this.label}: closing failed (${errorText(error)}); cutting the connection`);
      this.ws.terminate();
      return;
    }
    this.closeTimer = setTimeout(() => this.ws.terminate(), this.closeTimeoutMs);
    this.closeTimer.unref();
  }

  /** Drops the connection without a close handshake. */
  terminate(): void {
    this.stopHeartbeat();
    this.listeners.markClosed();
    if (!this.socketClosed) this.ws.terminate();
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    if (!isBinary) {
      this.log(`${this.label}: sent a text message; frames are binary. Closing.`);
      this.close(closeCodes.unsupportedData, 'frames must be binary messages');
      return;
    }
    let frame: unknown;
    try {
      frame = decodeFrame(toBytes(data));
    } catch (error) {
      this.log(`${this.label}: sent a message that is not a frame (${errorText(error)}). Closing.`);
      this.close(closeCodes.invalidPayload, 'message is not a valid frame');
      return;
    }
    try {
      this.listeners.deliver(frame);
    } catch (error) {
      // A listener bug must not tear down the socket's event loop.
      this.log(`${this.label}: a frame listener failed: ${errorText(error)}`);
    }
  }

  private startHeartbeat(intervalMs: number): void {
    if (intervalMs <= 0) return;
    let waitingForPong = false;
    const alive = () => {
      waitingForPong = false;
    };
    // Anything the peer sends proves it is there; a pong can queue behind a large frame.
    this.ws.on('pong', alive);
    this.ws.on('message', alive);
    this.heartbeat = setInterval(() => {
      if (waitingForPong) {
        this.log(`${this.label}: no answer to a heartbeat within ${intervalMs} ms; dropping the connection`);
        this.terminate();
        return;
      }
      waitingForPong = true;
      this.ws.ping();
    }, intervalMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private stopTimers(): void {
    this.stopHeartbeat();
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
  }
}

/**
 * A plain Uint8Array view: Buffer#slice shares memory where Uint8Array#slice copies,
 * and the codec relies on copying so decoded bytes do not pin the message buffer.
 */
function toBytes(data: RawData): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  const buffer = Array.isArray(data) ? Buffer.concat(data) : data;
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Close reasons are limited to 123 bytes of UTF-8. */
function truncateReason(reason: string): string {
  const bytes = Buffer.from(reason, 'utf8');
  return bytes.byteLength <= 123
    ? reason
    : bytes
        .subarray(0, 120)
        .toString('utf8')
        .replace(/\uFFFD+$/, '');
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
