import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  createElectronPort,
  type FrameEvent,
  isTrustedSenderUrl,
  type SenderFrame,
  servePages,
} from '../../../electron/electronPort';
import { serve } from '../../../electron/serve';
import { FRAME_CHANNEL } from '../../../electron/ipcChannel';
import { services } from '../../../electron/services';
import { createClient } from '../../../shared/contract/client';
import type { Frame } from '../../../shared/contract/frames';
import { type Port, PortListeners } from '../../../shared/transport/port';

const appUrl = 'file:///opt/Protocol%20Playground/dist/renderer/index.html';

describe('isTrustedSenderUrl', () => {
  it.each([
    [appUrl, true],
    [`${appUrl}#/udp`, true],
    [`${appUrl}?tool=tcp`, true],
    ['file:///opt/Protocol%20Playground/dist/renderer/other.html', false],
    ['file:///home/student/Downloads/index.html', false],
    ['file://evil-host/opt/Protocol%20Playground/dist/renderer/index.html', false],
    ['https://example.com/opt/Protocol%20Playground/dist/renderer/index.html', false],
    ['about:blank', false],
    ['data:text/html,<p>hi</p>', false],
    ['blob:null/0d9f8c1e', false],
    ['', false],
    ['not a url', false],
  ])('%s → %s', (frameUrl, trusted) => {
    expect(isTrustedSenderUrl(frameUrl, appUrl)).toBe(trusted);
  });

  it('compares file: URLs as paths, whichever characters Chromium chose to percent-encode', () => {
    const app = 'file:///home/student/My%20Labs/%7Bpp%7D/dist/renderer/index.html';
    expect(isTrustedSenderUrl('file:///home/student/My%20Labs/{pp}/dist/renderer/index.html', app)).toBe(true);
    expect(isTrustedSenderUrl('file:///home/student/My%20Labs/%7Bpp%7D/dist/renderer/index.html#x', app)).toBe(true);
    expect(isTrustedSenderUrl('file:///home/student/My%20Labs/%7Bpp%7D/dist/renderer%2Findex.html', app)).toBe(false);
    expect(
      isTrustedSenderUrl('file:///home/student/My%20Labs/%7Bpp%7D/dist/renderer/../renderer/index.html', app),
    ).toBe(true);
  });

  it('compares origins for non-file app URLs (the app:// protocol of issue 6)', () => {
    expect(isTrustedSenderUrl('app://playground/index.html', 'app://playground/index.html')).toBe(true);
    expect(isTrustedSenderUrl('app://playground/tools/udp', 'app://playground/index.html')).toBe(true);
    expect(isTrustedSenderUrl('app://elsewhere/index.html', 'app://playground/index.html')).toBe(false);
    expect(isTrustedSenderUrl('app:///index.html', 'app:///index.html')).toBe(false);
    expect(isTrustedSenderUrl('http://127.0.0.1:5173/', 'http://127.0.0.1:5173/index.html')).toBe(true);
    expect(isTrustedSenderUrl('http://127.0.0.1:5174/', 'http://127.0.0.1:5173/index.html')).toBe(false);
    expect(isTrustedSenderUrl('http://user:pw@127.0.0.1:5173/', 'http://127.0.0.1:5173/')).toBe(false);
  });
});

