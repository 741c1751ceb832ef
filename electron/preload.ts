/**
 * Runs in the sandboxed renderer before the page, in its own isolated world.
 * Exposes exactly `send`, `onFrame` and `version` as `window.playground`: a frame
 * pipe on one fixed channel, no generic IPC, nothing Electron-shaped. Bundled by
 * esbuild (a sandboxed preload cannot load modules).
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { Frame } from '../shared/contract/frames';
import { bridgeKey, type PlaygroundBridge } from '../shared/transport/bridge';
import { FRAME_CHANNEL } from './ipcChannel';

/**
 * The app's version, put in by the build (electron/cli/build.ts, esbuild's `define`):
 * importing package.json would bundle all of it, dependency lists included, into
 * a script that runs in every page.
 */
declare const __APP_VERSION__: string;

const bridge: PlaygroundBridge = {
  send(frame: Frame) {
    ipcRenderer.send(FRAME_CHANNEL, frame);
  },
  onFrame(listener: (frame: unknown) => void) {
    // The IPC event stays here: it holds ipcRenderer itself, which the page must never see.
    const forward = (_event: IpcRendererEvent, frame: unknown) => listener(frame);
    ipcRenderer.on(FRAME_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(FRAME_CHANNEL, forward);
    };
  },
  version: __APP_VERSION__,
};

contextBridge.exposeInMainWorld(bridgeKey, bridge);
