/**
 * One response body as the pieces it arrived in: appending never copies the whole
 * body (no concatenation per chunk), and reading a slice copies only that slice. A
 * piece that is a small view of a much larger socket buffer is copied, so a kept
 * body never pins memory it does not use.
 */
export class BodyStore {
  private readonly pieces: Uint8Array[] = [];
  /** Start offset of each piece. */
  private readonly starts: number[] = [];
  private length = 0;

  get size(): number {
    return this.length;
  }

  append(data: Uint8Array): void {
    if (data.length === 0) return;
    const piece = data.length * 2 < data.buffer.byteLength ? Uint8Array.prototype.slice.call(data) : data;
    this.starts.push(this.length);
    this.pieces.push(piece);
    this.length += piece.length;
  }

  /** Bytes [offset, offset + length), fewer at the end. */
  read(offset: number, length: number): Uint8Array {
    const end = Math.min(this.length, offset + length);
    if (offset >= end) return new Uint8Array(0);
    let index = this.pieceAt(offset);
    const first = this.pieces[index] as Uint8Array;
    const firstStart = this.starts[index] as number;
    if (end <= firstStart + first.length) {
      return first.slice(offset - firstStart, end - firstStart);
    }
    const out = new Uint8Array(end - offset);
    let written = 0;
    while (written < out.length) {
      const piece = this.pieces[index] as Uint8Array;
      const start = this.starts[index] as number;
      const from = Math.max(0, offset + written - start);
      const to = Math.min(piece.length, end - start);
      out.set(piece.subarray(from, to), written);
      written += to - from;
      index++;
    }
    return out;
  }

  /** The pieces in order (for decoding without one big copy). */
  chunks(): readonly Uint8Array[] {
    return this.pieces;
  }

  clear(): void {
    this.pieces.length = 0;
    this.starts.length = 0;
    this.length = 0;
  }

  private pieceAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}
