import type { Frame } from '../contract/frames';

/**
 * One end of a frame pipe between the renderer and the Node side. Electron IPC,
 * a WebSocket and an in-memory pair all look like this, so nothing above it knows
 * which transport carries the frames.
 *
 * Received frames are `unknown`: whoever receives validates.
 */
export interface Port {
  /** Throws a PlaygroundError (E_TOO_LARGE) for a frame this transport cannot carry; nothing is sent then. */
  send(frame: Frame): void;
  onFrame(listener: (frame: unknown) => void): () => void;
  onClose(listener: () => void): () => void;
  close(): void;
  readonly closed: boolean;
  /**
   * Bytes handed to send() that this end still holds because the other end has not
   * taken them yet (a WebSocket's send queue: the reader is slow, or frozen). The
   * Node side slows its sockets down while it is high. 0 where the transport keeps
   * no queue of its own that it can see: Electron IPC and the in-memory pair deliver
   * (or clone) at once.
   */
  readonly bufferedAmount: number;
}

/** Listener bookkeeping every Port implementation needs. */
export class PortListeners {
  private readonly frameListeners = new Set<(frame: unknown) => void>();
  private readonly closeListeners = new Set<() => void>();
  private isClosed = false;

  get closed(): boolean {
    return this.isClosed;
  }

  onFrame(listener: (frame: unknown) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  onClose(listener: () => void): () => void {
    if (this.isClosed) {
      queueMicrotask(listener);
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  deliver(frame: unknown): void {
    if (this.isClosed) return;
    for (const listener of [...this.frameListeners]) listener(frame);
  }

  /** Marks the port closed and tells listeners once; later calls do nothing. */
  markClosed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const listeners = [...this.closeListeners];
    this.closeListeners.clear();
    this.frameListeners.clear();
    for (const listener of listeners) listener();
  }
}
