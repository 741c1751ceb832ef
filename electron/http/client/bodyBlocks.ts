import { defaultHttpBodyCapBytes } from '../../../shared/http/client/contract';
import { monoNow } from '../../net/clock';

export interface BlockPoolOptions {
  /** Size of every block. */
  blockBytes: number;
  /** Blocks kept for reuse, in bytes; a block given back beyond this is left to the GC. */
  maxIdleBytes: number;
  /** Idle blocks are let go after this long without a take or a give. */
  idleMs: number;
}

/**
 * Fixed-size blocks that kept response bodies are copied into, recycled when a body is
 * let go. Fresh memory is what keeping a large body costs: the first touch of every page
 * is a page fault (about as long, for 64 MiB, as receiving 100 MB over loopback), and a
 * growing pile of socket-sized buffers makes V8 collect for "external memory pressure".
 * A block that was used before has its pages already, and is one object, not sixteen.
 * The pool holds at most `maxIdleBytes` and empties itself once the app has not needed a
 * block for `idleMs`, so an idle app gives the memory back.
 */
export class BlockPool {
  readonly blockBytes: number;
  private readonly idle: Uint8Array[] = [];
  private lastUsedMono = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BlockPoolOptions) {
    this.blockBytes = options.blockBytes;
  }

  /** Bytes held for reuse. */
  get idleBytes(): number {
    return this.idle.length * this.blockBytes;
  }

  /** A block holding whatever its last user wrote: only bytes written into it since may be read. */
  take(): Uint8Array {
    this.lastUsedMono = monoNow();
    // A plain Uint8Array, not a Buffer: its slice() copies, where a Buffer's would be a view of a block that is reused.
    return this.idle.pop() ?? new Uint8Array(this.blockBytes);
  }

  /** The caller holds no view of `block` any more. */
  give(block: Uint8Array): void {
    this.lastUsedMono = monoNow();
    if (block.byteLength !== this.blockBytes || this.idleBytes + this.blockBytes > this.options.maxIdleBytes) return;
    this.idle.push(block);
    this.timer ??= this.sleep(this.options.idleMs);
  }

  /** Lets every idle block go. */
  empty(): void {
    this.idle.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private sleep(ms: number): NodeJS.Timeout {
    // One timer for the pool, not one per give; it must not keep the process alive.
    const timer = setTimeout(() => {
      this.timer = undefined;
      const left = this.lastUsedMono + this.options.idleMs - monoNow();
      if (left > 0 && this.idle.length > 0) this.timer = this.sleep(left);
      else this.empty();
    }, Math.ceil(ms));
    timer.unref();
    return timer;
  }
}

/**
 * Blocks of 1 MiB (a body's last, partly used block is copied out when it ends, so small
 * bodies hold only their bytes); enough kept idle for one body at the default cap.
 */
export const bodyBlocks = new BlockPool({
  blockBytes: 1024 * 1024,
  maxIdleBytes: defaultHttpBodyCapBytes,
  idleMs: 30_000,
});
