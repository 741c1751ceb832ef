import type { Frame } from '../contract/frames';

/**
 * What Electron's preload exposes to the renderer as `window.playground`: a frame
 * pipe and the app version, nothing else. The renderer builds its Port (and any
 * typed client or Proxy) on top of this; nothing richer crosses contextBridge.
 */
export interface PlaygroundBridge {
  send(frame: Frame): void;
  /** Frames from the Node side arrive unvalidated; the client validates them. Returns an unsubscribe function. */
  onFrame(listener: (frame: unknown) => void): () => void;
  readonly version: string;
}

/** The name the bridge is exposed under (`window.playground`). */
export const bridgeKey = 'playground';
