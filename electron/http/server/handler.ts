import type { IncomingMessage, ServerResponse } from 'node:http';
import send from 'send';
import { experimentPrefix, serveExperiment } from './experiment';
import { foreignHostReason, isOwnAuthority } from './hostCheck';
import { cookiePage, errorPage, visitCookie, visitsFromCookie } from './pages';
import { splitRequestLine } from './parseErrors';
import { resolveRequestPath } from './paths';

/** What the log adds to a response line: the file served, or why this status. */
export interface ResponseNote {
  file?: string;
  reason?: string;
}

export interface HandlerOptions {
  root: string;
  cookieDemo: boolean;
  /** The names besides IP literals and localhost this server answers to; absent: any Host (the check is off). */
  ownHostNames?: ReadonlySet<string>;
}

const allowedMethods = 'GET, HEAD';

/** Answers with a small HTML page; `close` ends the connection after it. */
export function respondWithPage(
  res: ServerResponse,
  note: ResponseNote,
  status: number,
  reason: string,
  options: { close?: boolean; headers?: Record<string, string> } = {},
): void {
  note.reason = reason;
  const body = errorPage(status, reason);
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', body.byteLength);
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  if (options.close) res.setHeader('Connection', 'close');
  res.end(body);
}

/**
 * One request, checked in the order a careful server does: version, Host, method,
 * target; then the cookie demo or a file. The file itself, its headers (Content-Type,
 * Content-Length, Last-Modified, ETag) and the conditional GET (If-None-Match,
 * If-Modified-Since → 304) are left to `send`.
 */
export async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  requestLine: string,
  note: ResponseNote,
  options: HandlerOptions,
): Promise<void> {
  const written = splitRequestLine(requestLine);
  if (!written || !written.version.startsWith('HTTP/')) {
    respondWithPage(res, note, 400, 'the request line has no HTTP version: write it as GET /path HTTP/1.1', {
      close: true,
    });
    return;
  }
  // llhttp lets HTTP/2.0 and HTTP/0.9 lines through (other versions are refused in answerParseError).
  if (req.httpVersionMajor !== 1) {
    respondWithPage(res, note, 505, `${written.version} is not supported: this server speaks HTTP/1.0 and HTTP/1.1`, {
      close: true,
    });
    return;
  }
  if (req.httpVersionMinor === 1 && req.headers.host === undefined) {
    respondWithPage(res, note, 400, 'HTTP/1.1 requires a Host header (e.g. Host: localhost:8080)');
    return;
  }
  const target = req.url ?? '';
  // absolute-form (GET http://host/path HTTP/1.1) is what proxies receive; servers accept it too.
  const absolute = /^https?:\/\/([^/?#]*)/i.exec(target);
  // The name the request is for: an absolute-form target's authority overrides Host (RFC 9112, 3.2.2).
  // An HTTP/1.0 request may have neither (the textbook's examples): it names nothing DNS could rebind.
  const authority = absolute ? absolute[1] : req.headers.host;
  if (options.ownHostNames && authority && !isOwnAuthority(authority, options.ownHostNames)) {
    // 421 Misdirected Request: this server is not the one for that name (403 would say "you may not").
    respondWithPage(res, note, 421, foreignHostReason(authority, options.ownHostNames));
    return;
  }
  const method = req.method ?? '';
  if (method !== 'GET' && method !== 'HEAD') {
    respondWithPage(res, note, 405, `${method} is not allowed here: this server answers GET and HEAD only`, {
      headers: { Allow: allowedMethods },
    });
    return;
  }
  const pathAndQuery = absolute ? target.slice(absolute[0].length) || '/' : target;
  const pathname = pathAndQuery.split('?', 1)[0] as string;
  if (options.cookieDemo && pathname === '/cookie') {
    serveCookieDemo(req, res, note);
    return;
  }
  if (pathname.startsWith(experimentPrefix) && serveExperiment(pathAndQuery, method === 'HEAD', res, note)) return;
  const outcome = await resolveRequestPath(options.root, pathname);
  if (outcome.kind === 'refuse') {
    respondWithPage(res, note, outcome.status, outcome.reason);
    return;
  }
  if (outcome.kind === 'redirect') {
    respondWithPage(res, note, 301, `${outcome.reason}; moved to ${outcome.location}`, {
      headers: { Location: outcome.location },
    });
    return;
  }
  note.file = outcome.relative;
  serveFile(req, res, note, options.root, outcome.relative);
}

function serveFile(req: IncomingMessage, res: ServerResponse, note: ResponseNote, root: string, relative: string) {
  // The path was resolved and checked already; `send` gets the real file, encoded as a URL path.
  const urlPath = `/${relative.split('/').map(encodeURIComponent).join('/')}`;
  const stream = send(req, urlPath, { root, index: false, acceptRanges: false, dotfiles: 'deny' });
  stream.on('error', (error: { status?: number; message?: string }) => {
    if (res.headersSent) res.destroy();
    else respondWithPage(res, note, error.status ?? 500, error.message ?? 'the file could not be read');
  });
  stream.pipe(res);
}

function serveCookieDemo(req: IncomingMessage, res: ServerResponse, note: ResponseNote): void {
  const cookie = req.headers.cookie;
  const visits = visitsFromCookie(cookie) + 1;
  const body = cookiePage(visits, cookie);
  note.reason = `cookie demo: visit ${visits}`;
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', body.byteLength);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Set-Cookie', `${visitCookie}=${visits}; Path=/; SameSite=Lax`);
  res.end(body);
}
