import type { Frame } from '../../shared/contract/frames';
import type { PlaygroundBridge } from '../../shared/transport/bridge';
import { type Port, PortListeners } from '../../shared/transport/port';

/**
 * The Port over the preload's bridge. IPC to the main process lives as long as the
 * window, so this port never closes by itself; `close()` only stops listening.
 */
export function createElectronPort(bridge: PlaygroundBridge): Port {
  const listeners = new PortListeners();
  const unsubscribe = bridge.onFrame((frame) => listeners.deliver(frame));
  return {
    get closed() {
      return listeners.closed;
    },
    bufferedAmount: 0,
    send(frame: Frame) {
      if (!listeners.closed) bridge.send(frame);
    },
    onFrame: (listener) => listeners.onFrame(listener),
    onClose: (listener) => listeners.onClose(listener),
    close() {
      unsubscribe();
      listeners.markClosed();
    },
  };
}

/** The bridge the preload exposes, when this page runs inside the Electron shell. */
export function findElectronBridge(scope: { playground?: unknown }): PlaygroundBridge | undefined {
  const candidate = scope.playground as Partial<PlaygroundBridge> | undefined;
  if (candidate && typeof candidate.send === 'function' && typeof candidate.onFrame === 'function') {
    return candidate as PlaygroundBridge;
  }
  return undefined;
}
