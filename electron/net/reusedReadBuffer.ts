import type net from 'node:net';

/**
 * Reads a plain TCP socket into one buffer that every read reuses (net.Socket's `onread`
 * option) instead of a fresh buffer per read: a large response is then no pile of
 * short-lived socket buffers for the GC. The bytes handed to the receiver are overwritten
 * by the next read, so whatever it keeps it must copy. Bytes that arrive before a receiver
 * is attached are copied and handed over when it is.
 */
export class ReusedReadBuffer {
  /** For connect(): the socket reads into this instead of emitting 'data'. */
  readonly onread: net.OnReadOpts;
  private receiver: ((chunk: Uint8Array) => void) | undefined;
  private early: Uint8Array[] = [];

  constructor(bytes = 64 * 1024) {
    this.onread = {
      // A plain Uint8Array, not a Buffer: a receiver's slice() must copy, not return a view of reused memory.
      buffer: new Uint8Array(bytes),
      callback: (nread, buffer) => {
        const chunk = buffer.subarray(0, nread);
        if (this.receiver) this.receiver(chunk);
        else this.early.push(chunk.slice());
        return true;
      },
    };
  }

  attach(receiver: (chunk: Uint8Array) => void): void {
    this.receiver = receiver;
    const early = this.early;
    this.early = [];
    for (const chunk of early) receiver(chunk);
  }
}
