import { type BlockPool, bodyBlocks } from './bodyBlocks';

/**
 * One response body, copied as it arrives into blocks from a pool: appending never
 * copies what is already kept, reading a slice copies only that slice, and the caller may
 * reuse the buffer it appended from (the socket reads into one). Copying into a block
 * that was used before is several times cheaper than keeping the socket's own buffers,
 * which are fresh memory every time (see BlockPool). When the body ends (`seal`), the
 * used part of its last block is copied out, so a small body holds only its bytes.
 */
export class BodyStore {
  /** Views of the kept bytes, in order: one per block (after `seal`, the last is a copy of its own). */
  private readonly pieces: Uint8Array[] = [];
  /** Start offset of each piece. */
  private readonly starts: number[] = [];
  /** Blocks taken from the pool, in order; the last is being filled. */
  private readonly blocks: Uint8Array[] = [];
  /** Bytes written into the last block. */
  private used = 0;
  private length = 0;
  private borrowers = 0;

  constructor(private readonly pool: BlockPool = bodyBlocks) {}

  get size(): number {
    return this.length;
  }

  append(data: Uint8Array): void {
    let from = 0;
    while (from < data.length) {
      let block = this.blocks[this.blocks.length - 1];
      if (!block || this.used === block.length) {
        block = this.pool.take();
        this.blocks.push(block);
        this.used = 0;
      }
      const n = Math.min(data.length - from, block.length - this.used);
      block.set(n === data.length ? data : data.subarray(from, from + n), this.used);
      this.used += n;
      from += n;
      this.grow(block, n);
    }
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

  /** The pieces in order (for decoding without one big copy); valid while borrowed (see `borrow`). */
  chunks(): readonly Uint8Array[] {
    return this.pieces.slice();
  }

  /**
   * Keeps the blocks behind the current pieces from going back to the pool until the
   * returned function is called: a decode reads them asynchronously, and the exchange may
   * be forgotten meanwhile (its blocks are then left to the GC instead).
   */
  borrow(): () => void {
    this.borrowers++;
    let returned = false;
    return () => {
      if (returned) return;
      returned = true;
      this.borrowers--;
    };
  }

  /** No more bytes are expected: the last block's used part becomes a piece of its own size. */
  seal(): void {
    const block = this.blocks[this.blocks.length - 1];
    const last = this.pieces[this.pieces.length - 1];
    if (!block || !last || last.buffer !== block.buffer || this.used === block.length || this.borrowers > 0) return;
    this.pieces[this.pieces.length - 1] = last.slice();
    this.blocks.pop();
    this.used = 0;
    this.pool.give(block);
  }

  clear(): void {
    if (this.borrowers === 0) for (const block of this.blocks) this.pool.give(block);
    this.blocks.length = 0;
    this.used = 0;
    this.pieces.length = 0;
    this.starts.length = 0;
    this.length = 0;
  }

  /** `n` bytes were written into `block` just before `used`: the last piece grows, or a new one starts. */
  private grow(block: Uint8Array, n: number): void {
    const lastIndex = this.pieces.length - 1;
    const last = this.pieces[lastIndex];
    if (last && last.buffer === block.buffer) {
      this.pieces[lastIndex] = block.subarray(this.used - last.length - n, this.used);
    } else {
      this.starts.push(this.length);
      this.pieces.push(block.subarray(this.used - n, this.used));
    }
    this.length += n;
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
