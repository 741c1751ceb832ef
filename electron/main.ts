/**
 * Electron's main process: wires the shell's decisions (electron/window.ts) and
 * the frame port (electron/electronPort.ts) to the electron API. Keep it thin;
 * every decision lives in a plain module with its own tests.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  type Session,
  session,
  shell,
  type WebContents,
} from 'electron';
import type { FolderChooser } from './app/chooseFolder';
import { answerAppRequest, appScheme, appSchemePrivileges } from './desktop/appProtocol';
import { chosenFolder, folderDialogOptions } from './desktop/folderDialog';
import { appMenuTemplate } from './desktop/menu';
import { servePages } from './electronPort';
import { serve } from './serve';
import { servicesWith } from './services';
import { listStaticFiles } from './web/staticFiles';
import {
  type AppPaths,
  appPaths,
  answerPermissionCheck,
  answerPermissionRequest,
  askToLeave,
  askToOpenLink,
  denyPermissionCheck,
  linkDecision,
  renderProcessGonePolicy,
  userChoseToLeave,
  userChoseToOpen,
  windowOpenDecision,
  windowOptions,
} from './window';

let mainWindow: BrowserWindow | undefined;

// Every renderer sandboxed, whatever options a window is created with.
app.enableSandbox();
// Must happen before 'ready': the page's origin is app://playground, not file://.
protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: appSchemePrivileges }]);

if (!app.requestSingleInstanceLock()) {
  // Another copy is running; it comes to the front (see 'second-instance').
  app.quit();
} else {
  // Emitted only once the app is ready. On macOS the app outlives its window, so
  // a second launch with no window open gets a new one.
  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) {
      mainWindow = createWindow(appPaths(app.getAppPath()));
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => harden(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app
    .whenReady()
    .then(() => {
      const paths = appPaths(app.getAppPath());
      secure(session.defaultSession);
      serveApp(paths);
      Menu.setApplicationMenu(
        Menu.buildFromTemplate(appMenuTemplate({ platform: process.platform, packaged: app.isPackaged })),
      );
      mainWindow = createWindow(paths);
      // Only now: macOS can send 'activate' before 'ready', when no window may be created yet.
      app.on('activate', () => {
        if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createWindow(paths);
      });
    })
    .catch((error: unknown) => {
      console.error(`Protocol Playground could not start: ${error instanceof Error ? error.message : String(error)}`);
      app.exit(1);
    });
}

function secure(ses: Session): void {
  ses.setPermissionRequestHandler(answerPermissionRequest);
  ses.setPermissionCheckHandler(answerPermissionCheck);
  ses.setDevicePermissionHandler(denyPermissionCheck);
  // No webRequest header hook: the app's page carries its CSP in the app:// response
  // (desktop/appProtocol.ts) and in a <meta> tag, and every other response is left as sent.
}

/** Applied to every webContents, including any a future feature might create. */
function harden(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    offerToOpenExternally(contents, event.url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler((details) => {
    offerToOpenExternally(contents, details.url);
    return windowOpenDecision(details);
  });
}

let askingToOpenLink = false;

/**
 * An http(s) link goes to the system browser once the user says so; anything else
 * is dropped. One question at a time: a page opening links in a loop gets no dialog storm.
 */
function offerToOpenExternally(contents: WebContents, url: string): void {
  const decision = linkDecision(url);
  if (decision.action !== 'ask-to-open-externally' || askingToOpenLink) return;
  askingToOpenLink = true;
  const owner = BrowserWindow.fromWebContents(contents);
  const question = askToOpenLink(decision.url);
  (owner ? dialog.showMessageBox(owner, question) : dialog.showMessageBox(question))
    .then((answer) => (userChoseToOpen(answer) ? shell.openExternal(decision.url) : undefined))
    .catch((error: unknown) => {
      console.error(`could not open ${decision.url}: ${error instanceof Error ? error.message : String(error)}`);
    })
    .finally(() => {
      askingToOpenLink = false;
    });
}

/** The built renderer over app://, listed once: only those files can ever be served. */
function serveApp(paths: AppPaths): void {
  const files = listStaticFiles(paths.rendererDir);
  if (files.size === 0) {
    console.error(
      `no built renderer in ${paths.rendererDir} (run \`npm run build\`, or start with \`npm start\`, which builds first)`,
    );
  }
  protocol.handle(appScheme, (request) => answerAppRequest(request, files));
}

/** `app.chooseFolder`: the native folder dialog, attached to the app's window. */
function folderDialog(window: BrowserWindow): FolderChooser {
  return async (request) => chosenFolder(await dialog.showOpenDialog(window, folderDialogOptions(request)));
}

function createWindow(paths: AppPaths): BrowserWindow {
  const window = new BrowserWindow(windowOptions(paths));
  servePages(window.webContents, ipcMain, {
    appUrl: paths.appUrl,
    onPage: (port) =>
      serve(port, { transport: 'electron', services: servicesWith({ chooseFolder: folderDialog(window) }) }),
  });
  const afterGone = renderProcessGonePolicy(paths.appUrl);
  window.webContents.on('render-process-gone', (_event, details) => {
    const next = afterGone(details, Date.now());
    if (next.action === 'leave') {
      if (details.reason !== 'clean-exit') console.error(`Protocol Playground: ${next.why}`);
      return;
    }
    console.error(`the page's renderer process is gone (${details.reason}); reloading the page`);
    if (!window.isDestroyed()) window.loadURL(next.url).catch(reportLoadFailure);
  });
  // The page's beforeunload said it has unsaved work: ask, and let the window go only if told to.
  window.webContents.on('will-prevent-unload', (event) => {
    if (userChoseToLeave(dialog.showMessageBoxSync(window, askToLeave()))) event.preventDefault();
  });
  window.once('ready-to-show', () => window.show());
  function reportLoadFailure(error: unknown): void {
    // A page that never loads never paints: show the window anyway, or nothing would appear at all.
    if (!window.isDestroyed()) window.show();
    console.error(
      `could not load the app's page ${paths.appUrl} from ${paths.rendererDir}: ` +
        `${error instanceof Error ? error.message : String(error)} ` +
        '(run `npm run build`, or start with `npm start`, which builds first)',
    );
  }
  window.loadURL(paths.appUrl).catch(reportLoadFailure);
  return window;
}
