/** Unattributed bytes kept per connection: more than Node's 16 KiB head limit plus one read. */
const maxPendingBytes = 128 * 1024;

export interface RequestBytes {
  /** The request's bytes as received, up to the caller's cap. */
  raw: Uint8Array;
  /** Its full size on the wire (head and body). */
  total: number;
}

/**
 * The raw bytes of each request on one connection, in order. Node's HTTP parser reads
 * the same stream but does not hand out bytes; this keeps what arrived since the last
 * request and cuts it at the end of each head (plus a Content-Length body), so the log
 * shows a request exactly as it came, CR and LF included.
 */
export class RequestByteStream {
  private pending: Uint8Array = new Uint8Array(0);
  /** Body bytes of an earlier request still to arrive; they belong to it, not the next. */
  private skip = 0;
  /** Bytes beyond `maxPendingBytes`, counted but not kept. */
  private overflow = 0;

  push(chunk: Uint8Array): void {
    let data = chunk;
    if (this.skip > 0) {
      const skipped = Math.min(this.skip, data.byteLength);
      this.skip -= skipped;
      data = data.subarray(skipped);
    }
    if (data.byteLength === 0) return;
    const room = maxPendingBytes - this.pending.byteLength;
    if (room <= 0) {
      this.overflow += data.byteLength;
      return;
    }
    const kept = data.subarray(0, room);
    this.overflow += data.byteLength - kept.byteLength;
    const next = new Uint8Array(this.pending.byteLength + kept.byteLength);
    next.set(this.pending, 0);
    next.set(kept, this.pending.byteLength);
    this.pending = next;
  }

  /**
   * The next request: its head and `bodyLength` body bytes (those not yet arrived are
   * skipped when they do). Called when Node has parsed a head, so the head is here.
   */
  takeRequest(bodyLength: number, cap: number): RequestBytes {
    const end = headEnd(this.pending);
    const headLength = end === -1 ? this.pending.byteLength : end;
    const bodyHere = Math.min(bodyLength, this.pending.byteLength - headLength);
    this.skip += bodyLength - bodyHere;
    return this.take(headLength + bodyHere, headLength + bodyLength, cap);
  }

  /** Everything not yet attributed (a request Node could not parse). */
  takeRest(cap: number): RequestBytes {
    const length = this.pending.byteLength;
    const total = length + this.overflow;
    this.overflow = 0;
    return this.take(length, total, cap);
  }

  private take(length: number, total: number, cap: number): RequestBytes {
    const raw = this.pending.slice(0, Math.min(length, cap));
    this.pending = this.pending.slice(length);
    return { raw, total };
  }
}

/** Offset just past the blank line ending a head (CRLF CRLF, or bare LFs), or -1. Leading blank lines are skipped. */
export function headEnd(bytes: Uint8Array): number {
  let start = 0;
  while (start < bytes.byteLength && (bytes[start] === 0x0d || bytes[start] === 0x0a)) start++;
  for (let i = start; i < bytes.byteLength; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i + 1] === 0x0a) return i + 2;
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}
