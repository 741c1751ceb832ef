import { fileURLToPath } from 'node:url';
import type { Frame } from '../shared/contract/frames';
import { type Port, PortListeners } from '../shared/transport/port';
import { FRAME_CHANNEL } from './ipcChannel';

// Only the few members of Electron's objects this module uses, so it stays plain
// Node (testable without Electron). The real WebContents, IpcMain and IpcMainEvent
// satisfy these structurally; electron/main.ts passes them in and tsc checks that.

/** A frame of a page (Electron's WebFrameMain). */
export interface SenderFrame {
  readonly url: string;
}

/** The main-process side of one page (Electron's WebContents). */
export interface PageContents {
  readonly mainFrame: SenderFrame;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
  removeListener(event: 'destroyed', listener: () => void): unknown;
}

/** What arrives with an IPC message (Electron's IpcMainEvent). */
export interface FrameEvent {
  readonly sender: unknown;
  readonly senderFrame: SenderFrame | null;
}

export type FrameListener = (event: FrameEvent, frame: unknown) => void;

/** The main process's IPC receiver (Electron's ipcMain). */
export interface FrameIpc {
  on(channel: string, listener: FrameListener): unknown;
  removeListener(channel: string, listener: FrameListener): unknown;
}

export interface ElectronPortOptions {
  /** The URL the app's own page was loaded from; frames from any other page are dropped. */
  appUrl: string;
  log?: (message: string) => void;
}

/**
 * True when an IPC frame whose sending frame shows `frameUrl` comes from the app's
 * own page at `appUrl`. Query and fragment are ignored (the page may route with
 * them). A file: page must be the very same file, because every file: URL shares
 * one opaque origin; any other scheme must be the same origin (scheme, host, port).
 */
export function isTrustedSenderUrl(frameUrl: string, appUrl: string): boolean {
  let frame: URL;
  let app: URL;
  try {
    frame = new URL(frameUrl);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (frame.protocol !== app.protocol || frame.username !== '' || frame.password !== '') return false;
  if (app.protocol === 'file:') return sameFile(frame, app);
  // Scheme, host and port, compared by hand: Node's URL gives custom schemes
  // such as app:// an opaque origin, though Chromium treats registered ones as real.
  return app.host !== '' && frame.host === app.host;
}

/**
 * A Port to the page shown in one webContents. Frames go out with
 * `webContents.send` (structured clone carries Uint8Array as is, so no codec).
 * Frames come in through ipcMain and are accepted only from that webContents'
 * main frame while it shows the app's own page: HTML previews will run in
 * sandboxed subframes, and nothing there may talk to the Node side.
 * The port closes when the webContents is destroyed.
 */
export function createElectronPort(contents: PageContents, ipc: FrameIpc, options: ElectronPortOptions): Port {
  const { appUrl, log = (message) => console.warn(message) } = options;
  const listeners = new PortListeners();

  const receive: FrameListener = (event, frame) => {
    // Other windows' frames are their own ports' business.
    if (event.sender !== contents) return;
    const from = event.senderFrame;
    if (from === null) {
      log('dropped an IPC frame: its sending frame is gone (the page navigated or closed)');
      return;
    }
    if (from !== contents.mainFrame) {
      log(
        `dropped an IPC frame from a subframe (${shorten(from.url)}): only the app's own page may talk to the Node side`,
      );
      return;
    }
    if (!isTrustedSenderUrl(from.url, appUrl)) {
      log(
        `dropped an IPC frame from ${shorten(from.url)}: only the app's own page (${appUrl}) may talk to the Node side`,
      );
      return;
    }
    listeners.deliver(frame);
  };

  const close = () => {
    if (listeners.closed) return;
    ipc.removeListener(FRAME_CHANNEL, receive);
    contents.removeListener('destroyed', close);
    listeners.markClosed();
  };

  ipc.on(FRAME_CHANNEL, receive);
  contents.once('destroyed', close);
  if (contents.isDestroyed()) close();

  return {
    get closed() {
      return listeners.closed;
    },
    // webContents.send hands the frame to IPC at once and says nothing of the page's own queue.
    bufferedAmount: 0,
    send(frame: Frame) {
      if (listeners.closed || contents.isDestroyed()) return;
      try {
        contents.send(FRAME_CHANNEL, frame);
      } catch (error) {
        // A frame that cannot be cloned is a bug on the Node side; the page lives on.
        log(
          `could not send a ${frame.kind} frame to the window: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    },
    onFrame: (listener) => listeners.onFrame(listener),
    onClose: (listener) => listeners.onClose(listener),
    close,
  };
}

/** Page lifecycle events of a webContents that decide when a page's session ends. */
export interface NavigatingContents extends PageContents {
  /** A new document committed in the main frame (a load, a reload); not emitted for in-page navigations. */
  on(event: 'did-navigate', listener: () => void): unknown;
  on(event: 'render-process-gone', listener: () => void): unknown;
}

/**
 * Gives every page loaded into `contents` its own port, so a reload (or a
 * crashed renderer) closes the old page's session and everything it owned:
 * a socket bound by the old page must not block the new one. `onPage` is called
 * for each new port; the first page is the first committed main-frame load.
 *
 * Only a committed navigation ends the old page: `did-start-navigation` also
 * fires for a link that `will-navigate` then cancels (main.ts offers it to the
 * system browser instead), and the page that stays must keep its servers.
 */
export function servePages(
  contents: NavigatingContents,
  ipc: FrameIpc,
  options: ElectronPortOptions & { onPage: (port: Port) => void },
): void {
  let current: Port | undefined;
  contents.on('did-navigate', () => {
    current?.close();
    current = createElectronPort(contents, ipc, options);
    options.onPage(current);
  });
  contents.on('render-process-gone', () => current?.close());
}

/**
 * Compared as paths, not strings: Chromium and Node percent-encode some
 * characters of a path differently (e.g. braces), yet it is the same file.
 */
function sameFile(a: URL, b: URL): boolean {
  try {
    return fileURLToPath(a) === fileURLToPath(b);
  } catch {
    return false; // a host on POSIX, an encoded slash: not our page
  }
}

function shorten(url: string): string {
  return url.length > 120 ? `${url.slice(0, 117)}...` : url;
}
