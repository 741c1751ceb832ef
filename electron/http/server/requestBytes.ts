import { createRequestParser, type RequestParser } from '../../../shared/http/parse/requestParser';

export interface RequestBytes {
  /** The request's bytes as received, up to the cap. */
  raw: Uint8Array;
  /** Its size on the wire: head and body (a body still arriving counts as declared). */
  total: number;
}

/** The bytes of one message as they arrive, kept up to the cap and counted beyond it. */
class Message {
  private readonly parts: Uint8Array[] = [];
  private kept = 0;
  total = 0;
  /** Bytes from this message's start through the end of its head, once the head is known. */
  headBytes: number | undefined;
  /** Already handed to the log while its body was still arriving: its later bytes are only counted. */
  taken = false;

  constructor(private readonly cap: number) {}

  add(data: Uint8Array): void {
    this.total += data.byteLength;
    if (this.taken || this.kept >= this.cap || data.byteLength === 0) return;
    const part = data.slice(0, this.cap - this.kept);
    this.parts.push(part);
    this.kept += part.byteLength;
  }

  bytes(): Uint8Array {
    if (this.parts.length === 1) return this.parts[0] as Uint8Array;
    const out = new Uint8Array(this.kept);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.byteLength;
    }
    return out;
  }
}

/**
 * Each request's raw bytes on one connection, in order. Node's parser (llhttp) answers
 * the requests but does not hand out bytes; the shared request parser reads the same
 * stream alongside, only to find where each message ends (Content-Length or chunked
 * bodies, pipelined requests), so the log shows every request exactly as it came, CR
 * and LF included. Bodies are not kept beyond the cap.
 */
export class RequestByteStream {
  private readonly parser: RequestParser = createRequestParser({ maxBodyBytes: 0 });
  private received = 0;
  /** Complete messages Node has not announced yet (pipelined behind the one it answers). */
  private readonly complete: Message[] = [];
  private current: Message;

  constructor(private readonly cap: number) {
    this.current = new Message(cap);
  }

  push(chunk: Uint8Array): void {
    const chunkStart = this.received;
    this.received += chunk.byteLength;
    if (this.lost) {
      this.current.add(chunk);
      return;
    }
    let at = chunkStart;
    for (const event of this.parser.push(chunk)) {
      if (event.type === 'head') {
        const headEnd = event.head.offset + event.head.length;
        this.current.headBytes = this.current.total + (headEnd - at);
      } else if (event.type === 'end') {
        this.current.add(chunk.subarray(at - chunkStart, event.offset - chunkStart));
        at = event.offset;
        if (!this.current.taken) this.complete.push(this.current);
        this.current = new Message(this.cap);
      }
    }
    this.current.add(chunk.subarray(at - chunkStart));
  }

  /**
   * The request Node has just parsed a head of; `bodyLength` is its declared
   * Content-Length, for the size of a body that is still arriving.
   */
  takeRequest(bodyLength: number): RequestBytes {
    const done = this.complete.shift();
    if (done) return { raw: done.bytes(), total: done.total };
    const message = this.current;
    const total =
      message.headBytes === undefined ? message.total : Math.max(message.total, message.headBytes + bodyLength);
    const raw = message.bytes();
    if (this.lost) this.current = new Message(this.cap);
    else message.taken = true;
    return { raw, total };
  }

  /** Everything not yet handed out (what Node's parser refused, or bytes after the connection was to close). */
  takeRest(): RequestBytes {
    const messages = [...this.complete.splice(0), ...(this.current.taken ? [] : [this.current])];
    this.current = new Message(this.cap);
    this.current.taken = true;
    const parts = messages.map((message) => message.bytes());
    const length = parts.reduce((sum, part) => sum + part.byteLength, 0);
    const raw = new Uint8Array(Math.min(length, this.cap));
    let at = 0;
    for (const part of parts) {
      if (at >= raw.byteLength) break;
      raw.set(part.subarray(0, raw.byteLength - at), at);
      at += Math.min(part.byteLength, raw.byteLength - at);
    }
    return { raw, total: messages.reduce((sum, message) => sum + message.total, 0) };
  }

  /** The shared parser could not follow the stream (a fatal error, a protocol switch): bytes are cut per request only. */
  private get lost(): boolean {
    return this.parser.state === 'failed' || this.parser.state === 'switched';
  }
}
