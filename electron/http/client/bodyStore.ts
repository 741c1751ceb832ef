import { type BlockPool, bodyBlocks } from './bodyBlocks';

/**
 * One response body, kept in blocks from a pool: appending never copies what is already
 * kept, reading a slice copies only that slice. Bytes are copied in, so the caller may
 * reuse the buffer it appended from; or a socket reads straight into the free part of
 * the current block (`lend`), and appending those bytes copies nothing. Either is several
 * times cheaper than keeping the socket's own buffers, which are fresh memory every time
 * (see BlockPool). When the body ends (`seal`), the used part of its last block is copied
 * out, so a small body holds only its bytes.
 */
export class BodyStore {
  /** Views of the kept bytes, in order; consecutive bytes of one block are one piece. */
  private readonly pieces: Uint8Array[] = [];
  /** Start offset of each piece. */
  private readonly starts: number[] = [];
  /** Every block taken from the pool and still held. */
  private readonly blocks: Uint8Array[] = [];
  /** The block being filled, and how much of it is used. */
  private current: Uint8Array | undefined;
  private used = 0;
  /** The block whose free part a socket may still write into (see `lend`). */
  private lent: Uint8Array | undefined;
  private sealWhenReturned = false;
  private length = 0;
  private borrowers = 0;

  constructor(private readonly pool: BlockPool = bodyBlocks) {}

  get size(): number {
    return this.length;
  }

  append(data: Uint8Array): void {
    if (data.length === 0) return;
    if (this.keepInPlace(data)) return;
    let from = 0;
    while (from < data.length) {
      // Never into a lent block: a later read would overwrite what is copied there.
      if (!this.current || this.used === this.current.length || this.current === this.lent) this.startBlock();
      const block = this.current as Uint8Array;
      const n = Math.min(data.length - from, block.length - this.used);
      block.set(n === data.length ? data : data.subarray(from, from + n), this.used);
      this.grow(block, this.used, n);
      this.used += n;
      from += n;
    }
  }

  /**
   * The free part of the current block, for the next socket read: bytes of this body
   * that land there are then appended without a copy. It stays lent until `endLend`;
   * meanwhile nothing else is written into it, and the block is not recycled.
   */
  lend(): Uint8Array {
    if (!this.current || this.used === this.current.length) this.startBlock();
    const block = this.current as Uint8Array;
    this.lent = block;
    return block.subarray(this.used);
  }

  /** The socket will not write into the lent part any more. */
  endLend(): void {
    this.lent = undefined;
    if (this.sealWhenReturned) {
      this.sealWhenReturned = false;
      this.seal();
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

  /** No more bytes are expected: the used part of the last block becomes pieces of their own size. */
  seal(): void {
    const block = this.current;
    if (!block) return;
    if (this.lent === block) {
      this.sealWhenReturned = true;
      return;
    }
    if (this.used === block.length || this.borrowers > 0) {
      // Full (nothing to give back), or a decode still reads it: the block stays as it is.
      this.current = undefined;
      return;
    }
    for (let i = this.pieces.length - 1; i >= 0 && (this.pieces[i] as Uint8Array).buffer === block.buffer; i--) {
      this.pieces[i] = (this.pieces[i] as Uint8Array).slice();
    }
    this.blocks.splice(this.blocks.indexOf(block), 1);
    this.current = undefined;
    this.used = 0;
    this.pool.give(block);
  }

  clear(): void {
    if (this.borrowers === 0) {
      // A lent block is left to the GC: the socket may still write into it.
      for (const block of this.blocks) if (block !== this.lent) this.pool.give(block);
    }
    this.blocks.length = 0;
    this.current = undefined;
    this.used = 0;
    this.lent = undefined;
    this.sealWhenReturned = false;
    this.pieces.length = 0;
    this.starts.length = 0;
    this.length = 0;
  }

  /** Bytes a socket read put into the lent part: kept where they are (moved down over framing bytes, if any). */
  private keepInPlace(data: Uint8Array): boolean {
    const block = this.lent;
    if (!block || block !== this.current || data.buffer !== block.buffer) return false;
    const at = data.byteOffset - block.byteOffset;
    if (at < this.used || at + data.length > block.length) return false;
    // Between the last kept byte and these lie bytes the parser has finished with (a chunk-size line, say).
    if (at > this.used) block.copyWithin(this.used, at, at + data.length);
    this.grow(block, this.used, data.length);
    this.used += data.length;
    return true;
  }

  private startBlock(): void {
    this.current = this.pool.take();
    this.blocks.push(this.current);
    this.used = 0;
  }

  /** `n` bytes at `start` in `block`, right after the bytes kept so far: the last piece grows, or a new one starts. */
  private grow(block: Uint8Array, start: number, n: number): void {
    const lastIndex = this.pieces.length - 1;
    const last = this.pieces[lastIndex];
    if (last && last.buffer === block.buffer && last.byteOffset + last.length === block.byteOffset + start) {
      this.pieces[lastIndex] = block.subarray(start - last.length, start + n);
    } else {
      this.starts.push(this.length);
      this.pieces.push(block.subarray(start, start + n));
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
