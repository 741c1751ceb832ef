import type { Frame } from '../contract/frames';
import { type Port, PortListeners } from './port';

/**
 * Two connected ports in one process, for tests and for running the Node side's
 * services in-process. Frames are structured-cloned and delivered asynchronously,
 * as Electron's IPC does, so code that works here does not rely on shared objects.
 */
export function createMemoryPortPair(): [Port, Port] {
  const a = new MemoryPort();
  const b = new MemoryPort();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

class MemoryPort implements Port {
  peer: MemoryPort | undefined;
  private readonly listeners = new PortListeners();

  get closed(): boolean {
    return this.listeners.closed;
  }

  /** Frames are cloned as they are sent; nothing waits. */
  readonly bufferedAmount = 0;

  send(frame: Frame): void {
    if (this.closed) return;
    const copy = structuredClone(frame);
    const peer = this.peer;
    queueMicrotask(() => peer?.listeners.deliver(copy));
  }

  onFrame(listener: (frame: unknown) => void): () => void {
    return this.listeners.onFrame(listener);
  }

  onClose(listener: () => void): () => void {
    return this.listeners.onClose(listener);
  }

  close(): void {
    if (this.closed) return;
    this.listeners.markClosed();
    const peer = this.peer;
    queueMicrotask(() => peer?.close());
  }
}
