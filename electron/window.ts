/**
 * The Electron shell's decisions, as plain data and functions so they can be
 * tested without Electron: electron/main.ts only hands them to the electron API.
 */

import { join } from 'node:path';
import { type PageRestartReason, pageRestartParam, pageRestartReason } from '../shared/app/contract';
import { productName } from './app/version';
import { appUrl } from './desktop/appProtocol';
import { isTrustedSenderUrl } from './electronPort';

export interface AppPaths {
  /** The bundled preload script (a sandboxed preload cannot load modules). */
  readonly preload: string;
  /** The built renderer, served over app:// (electron/desktop/appProtocol.ts). */
  readonly rendererDir: string;
  /** The URL the page is loaded from: the only page whose IPC frames are accepted. */
  readonly appUrl: string;
}

/** Where the built app lives under the app root (the project folder, or the packaged app.asar). */
export function appPaths(appRoot: string): AppPaths {
  return {
    preload: join(appRoot, 'dist', 'electron', 'preload.cjs'),
    rendererDir: join(appRoot, 'dist', 'renderer'),
    appUrl,
  };
}

/** The page's background, --bg in renderer/app/app.css (a test keeps the two equal). */
export const appBackgroundColor = '#f4f6f9';

/** The one window's options: the renderer is treated as untrusted, like a web page. */
export function windowOptions(paths: Pick<AppPaths, 'preload'>) {
  return {
    width: 1200,
    height: 800,
    minWidth: 640,
    minHeight: 420,
    title: productName,
    // Hidden until the page has painted (main.ts shows it on ready-to-show), on the
    // page's own background (--bg in renderer/app/app.css): no white flash at start.
    show: false,
    backgroundColor: appBackgroundColor,
    // Windows/Linux: the small menu (electron/desktop/menu.ts) shows on Alt only.
    autoHideMenuBar: true,
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  } as const;
}

/**
 * The one permission the app uses: `navigator.clipboard.writeText` ("Copy as text")
 * needs it, and Chromium checks it before every write.
 */
export const clipboardWritePermission = 'clipboard-sanitized-write';

/** What Electron says about the frame behind a permission request or check. */
export interface PermissionDetails {
  readonly isMainFrame: boolean;
  /** The last URL the requesting frame loaded (absent when not asked for a document). */
  readonly requestingUrl?: string;
  /** Set only when a cross-origin subframe asks. */
  readonly embeddingOrigin?: string;
}

/**
 * Only the app's own page, in the main frame, may write to the clipboard; every
 * other permission, page and frame (HTML previews will run in subframes) is refused.
 */
function allowed(permission: string, origin: string | undefined, details: PermissionDetails): boolean {
  return (
    permission === clipboardWritePermission &&
    details.isMainFrame &&
    details.embeddingOrigin === undefined &&
    origin !== undefined &&
    isTrustedSenderUrl(origin, appUrl) &&
    (details.requestingUrl === undefined || isTrustedSenderUrl(details.requestingUrl, appUrl))
  );
}

/** `setPermissionRequestHandler`: camera, notifications, geolocation, ... are all refused. */
export function answerPermissionRequest(
  _contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: PermissionDetails,
): void {
  callback(allowed(permission, details.requestingUrl, details));
}

/** `setPermissionCheckHandler`: the same answer as a request would get. */
export function answerPermissionCheck(
  _contents: unknown,
  permission: string,
  requestingOrigin: string,
  details: PermissionDetails,
): boolean {
  return allowed(permission, requestingOrigin, details);
}

/** Device permission checks (USB, HID, serial) are all answered "no". */
export function denyPermissionCheck(): boolean {
  return false;
}

/** What to do with a URL the page tries to open in a new window or navigate its main frame to. */
export type LinkDecision =
  { readonly action: 'deny' } | { readonly action: 'ask-to-open-externally'; readonly url: string };

/**
 * The page never opens windows and never navigates away. A plain http(s) link is
 * offered to the system browser, after the user confirms (askToOpenLink); every
 * other scheme (file:, javascript:, data:, custom handlers...) is refused.
 */
export function linkDecision(url: string): LinkDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { action: 'deny' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { action: 'deny' };
  // user:password@host hides the real host from a quick reading of the dialog.
  if (parsed.username !== '' || parsed.password !== '') return { action: 'deny' };
  return { action: 'ask-to-open-externally', url: parsed.href };
}

/** `setWindowOpenHandler`'s answer: Electron itself never opens a window for the page. */
export function windowOpenDecision(_details: { readonly url: string }): { action: 'deny' } {
  return { action: 'deny' };
}

export const openLinkButton = 0;

/** The question shown before a link goes to the system browser; Cancel is the default. */
export function askToOpenLink(url: string) {
  return {
    type: 'question' as const,
    title: productName,
    // Hidden until the page has painted (main.ts shows it on ready-to-show), on the
    // page's own background (--bg in renderer/app/app.css): no white flash at start.
    show: false,
    backgroundColor: appBackgroundColor,
    message: 'Open this link in your web browser?',
    detail: url,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
}

export const leaveButton = 0;

/**
 * The question shown when the page's beforeunload says it has unsaved work (transcripts,
 * a request history, running servers) and the window is closed or reloaded; Stay is the default.
 */
export function askToLeave() {
  return {
    type: 'question' as const,
    title: productName,
    message: 'Close and lose the unsaved work?',
    detail:
      'Transcripts, the request history and the running servers are not saved anywhere: ' +
      'closing or reloading the window throws them away and stops the servers.',
    buttons: ['Close anyway', 'Stay'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
}

/** True when the user's answer to askToLeave means "leave" (the page's beforeunload is overruled). */
export function userChoseToLeave(response: number): boolean {
  return response === leaveButton;
}

/** True when the user's answer to askToOpenLink means "open it". */
export function userChoseToOpen(answer: { readonly response: number }): boolean {
  return answer.response === openLinkButton;
}

/** Electron's RenderProcessGoneDetails, as far as the decision below needs it. */
export interface RenderProcessGone {
  readonly reason: string;
  readonly exitCode: number;
}

export type AfterRenderProcessGone =
  { readonly action: 'reload'; readonly url: string } | { readonly action: 'leave'; readonly why: string };

/** More renderer restarts than this within restartWindowMs: the page is left as it is. */
export const maxRestarts = 3;
export const restartWindowMs = 60_000;

/**
 * What to do when a window's renderer process is gone (its port, and with it every
 * server and connection the page had, is already closed): load the app's page again,
 * telling it why, unless the process ended cleanly (the window is closing) or keeps
 * dying, where reloading would only loop. One per window.
 */
export function renderProcessGonePolicy(pageUrl: string = appUrl) {
  const restarts: number[] = [];
  return (details: RenderProcessGone, now: number): AfterRenderProcessGone => {
    if (details.reason === 'clean-exit') return { action: 'leave', why: 'the renderer process exited cleanly' };
    while (restarts.length > 0 && (restarts[0] ?? 0) <= now - restartWindowMs) restarts.shift();
    if (restarts.length >= maxRestarts) {
      return {
        action: 'leave',
        why:
          `the page's renderer process is gone again (${details.reason}, exit code ${details.exitCode}), ` +
          `${restarts.length + 1} times within ${restartWindowMs / 1000} s: not reloading it; restart the app`,
      };
    }
    restarts.push(now);
    const parsed = pageRestartReason.safeParse(details.reason);
    const reason: PageRestartReason = parsed.success ? parsed.data : 'abnormal-exit';
    const url = new URL(pageUrl);
    url.searchParams.set(pageRestartParam, reason);
    return { action: 'reload', url: url.href };
  };
}
