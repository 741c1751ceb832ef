/**
 * electron/main.ts against a small stand-in for the `electron` module (the real
 * one cannot be loaded outside Electron). The stand-in records what main asks
 * of Electron; the frames go through the real serve() and services.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appMenuTemplate } from '../../../electron/desktop/menu';
import { FRAME_CHANNEL } from '../../../electron/ipcChannel';

const standIn = vi.hoisted(() => {
  type Listener = (...args: never[]) => unknown;

  /** EventEmitter's few methods, written out: vi.hoisted runs before imports. */
  class Emitter {
    private readonly listeners = new Map<string, Listener[]>();
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: Listener) {
      const wrapped = (...args: never[]) => {
        this.removeListener(event, wrapped);
        return listener(...args);
      };
      (wrapped as { original?: Listener }).original = listener;
      return this.on(event, wrapped);
    }
    removeListener(event: string, listener: Listener) {
      const list = this.listeners.get(event) ?? [];
      const index = list.findIndex((l) => l === listener || (l as { original?: Listener }).original === listener);
      if (index >= 0) list.splice(index, 1);
      return this;
    }
    emit(event: string, ...args: unknown[]) {
      for (const listener of [...(this.listeners.get(event) ?? [])])
        (listener as (...a: unknown[]) => unknown)(...args);
      return true;
    }
    listenerCount(event: string) {
      return this.listeners.get(event)?.length ?? 0;
    }
  }

  class ElectronEvent {
    constructor(readonly url = '') {}
    defaultPrevented = false;
    preventDefault() {
      this.defaultPrevented = true;
    }
  }

  const app = Object.assign(new Emitter(), {
    calls: [] as string[],
    enableSandbox() {
      app.calls.push('enableSandbox');
    },
    requestSingleInstanceLock() {
      app.calls.push('requestSingleInstanceLock');
      return true;
    },
    quit() {
      app.calls.push('quit');
    },
    exit(code: number) {
      app.calls.push(`exit ${code}`);
    },
    /** Set by becomeReady(): until then Electron refuses to create windows. */
    ready: false,
    readyWaiters: [] as Array<() => void>,
    whenReady() {
      app.calls.push('whenReady');
      return new Promise<void>((resolve) => (app.ready ? resolve() : app.readyWaiters.push(resolve)));
    },
    becomeReady() {
      app.ready = true;
      app.emit('ready');
      for (const resolve of app.readyWaiters.splice(0)) resolve();
    },
    appRoot: '',
    getAppPath: () => app.appRoot,
    isPackaged: false,
  });

  class WebContents extends Emitter {
    mainFrame = { url: 'about:blank' };
    readonly sent: Array<{ channel: string; frame: unknown }> = [];
    destroyed = false;
    windowOpenHandler: ((details: { url: string }) => unknown) | undefined;
    send(channel: string, frame: unknown) {
      this.sent.push({ channel, frame: structuredClone(frame) });
    }
    isDestroyed() {
      return this.destroyed;
    }
    setWindowOpenHandler(handler: (details: { url: string }) => unknown) {
      this.windowOpenHandler = handler;
    }
    /**
     * A main-frame load as Electron reports it: the start (before anything can
     * cancel it), then, once the new document commits, the frame shows the URL
     * and did-navigate follows.
     */
    load(url: string) {
      this.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false, url });
      this.commit(url);
    }
    /** Reload: a new document from the same URL, committed like any load. */
    reload() {
      this.load(this.mainFrame.url);
    }
    /**
     * The page itself navigating (a clicked link, location.href = ...): did-start-navigation
     * first, then will-navigate, whose preventDefault() cancels it before anything commits.
     */
    navigateFromPage(url: string) {
      this.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false, url });
      const event = new ElectronEvent(url);
      this.emit('will-navigate', event, url);
      if (!event.defaultPrevented) this.commit(url);
    }
    private commit(url: string) {
      this.mainFrame = { url };
      this.emit('did-navigate', new ElectronEvent(url), url, -1, '');
    }
    destroy() {
      this.destroyed = true;
      this.emit('destroyed');
    }
  }

  const windows: BrowserWindow[] = [];
  class BrowserWindow extends Emitter {
    readonly webContents = new WebContents();
    readonly loaded: string[] = [];
    focused = 0;
    constructor(readonly options: Record<string, unknown>) {
      super();
      // What Electron itself throws.
      if (!app.ready) throw new Error('Cannot create BrowserWindow before app is ready');
      this.visible = options.show !== false;
      windows.push(this);
      app.emit('web-contents-created', new ElectronEvent(), this.webContents);
    }
    /** What happened to the window that a user could see, in order. */
    readonly seen: string[] = [];
    visible: boolean;
    /** Set to make loadURL fail, as it does when the page cannot be loaded at all. */
    static failLoads = false;
    loadURL(url: string) {
      this.loaded.push(url);
      if (BrowserWindow.failLoads) return Promise.reject(new Error('ERR_FAILED (-2) loading ' + url));
      this.webContents.load(url);
      // Once the page has painted, for a window created hidden.
      setTimeout(() => {
        this.seen.push('ready-to-show');
        this.emit('ready-to-show');
      }, 5);
      return Promise.resolve();
    }
    show() {
      this.seen.push('show');
      this.visible = true;
    }
    static fromWebContents(contents: unknown) {
      return windows.find((window) => window.webContents === contents) ?? null;
    }
    destroyed = false;
    isDestroyed() {
      return this.destroyed;
    }
    /** The user closes the window: it and its page are gone, and the app hears when none is left. */
    close() {
      this.destroyed = true;
      this.webContents.destroy();
      this.emit('closed');
      if (windows.every((window) => window.destroyed)) app.emit('window-all-closed');
    }
    isMinimized = () => false;
    restore() {}
    focus() {
      this.focused++;
    }
  }

  type PermissionRequestHandler = (
    contents: unknown,
    permission: string,
    callback: (granted: boolean) => void,
    details: unknown,
  ) => void;
  type PermissionCheckHandler = (...args: unknown[]) => boolean;
  type Headers = Record<string, string[]>;
  type HeadersListener = (
    details: { url: string; responseHeaders?: Headers },
    callback: (response: { responseHeaders?: Headers }) => void,
  ) => void;

  const defaultSession = {
    permissionRequestHandler: undefined as PermissionRequestHandler | undefined,
    permissionCheckHandler: undefined as PermissionCheckHandler | undefined,
    devicePermissionHandler: undefined as PermissionCheckHandler | undefined,
    headersListener: undefined as HeadersListener | undefined,
    setPermissionRequestHandler(handler: PermissionRequestHandler) {
      defaultSession.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: PermissionCheckHandler) {
      defaultSession.permissionCheckHandler = handler;
    },
    setDevicePermissionHandler(handler: PermissionCheckHandler) {
      defaultSession.devicePermissionHandler = handler;
    },
    webRequest: {
      onHeadersReceived(listener: HeadersListener) {
        defaultSession.headersListener = listener;
      },
    },
  };

  type ProtocolHandler = (request: { url: string; method: string }) => Promise<Response>;
  const protocol = {
    privileged: [] as Array<{ scheme: string; privileges: Record<string, boolean> }>,
    handlers: new Map<string, ProtocolHandler>(),
    registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>) {
      app.calls.push('registerSchemesAsPrivileged');
      protocol.privileged.push(...schemes);
    },
    handle(scheme: string, handler: ProtocolHandler) {
      protocol.handlers.set(scheme, handler);
    },
  };

  const Menu = {
    applicationMenu: undefined as unknown,
    buildFromTemplate: (template: unknown) => ({ template }),
    setApplicationMenu(menu: unknown) {
      Menu.applicationMenu = menu;
    },
  };

  const dialog = {
    asked: [] as Array<{ owner: unknown; options: { detail?: string; buttons?: string[] } }>,
    answer: 1,
    showMessageBox(owner: unknown, options?: { detail?: string; buttons?: string[] }) {
      if (options === undefined) dialog.asked.push({ owner: undefined, options: owner as typeof options & object });
      else dialog.asked.push({ owner, options });
      return Promise.resolve({ response: dialog.answer, checkboxChecked: false });
    },
    syncAsked: [] as Array<{ owner: unknown; options: { message?: string; buttons?: string[] } }>,
    showMessageBoxSync(owner: unknown, options: { message?: string; buttons?: string[] }) {
      dialog.syncAsked.push({ owner, options });
      return dialog.answer;
    },
    folderAsks: [] as Array<{ owner: unknown; options: Record<string, unknown> }>,
    /** What the folder dialog answers next: a folder, or null for Cancel. */
    folderAnswer: null as string | null,
    showOpenDialog(owner: unknown, options: Record<string, unknown>) {
      dialog.folderAsks.push({ owner, options });
      const chosen = dialog.folderAnswer;
      return Promise.resolve({ canceled: chosen === null, filePaths: chosen === null ? [] : [chosen] });
    },
  };
  const shell = {
    opened: [] as string[],
    openExternal(url: string) {
      shell.opened.push(url);
      return Promise.resolve();
    },
  };

  const ipcMain = new Emitter();
  const module = {
    app,
    BrowserWindow,
    ipcMain,
    session: { defaultSession },
    ElectronEvent,
    protocol,
    Menu,
    dialog,
    shell,
  };
  return { ...module, windows, WebContents };
});

