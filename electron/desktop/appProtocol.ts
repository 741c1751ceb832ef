/**
 * The `app://` protocol the Electron window loads the renderer from, instead of
 * file:// (Electron's security checklist, item 18): a real origin for the page,
 * the CSP as a response header, and nothing outside the built renderer reachable.
 * Plain Node (the global Response), so electron/main.ts only hands it to
 * `protocol.handle`.
 */
import { readFile } from 'node:fs/promises';
import { contentSecurityPolicy } from '../../shared/app/contentSecurityPolicy';
import { contentTypeOf, type StaticFiles } from '../web/staticFiles';

export const appScheme = 'app';
export const appHost = 'playground';
/** The page the window loads: the only page whose IPC frames are accepted. */
export const appUrl = `${appScheme}://${appHost}/index.html`;

/**
 * For `protocol.registerSchemesAsPrivileged`: standard (real origin, relative URLs),
 * secure (a secure context, like https), fetch for the page's own files. No CSP
 * bypass, no service workers.
 */
export const appSchemePrivileges = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: false,
  bypassCSP: false,
  allowServiceWorkers: false,
  stream: false,
} as const;

/** Headers on every app:// response, the CSP among them (Electron talks over IPC: no WebSocket allowed). */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

export type AppRequestPlan =
  | { readonly kind: 'file'; readonly path: string; readonly contentType: string }
  | { readonly kind: 'error'; readonly status: 400 | 404 | 405; readonly message: string };

/**
 * Which file of the built renderer answers `method url`. Only the files listed
 * at start-up can be named (a fixed map, see listStaticFiles), and any request
 * spelling `..`, a backslash or a NUL, encoded or not, is refused outright.
 */
export function planAppRequest(url: string, method: string, files: StaticFiles): AppRequestPlan {
  if (method !== 'GET' && method !== 'HEAD') {
    return { kind: 'error', status: 405, message: `${method} is not allowed: the app's files are read-only` };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'error', status: 400, message: `not a URL: ${url}` };
  }
  if (parsed.protocol !== `${appScheme}:` || parsed.host !== appHost || parsed.username || parsed.password) {
    return { kind: 'error', status: 400, message: `not the app's origin (${appScheme}://${appHost}): ${url}` };
  }
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return { kind: 'error', status: 400, message: `badly encoded path: ${parsed.pathname}` };
  }
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((segment) => segment === '..')) {
    return { kind: 'error', status: 400, message: `path outside the app: ${parsed.pathname}` };
  }
  if (path === '/' || path === '') path = '/index.html';
  const file = files.get(path);
  if (file === undefined) return { kind: 'error', status: 404, message: `no such file in the app: ${path}` };
  return { kind: 'file', path: file, contentType: contentTypeOf(file) };
}

/** The answer to one app:// request (`protocol.handle`'s handler). Never rejects. */
export async function answerAppRequest(
  request: { readonly url: string; readonly method: string },
  files: StaticFiles,
  read: (path: string) => Promise<Uint8Array> = readFile,
): Promise<Response> {
  const plan = planAppRequest(request.url, request.method, files);
  if (plan.kind === 'error') {
    return new Response(plan.message, {
      status: plan.status,
      headers: appResponseHeaders('text/plain; charset=utf-8'),
    });
  }
  let body: Uint8Array;
  try {
    body = await read(plan.path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return new Response(`could not read ${plan.path}: ${reason}`, {
      status: 500,
      headers: appResponseHeaders('text/plain; charset=utf-8'),
    });
  }
  return new Response(request.method === 'HEAD' ? null : new Blob([body as Uint8Array<ArrayBuffer>]), {
    status: 200,
    headers: appResponseHeaders(plan.contentType),
  });
}
