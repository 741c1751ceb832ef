/**
 * The Electron shell's decisions, as plain data and functions so they can be
 * tested without Electron: electron/main.ts only hands them to the electron API.
 */

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy as appContentSecurityPolicy } from '../shared/app/contentSecurityPolicy';
import { productName } from './app/version';

export interface AppPaths {
  /** The bundled preload script (a sandboxed preload cannot load modules). */
  readonly preload: string;
  /** The built renderer's page. */
  readonly indexHtml: string;
  /** The URL the page is loaded from: the only page whose IPC frames are accepted. */
  readonly appUrl: string;
}

/** Where the built app lives under the app root (the project folder, or the packaged app). */
export function appPaths(appRoot: string): AppPaths {
  const indexHtml = join(appRoot, 'dist', 'renderer', 'index.html');
  return {
    preload: join(appRoot, 'dist', 'electron', 'preload.cjs'),
    indexHtml,
    appUrl: pathToFileURL(indexHtml).href,
  };
}

/** The one window's options: the renderer is treated as untrusted, like a web page. */
export function windowOptions(paths: Pick<AppPaths, 'preload'>) {
  return {
    width: 1200,
    height: 800,
    minWidth: 640,
    minHeight: 420,
    title: productName,
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

/** Electron talks over IPC, so unlike browser mode the policy allows no WebSocket. */
export const contentSecurityPolicy = appContentSecurityPolicy();

export type ResponseHeaders = Record<string, string | string[]>;

/** `headers` with our CSP in place of any the response brought (header names are case-insensitive). */
export function withContentSecurityPolicy(headers: ResponseHeaders | undefined): ResponseHeaders {
  const result: ResponseHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [contentSecurityPolicy];
  return result;
}

/** Permission requests (camera, notifications, geolocation, ...) are all refused: the app needs none. */
export function denyPermissionRequest(
  _contents: unknown,
  _permission: string,
  callback: (granted: boolean) => void,
): void {
  callback(false);
}

/** Permission checks are all answered "no". */
export function denyPermissionCheck(): boolean {
  return false;
}

/**
 * Decides `window.open` and target=_blank links: no new windows, ever.
 * Seam for issue 6: opening an http(s) link in the system browser after the user
 * confirms belongs here (return deny and hand the URL to shell.openExternal).
 */
export function windowOpenDecision(_details: { readonly url: string }): { action: 'deny' } {
  return { action: 'deny' };
}
