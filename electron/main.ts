/**
 * Electron's main process: wires the shell's decisions (electron/window.ts) and
 * the frame port (electron/electronPort.ts) to the electron API. Keep it thin;
 * every decision lives in a plain module with its own tests.
 */
import { app, BrowserWindow, ipcMain, type Session, session, type WebContents } from 'electron';
import { servePages } from './electronPort';
import { serve } from './host/serve';
import { services } from './services';
import {
  type AppPaths,
  appPaths,
  denyPermissionCheck,
  denyPermissionRequest,
  windowOpenDecision,
  windowOptions,
  withContentSecurityPolicy,
} from './window';

let mainWindow: BrowserWindow | undefined;

// Every renderer sandboxed, whatever options a window is created with.
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another copy is running; it comes to the front (see 'second-instance').
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => harden(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createWindow(appPaths(app.getAppPath()));
  });
  app
    .whenReady()
    .then(() => {
      secure(session.defaultSession);
      mainWindow = createWindow(appPaths(app.getAppPath()));
    })
    .catch((error: unknown) => {
      console.error(`Protocol Playground could not start: ${error instanceof Error ? error.message : String(error)}`);
      app.exit(1);
    });
}

function secure(ses: Session): void {
  ses.setPermissionRequestHandler(denyPermissionRequest);
  ses.setPermissionCheckHandler(denyPermissionCheck);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
}

/** Applied to every webContents, including any a future feature might create. */
function harden(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(windowOpenDecision);
}

function createWindow(paths: AppPaths): BrowserWindow {
  const window = new BrowserWindow(windowOptions(paths));
  servePages(window.webContents, ipcMain, {
    appUrl: paths.appUrl,
    onPage: (port) => serve(port, { transport: 'electron', services }),
  });
  window.loadFile(paths.indexHtml).catch((error: unknown) => {
    console.error(
      `could not load the app's page ${paths.indexHtml}: ${error instanceof Error ? error.message : String(error)} ` +
        '(run `npm run build`, or start with `npm start`, which builds first)',
    );
  });
  return window;
}