vi.mock('electron', () => ({
  app: standIn.app,
  BrowserWindow: standIn.BrowserWindow,
  ipcMain: standIn.ipcMain,
  session: standIn.session,
  protocol: standIn.protocol,
  Menu: standIn.Menu,
  dialog: standIn.dialog,
  shell: standIn.shell,
}));

const { app, windows, ipcMain, session, ElectronEvent, protocol, Menu, dialog, shell } = standIn;
const appUrl = 'app://playground/index.html';
let appRoot: string;

let warn: ReturnType<typeof vi.spyOn>;
let activateBeforeReady: unknown;

beforeAll(async () => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  // A built renderer for the app:// handler to serve.
  appRoot = mkdtempSync(join(tmpdir(), 'pp-electron-main-'));
  mkdirSync(join(appRoot, 'dist', 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(appRoot, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Protocol Playground</title>');
  writeFileSync(join(appRoot, 'dist', 'renderer', 'assets', 'index.js'), 'export {}');
  writeFileSync(join(appRoot, 'secret.txt'), 'outside the renderer');
  app.appRoot = appRoot;
  await import('../../../electron/main');
  // macOS may send 'activate' before 'ready', when a window cannot be created yet.
  try {
    app.emit('activate', new ElectronEvent(), false);
  } catch (error) {
    activateBeforeReady = error;
  }
  app.becomeReady();
  await vi.waitFor(() => expect(windows).toHaveLength(1));
});

afterAll(() => {
  for (const window of windows) if (!window.destroyed) window.webContents.destroy();
  warn.mockRestore();
  rmSync(appRoot, { recursive: true, force: true });
});

/** Sends a request from the app page's main frame and waits for its one answer. */
async function call(id: number, method: string, payload: unknown) {
  const contents = theWindow().webContents;
  ipcMain.emit(
    FRAME_CHANNEL,
    { sender: contents, senderFrame: contents.mainFrame },
    { kind: 'request', id, method, payload },
  );
  await vi.waitFor(() => expect(responsesTo(id)).toHaveLength(1));
  return responsesTo(id)[0]?.frame as unknown as { ok: boolean; result: { local: { port: number } } };
}

/** True when a TCP connection to 127.0.0.1:`port` is accepted. */
function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Lets the dialog's promise chain (ask, then maybe open) finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

function theWindow() {
  const window = windows[0];
  if (!window) throw new Error('main.ts created no window');
  return window;
}

/** Sends an app.info request as the page would and returns the frames sent back for that id. */
async function ask(id: number, senderFrame: { url: string } | null, sender: unknown = theWindow().webContents) {
  ipcMain.emit(FRAME_CHANNEL, { sender, senderFrame }, { kind: 'request', id, method: 'app.info', payload: {} });
  // serve() answers after a microtask or two; give it a few turns of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 20));
  return responsesTo(id);
}

function responsesTo(id: number) {
  return theWindow()
    .webContents.sent.filter(({ frame }) => (frame as { kind?: string; id?: number }).id === id)
    .map(({ channel, frame }) => ({
      channel,
      frame: frame as { kind: string; ok: boolean; result: { transport: string } },
    }));
}

describe('electron/main.ts', () => {
  it('asks for the single-instance lock and sandboxes every renderer', () => {
    expect(app.calls).toContain('requestSingleInstanceLock');
    expect(app.calls).toContain('enableSandbox');
    expect(app.calls).not.toContain('quit');
  });

  it('registers app:// as a privileged (standard, secure) scheme before the app is ready', () => {
    expect(protocol.privileged).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, bypassCSP: false }) },
    ]);
    expect(app.calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(app.calls.indexOf('whenReady'));
  });

  it('serves the built renderer over app:// with the CSP header, and nothing outside it', async () => {
    const handler = protocol.handlers.get('app');
    if (!handler) throw new Error('main.ts handles no app:// requests');
    const page = await handler({ url: appUrl, method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|\bws:|\*/);
    expect(await page.text()).toContain('<title>Protocol Playground</title>');
    expect(
      (await handler({ url: 'app://playground/assets/index.js', method: 'GET' })).headers.get('content-type'),
    ).toBe('text/javascript; charset=utf-8');
    for (const url of [
      'app://playground/../secret.txt',
      'app://playground/..%2fsecret.txt',
      'app://playground/secret.txt',
    ]) {
      const refused = await handler({ url, method: 'GET' });
      expect(refused.status, url).toBeGreaterThanOrEqual(400);
      expect(await refused.text()).not.toContain('outside the renderer');
    }
  });

  it('sets the small menu without Reload or DevTools when packaged (the development menu here)', () => {
    expect(Menu.applicationMenu).toEqual({
      template: appMenuTemplate({ platform: process.platform, packaged: false }),
    });
  });

  it('a second instance brings the one window to the front instead of opening another', () => {
    app.emit('second-instance', new ElectronEvent(), [], '/');
    expect(windows).toHaveLength(1);
    expect(theWindow().focused).toBe(1);
  });

  it('creates one window locked down like a web page', () => {
    const prefs = theWindow().options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      spellcheck: false,
      preload: `${appRoot}/dist/electron/preload.cjs`,
    });
    expect(theWindow().loaded).toEqual([appUrl]);
  });

  it('creates the window hidden on the page’s own background and shows it once the page has painted', async () => {
    const window = theWindow();
    expect(window.options).toMatchObject({ show: false, backgroundColor: '#f4f6f9' });
    await vi.waitFor(() => expect(window.visible).toBe(true));
    expect(window.seen).toEqual(['ready-to-show', 'show']);
  });

  it('denies every permission request and check but the clipboard write, even to the app’s own page', () => {
    const { permissionRequestHandler, permissionCheckHandler, devicePermissionHandler } = session.defaultSession;
    const fromApp = { isMainFrame: true, requestingUrl: appUrl };
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'unknown']) {
      const callback = vi.fn();
      permissionRequestHandler?.(theWindow().webContents, permission, callback, fromApp);
      expect(callback).toHaveBeenCalledWith(false);
      expect(permissionCheckHandler?.(theWindow().webContents, permission, 'app://playground', fromApp)).toBe(false);
    }
    expect(devicePermissionHandler?.({ deviceType: 'usb', origin: 'app://playground' })).toBe(false);
    expect(permissionRequestHandler).toBeTypeOf('function');
    expect(permissionCheckHandler).toBeTypeOf('function');
  });

  it('lets only the app’s own page, in its main frame, write to the clipboard (Copy as text)', () => {
    const { permissionRequestHandler, permissionCheckHandler } = session.defaultSession;
    const contents = theWindow().webContents;
    const request = (details: Record<string, unknown>) => {
      let granted: boolean | undefined;
      permissionRequestHandler?.(contents, 'clipboard-sanitized-write', (answer) => (granted = answer), details);
      return granted;
    };
    const check = (origin: string, details: Record<string, unknown>) =>
      permissionCheckHandler?.(contents, 'clipboard-sanitized-write', origin, details);

    // Allowed: what Chromium asks before navigator.clipboard.writeText on the app page.
    expect(check('app://playground', { isMainFrame: true, requestingUrl: appUrl })).toBe(true);
    expect(check('app://playground', { isMainFrame: true, requestingUrl: `${appUrl}#/tcp` })).toBe(true);
    expect(request({ isMainFrame: true, requestingUrl: appUrl })).toBe(true);

    // Refused: any other origin, a subframe (HTML previews), a page that merely embeds the app.
    for (const origin of ['https://example.com', 'app://elsewhere', 'file://', 'null', 'http://127.0.0.1:5173']) {
      expect(check(origin, { isMainFrame: true, requestingUrl: `${origin}/index.html` }), origin).toBe(false);
      expect(request({ isMainFrame: true, requestingUrl: `${origin}/index.html` }), origin).toBe(false);
    }
    expect(check('app://playground', { isMainFrame: false, requestingUrl: appUrl })).toBe(false);
    expect(request({ isMainFrame: false, requestingUrl: appUrl })).toBe(false);
    expect(
      check('app://playground', { isMainFrame: false, requestingUrl: appUrl, embeddingOrigin: 'https://example.com' }),
    ).toBe(false);
    expect(check('app://playground', { isMainFrame: true, requestingUrl: 'https://example.com/' })).toBe(false);
  });

  it('prevents navigation and webview attachment, and denies new windows', async () => {
    const contents = theWindow().webContents;
    const navigate = new ElectronEvent('file:///etc/passwd');
    contents.emit('will-navigate', navigate, navigate.url);
    expect(navigate.defaultPrevented).toBe(true);
    const attach = new ElectronEvent();
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    await settle();
    expect(dialog.asked).toEqual([]);
    expect(shell.opened).toEqual([]);
  });

  it('offers an http(s) link to the system browser only after the user confirms', async () => {
    const contents = theWindow().webContents;
    dialog.answer = 1; // Cancel
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/rfc' })).toEqual({ action: 'deny' });
    await settle();
    expect(dialog.asked).toHaveLength(1);
    expect(dialog.asked[0]?.owner).toBe(theWindow());
    expect(dialog.asked[0]?.options.detail).toBe('https://example.com/rfc');
    expect(shell.opened).toEqual([]);

    dialog.answer = 0; // Open in browser
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/rfc' })).toEqual({ action: 'deny' });
    await settle();
    const navigate = new ElectronEvent('http://example.org/page');
    contents.emit('will-navigate', navigate, navigate.url);
    expect(navigate.defaultPrevented).toBe(true);
    await settle();
    expect(dialog.asked).toHaveLength(3);
    expect(shell.opened).toEqual(['https://example.com/rfc', 'http://example.org/page']);
    expect(windows).toHaveLength(1);
  });

  it('asks before a page with unsaved work is closed or reloaded; Stay keeps it', () => {
    const contents = theWindow().webContents;
    dialog.syncAsked.length = 0;
    dialog.answer = 1; // Stay
    const stay = new ElectronEvent();
    contents.emit('will-prevent-unload', stay);
    expect(stay.defaultPrevented).toBe(false);
    expect(dialog.syncAsked[0]?.owner).toBe(theWindow());
    expect(dialog.syncAsked[0]?.options.buttons).toEqual(['Close anyway', 'Stay']);
    dialog.answer = 0; // Close anyway: the page's beforeunload is overruled
    const leave = new ElectronEvent();
    contents.emit('will-prevent-unload', leave);
    expect(leave.defaultPrevented).toBe(true);
    expect(dialog.syncAsked).toHaveLength(2);
  });

  it('asks one question at a time, however many links the page opens at once', async () => {
    const contents = theWindow().webContents;
    dialog.asked.length = 0;
    shell.opened.length = 0;
    dialog.answer = 1;
    for (let i = 0; i < 20; i++) contents.windowOpenHandler?.({ url: `https://example.com/${i}` });
    await settle();
    expect(dialog.asked).toHaveLength(1);
    contents.windowOpenHandler?.({ url: 'https://example.com/later' });
    await settle();
    expect(dialog.asked).toHaveLength(2);
    expect(shell.opened).toEqual([]);
  });

  it('rewrites no response headers: the app:// answer and the page’s meta tag carry the CSP', () => {
    // A session-wide hook would rewrite every response of the default session, not just the app's.
    expect(session.defaultSession.headersListener).toBeUndefined();
  });

  it('answers an IPC frame from the main frame of the app page through the real services', async () => {
    const contents = theWindow().webContents;
    const [response, ...more] = await ask(1, contents.mainFrame);
    expect(more).toEqual([]);
    expect(response?.channel).toBe(FRAME_CHANNEL);
    expect(response?.frame).toMatchObject({ kind: 'response', id: 1, ok: true, result: { transport: 'electron' } });
  });

  it("answers app.chooseFolder through Electron's folder dialog on the app's window (cancel: null; a folder: its path)", async () => {
    const contents = theWindow().webContents;
    const choose = async (id: number, payload: Record<string, unknown>) => {
      ipcMain.emit(
        FRAME_CHANNEL,
        { sender: contents, senderFrame: contents.mainFrame },
        { kind: 'request', id, method: 'app.chooseFolder', payload },
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      return responsesTo(id).map(({ frame }) => frame as unknown);
    };
    dialog.folderAnswer = null;
    expect(await choose(20, { title: 'Folder to serve', defaultPath: '/srv/www' })).toEqual([
      { kind: 'response', id: 20, ok: true, result: { path: null } },
    ]);
    dialog.folderAnswer = '/home/me/site';
    expect(await choose(21, { title: 'Folder for .eml files' })).toEqual([
      { kind: 'response', id: 21, ok: true, result: { path: '/home/me/site' } },
    ]);
    expect(dialog.folderAsks).toEqual([
      {
        owner: theWindow(),
        options: {
          title: 'Folder to serve',
          defaultPath: '/srv/www',
          properties: ['openDirectory', 'createDirectory'],
        },
      },
      {
        owner: theWindow(),
        options: { title: 'Folder for .eml files', properties: ['openDirectory', 'createDirectory'] },
      },
    ]);
    // Checked before the dialog: a bad payload opens nothing.
    expect(await choose(22, { title: 'x', properties: ['openFile'] })).toMatchObject([
      { kind: 'response', id: 22, ok: false, error: { code: 'E_BAD_REQUEST' } },
    ]);
    expect(dialog.folderAsks).toHaveLength(2);
  });

  it('keeps the page’s servers running through a link it offers outside, and stops them when the page reloads', async () => {
    const contents = theWindow().webContents;
    const started = await call(30, 'tcpServer.start', { port: 0 });
    expect(started.ok).toBe(true);
    const { port } = started.result.local;
    expect(await connects(port)).toBe(true);

    dialog.asked.length = 0;
    dialog.answer = 1; // Cancel: the page stays where it is
    contents.navigateFromPage('https://example.org/rfc');
    await settle();
    expect(dialog.asked.map(({ options }) => options.detail)).toEqual(['https://example.org/rfc']);
    expect(contents.mainFrame.url).toBe(appUrl);
    expect(await connects(port)).toBe(true);

    contents.reload();
    await vi.waitFor(async () => expect(await connects(port)).toBe(false));
  });

  it('drops frames from a subframe, from a foreign page, and from a gone frame', async () => {
    const contents = theWindow().webContents;
    warn.mockClear();
    expect(await ask(2, { url: appUrl })).toEqual([]);
    const appFrame = contents.mainFrame;
    contents.mainFrame = { url: 'https://attacker.example/index.html' };
    expect(await ask(3, contents.mainFrame)).toEqual([]);
    contents.mainFrame = appFrame;
    expect(await ask(4, null)).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(3);
    // The page itself is still answered.
    expect(await ask(5, contents.mainFrame)).toHaveLength(1);
  });

  it('gives a reloaded page a fresh session', async () => {
    const contents = theWindow().webContents;
    contents.load(appUrl);
    expect(ipcMain.listenerCount(FRAME_CHANNEL)).toBe(1);
    expect(await ask(1, contents.mainFrame)).toHaveLength(2); // id 1 again: the old page's answer plus the new one
  });

  it('reloads a page whose renderer crashed, with its servers stopped and the reason for the status bar', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const contents = theWindow().webContents;
      const started = await call(40, 'tcpServer.start', { port: 0 });
      const { port } = started.result.local;
      expect(await connects(port)).toBe(true);

      contents.emit('render-process-gone', new ElectronEvent(), { reason: 'crashed', exitCode: 139 });
      expect(theWindow().loaded.at(-1)).toBe(`${appUrl}?restarted=crashed`);
      expect(contents.mainFrame.url).toBe(`${appUrl}?restarted=crashed`);
      expect(await connects(port)).toBe(false);
      // The reloaded page has a session of its own.
      expect((await call(41, 'app.info', {})).ok).toBe(true);

      // Closing the window ends its renderer cleanly: nothing to reload.
      const loads = theWindow().loaded.length;
      contents.emit('render-process-gone', new ElectronEvent(), { reason: 'clean-exit', exitCode: 0 });
      expect(theWindow().loaded).toHaveLength(loads);
    } finally {
      error.mockRestore();
    }
  });

  it('closes the port when the webContents is destroyed', async () => {
    const contents = theWindow().webContents;
    const before = contents.sent.length;
    contents.destroy();
    expect(ipcMain.listenerCount(FRAME_CHANNEL)).toBe(0);
    expect(contents.listenerCount('destroyed')).toBe(0);
    await ask(6, contents.mainFrame);
    expect(contents.sent.length).toBe(before);
  });

  it('ignores an activate that comes before the app is ready (the window comes with ready)', () => {
    expect(activateBeforeReady).toBeUndefined();
    expect(app.calls.filter((call) => call === 'whenReady')).toHaveLength(1);
  });

  it('macOS: a second launch or a dock click with no window open opens a new window; with one, none', () => {
    expect(theWindow().isDestroyed()).toBe(false);
    theWindow().close();
    const quitsOnLastWindow = process.platform !== 'darwin';
    expect(app.calls.includes('quit')).toBe(quitsOnLastWindow);

    app.emit('second-instance', new ElectronEvent(), [], '/');
    expect(windows).toHaveLength(2);
    expect(windows[1]?.loaded).toEqual([appUrl]);
    app.emit('activate', new ElectronEvent(), true);
    expect(windows).toHaveLength(2);
    app.emit('second-instance', new ElectronEvent(), [], '/');
    expect(windows).toHaveLength(2);
    expect(windows[1]?.focused).toBe(1);

    windows[1]?.close();
    app.emit('activate', new ElectronEvent(), false);
    expect(windows).toHaveLength(3);
    expect(windows[2]?.loaded).toEqual([appUrl]);
  });

  it('shows the window even when its page cannot load, with the reason on the console', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    standIn.BrowserWindow.failLoads = true;
    try {
      for (const window of windows) if (!window.destroyed) window.close();
      app.emit('activate', new ElectronEvent(), false);
      const window = windows.at(-1);
      await vi.waitFor(() => expect(window?.visible).toBe(true));
      expect(window?.seen).toEqual(['show']);
      expect(error).toHaveBeenCalledWith(expect.stringContaining("could not load the app's page"));
    } finally {
      standIn.BrowserWindow.failLoads = false;
      error.mockRestore();
    }
  });
});