/** Just enough of a WebContents and ipcMain to drive the port. */
class FakeContents extends EventEmitter {
  mainFrame: SenderFrame = { url: appUrl };
  readonly sent: unknown[] = [];
  destroyed = false;
  send(channel: string, ...args: unknown[]) {
    expect(channel).toBe(FRAME_CHANNEL);
    this.sent.push(...args);
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

function fromPage(contents: FakeContents, frame: SenderFrame | null = contents.mainFrame): FrameEvent {
  return { sender: contents, senderFrame: frame };
}

function setup() {
  const contents = new FakeContents();
  const ipc = new EventEmitter();
  const log = vi.fn<(message: string) => void>();
  const port = createElectronPort(contents, ipc, { appUrl, log });
  const received: unknown[] = [];
  port.onFrame((frame) => received.push(frame));
  return { contents, ipc, log, port, received };
}

describe('createElectronPort', () => {
  const request: Frame = { kind: 'request', id: 1, method: 'app.info', payload: {} };

  it('delivers frames from the main frame of its own page', () => {
    const { contents, ipc, received, log } = setup();
    ipc.emit(FRAME_CHANNEL, fromPage(contents), request);
    expect(received).toEqual([request]);
    expect(log).not.toHaveBeenCalled();
  });

  it('sends frames with webContents.send on the frame channel, bytes untouched', () => {
    const { contents, port } = setup();
    const bytes = new Uint8Array([13, 10, 0, 255]);
    port.send({ kind: 'event', name: 'x', payload: { bytes } });
    expect(contents.sent).toHaveLength(1);
    expect((contents.sent[0] as { payload: { bytes: unknown } }).payload.bytes).toBe(bytes);
  });

  it('drops and logs frames from a subframe, even one showing the app URL', () => {
    const { contents, ipc, received, log } = setup();
    ipc.emit(FRAME_CHANNEL, fromPage(contents, { url: appUrl }), request);
    expect(received).toEqual([]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('subframe'));
  });

  it('drops and logs frames when the main frame shows a foreign page', () => {
    const { contents, ipc, received, log } = setup();
    contents.mainFrame = { url: 'https://attacker.example/' };
    ipc.emit(FRAME_CHANNEL, fromPage(contents), request);
    expect(received).toEqual([]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('https://attacker.example/'));
  });

  it('drops frames whose sending frame is gone', () => {
    const { contents, ipc, received, log } = setup();
    ipc.emit(FRAME_CHANNEL, fromPage(contents, null), request);
    expect(received).toEqual([]);
    expect(log).toHaveBeenCalledOnce();
  });

  it("ignores other windows' frames without logging (their own port answers them)", () => {
    const { ipc, received, log } = setup();
    const other = new FakeContents();
    ipc.emit(FRAME_CHANNEL, fromPage(other), request);
    expect(received).toEqual([]);
    expect(log).not.toHaveBeenCalled();
  });

  it('closes when the webContents is destroyed, stops listening and sends nothing more', () => {
    const { contents, ipc, port, received } = setup();
    const onClose = vi.fn();
    port.onClose(onClose);
    contents.destroy();
    expect(port.closed).toBe(true);
    expect(onClose).toHaveBeenCalledOnce();
    expect(ipc.listenerCount(FRAME_CHANNEL)).toBe(0);
    ipc.emit(FRAME_CHANNEL, fromPage(contents), request);
    port.send({ kind: 'event', name: 'x', payload: null });
    expect(received).toEqual([]);
    expect(contents.sent).toEqual([]);
  });

  it('close() detaches from ipcMain and the webContents', () => {
    const { contents, ipc, port } = setup();
    port.close();
    port.close();
    expect(port.closed).toBe(true);
    expect(ipc.listenerCount(FRAME_CHANNEL)).toBe(0);
    expect(contents.listenerCount('destroyed')).toBe(0);
  });

  it('a send that throws is logged, not thrown', () => {
    const { contents, port, log } = setup();
    contents.send = () => {
      throw new Error('An object could not be cloned.');
    };
    expect(() => port.send({ kind: 'event', name: 'x', payload: null })).not.toThrow();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('could not be cloned'));
  });

  it('carries a typed call end to end through serve and the real services', async () => {
    const { contents, ipc, port } = setup();
    serve(port, { transport: 'electron', services });
    // The renderer's side of the pipe, as the preload bridge gives it.
    const rendererSide = new PortListeners();
    const rendererPort: Port = {
      get closed() {
        return rendererSide.closed;
      },
      bufferedAmount: 0,
      send: (frame) => queueMicrotask(() => ipc.emit(FRAME_CHANNEL, fromPage(contents), structuredClone(frame))),
      onFrame: (listener) => rendererSide.onFrame(listener),
      onClose: (listener) => rendererSide.onClose(listener),
      close: () => rendererSide.markClosed(),
    };
    contents.send = (_channel, frame) => queueMicrotask(() => rendererSide.deliver(structuredClone(frame)));
    const client = createClient();
    client.connect(rendererPort);
    const info = await client.call('app.info', {}, { timeoutMs: 5000 });
    expect(info.transport).toBe('electron');
    const data = new Uint8Array([0, 13, 10, 255]);
    const pong = await client.call('app.ping', { data }, { timeoutMs: 5000 });
    expect(pong.data).toEqual(data);
    contents.destroy();
  });
});

describe('servePages', () => {
  function navigating() {
    const contents = new FakeContents();
    const ipc = new EventEmitter();
    const pages: Port[] = [];
    servePages(contents, ipc, { appUrl, log: () => {}, onPage: (port) => pages.push(port) });
    /** A main-frame document committed (a load or a reload), as Electron reports it. */
    const commit = (url = appUrl) => contents.emit('did-navigate', {}, url, -1, '');
    return { contents, ipc, pages, commit };
  }

  it('opens a port per committed page load and closes the previous page’s port on reload', () => {
    const { ipc, pages, commit } = navigating();
    expect(pages).toHaveLength(0);
    commit();
    expect(pages).toHaveLength(1);
    commit();
    expect(pages).toHaveLength(2);
    expect(pages[0]?.closed).toBe(true);
    expect(pages[1]?.closed).toBe(false);
    expect(ipc.listenerCount(FRAME_CHANNEL)).toBe(1);
  });

  it('keeps the page’s session through a navigation that starts but is cancelled, and through in-page ones', () => {
    const { contents, pages, commit } = navigating();
    commit();
    // A link: Electron reports the start before will-navigate gets to cancel it.
    contents.emit('did-start-navigation', { url: 'https://example.com/', isMainFrame: true, isSameDocument: false });
    contents.emit('did-start-navigation', { url: `${appUrl}#/tcp`, isMainFrame: true, isSameDocument: true });
    contents.emit('did-start-navigation', { url: 'about:srcdoc', isMainFrame: false, isSameDocument: false });
    expect(pages).toHaveLength(1);
    expect(pages[0]?.closed).toBe(false);
  });

  it('closes the page’s port when its renderer process is gone', () => {
    const { contents, pages, commit } = navigating();
    commit();
    contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    expect(pages[0]?.closed).toBe(true);
  });
});
