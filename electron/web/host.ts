import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { type AddressInfo, isIPv4, isIPv6, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { APP_SUBPROTOCOL, signInUrl } from '../../shared/app/browserAccess';
import { contentSecurityPolicy } from '../../shared/app/contentSecurityPolicy';
import { maxFrameBytes } from '../../shared/contract/codec';
import type { Service } from '../service';
import { serve } from '../serve';
import { services as defaultServices } from '../services';
import { type Check, checkHostHeader, checkOrigin, protocolsHaveToken } from './requestChecks';
import { contentTypeOf, listStaticFiles, type StaticFiles } from './staticFiles';
import { closeCodes, DEFAULT_HEARTBEAT_MS, WebSocketPort } from './websocketPort';

/** Largest WebSocket message the host accepts (see maxFrameBytes); a bigger one closes with 1009. */
export const MAX_FRAME_BYTES = maxFrameBytes;

/**
 * How long a connection may stay silent before it has become a WebSocket: one that
 * sends nothing, or never finishes its request's headers, is closed after this long.
 * A page's own requests take milliseconds; a WebSocket, once open, has heartbeats instead.
 */
export const IDLE_TIMEOUT_MS = 10_000;

/** The WebSocket endpoint, on the same origin as the page. */
export const WEBSOCKET_PATH = '/ws';

export interface WebHostOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** An IP address or `localhost`; 127.0.0.1 unless asked otherwise. */
  host?: string;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** Defaults to 256 random bits; tests pass their own. */
  token?: string;
  heartbeatMs?: number;
  /** See IDLE_TIMEOUT_MS; tests pass a short one. */
  idleTimeoutMs?: number;
  maxFrameBytes?: number;
  /** See websocketPort.ts DEFAULT_MAX_BUFFERED_BYTES. */
  maxBufferedBytes?: number;
  services?: readonly Service[];
  log?: (message: string) => void;
}

export interface WebHost {
  /** What to open in a browser: the origin plus `/#token=…` (the fragment never leaves the browser). */
  readonly url: string;
  /** e.g. `http://127.0.0.1:43123` */
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  /** Closes every WebSocket (and so every session's sockets and timers) and the server. */
  close(): Promise<void>;
}

/** How long open WebSockets get to finish their close handshake when the host stops. */
const SHUTDOWN_GRACE_MS = 1_000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,256}$/;

/**
 * Browser mode's Node host: one HTTP server on loopback that serves the built
 * renderer and, at /ws, the WebSocket that carries frames to the same services the
 * Electron shell uses. Any page on the machine can send requests to 127.0.0.1, so
 * every request's Host header must be one DNS cannot rebind. The static files are
 * the public app build and need no secret; the WebSocket, which is what can open
 * sockets and servers, needs this page's Origin and the per-launch token, offered as a
 * subprotocol (shared/app/browserAccess.ts) — all checked before the upgrade, so a
 * refused client never holds a WebSocket. There is no cookie: cookies ignore ports,
 * so one would be sent to every other server on 127.0.0.1 too.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const {
    port: requestedPort = 0,
    host = '127.0.0.1',
    rendererDir,
    token = randomBytes(32).toString('base64url'),
    heartbeatMs = DEFAULT_HEARTBEAT_MS,
    idleTimeoutMs = IDLE_TIMEOUT_MS,
    maxFrameBytes = MAX_FRAME_BYTES,
    maxBufferedBytes,
    services = defaultServices,
    log = (message: string) => console.error(message),
  } = options;

  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new Error(`port must be a whole number from 0 to 65535 (0 picks a free one), not ${requestedPort}`);
  }
  if (!isIPv4(host) && !isIPv6(host) && host !== 'localhost') {
    throw new Error(
      `host must be an IP address or localhost, not ${JSON.stringify(host)}: ` +
        'the page only trusts names DNS cannot point elsewhere',
    );
  }
  if (!Number.isInteger(idleTimeoutMs) || idleTimeoutMs < 1) {
    throw new Error(`idleTimeoutMs must be a whole number of milliseconds from 1, not ${idleTimeoutMs}`);
  }
  if (!TOKEN_PATTERN.test(token)) {
    throw new Error('token must be at least 22 characters (128 bits) of base64url');
  }

  let files: StaticFiles = listStaticFiles(rendererDir);
  const ports = new Set<WebSocketPort>();
  const sockets = new Set<WebSocket>();
  let listeningPort = requestedPort;
  let closing: Promise<void> | undefined;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: maxFrameBytes,
    perMessageDeflate: false,
    // The token's subprotocol is never echoed back: the answer names only the app's own.
    handleProtocols: (offered) => (offered.has(APP_SUBPROTOCOL) ? APP_SUBPROTOCOL : false),
  });

  // Host is checked below, with an answer that says what is wrong, instead of Node's bare 400.
  // Nothing but the WebSocket needs the token, so any process on the machine can open
  // connections here: each one that stays silent, or trickles its headers, goes after
  // idleTimeoutMs (Node's defaults would keep it 60 s to 5 min).
  const server = createServer(
    {
      requireHostHeader: false,
      headersTimeout: idleTimeoutMs,
      requestTimeout: idleTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, idleTimeoutMs),
    },
    (req, res) => {
      handleRequest(req, res).catch((error: unknown) => {
        log(`browser host: answering ${req.method} ${req.url} failed: ${errorText(error)}`);
        if (!res.headersSent) send(res, 500, securityHeaders(canonicalHost()), 'Internal error; see the terminal.');
        else res.destroy();
      });
    },
  );
  // No bytes at all for this long: the socket is destroyed (there is no 'timeout' listener).
  // An upgraded socket is the WebSocket's, which turns this timer off and uses heartbeats.
  server.setTimeout(idleTimeoutMs);

  const canonicalHost = () => `${urlHost(host)}:${listeningPort}`;

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostCheck = checkHostHeader(req.headers.host, listeningPort);
    if (!hostCheck.ok) {
      send(res, hostCheck.status, securityHeaders(canonicalHost()), hostCheck.message);
      return;
    }
    const headers = securityHeaders(hostCheck.value);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { ...headers, Allow: 'GET, HEAD' }, `${req.method} is not allowed here; only GET and HEAD.`);
      return;
    }
    const target = parseTarget(req.url);
    if (!target.ok) {
      send(res, target.status, headers, target.message);
      return;
    }
    const path = target.value;

    if (path === WEBSOCKET_PATH) {
      send(res, 426, { ...headers, Upgrade: 'websocket' }, 'This address takes WebSocket connections only.');
      return;
    }

    if (!files.has('/index.html')) files = listStaticFiles(rendererDir); // built since we started?
    if (!files.has('/index.html')) {
      sendPage(
        res,
        503,
        headers,
        'The app is not built yet',
        `There is no index.html in ${rendererDir}. Run "npm run build" (or "npm run web", which builds it first), then reload this page.`,
      );
      return;
    }
    const file = files.get(path === '/' ? '/index.html' : path);
    if (file === undefined) {
      send(res, 404, headers, `Nothing here: ${path}`);
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch (error) {
      send(res, 404, headers, `Cannot read ${path} (${errorText(error)}); rebuild with "npm run build".`);
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': contentTypeOf(file),
      'Content-Length': body.byteLength,
      // The page must never come from a cache: it names the asset files of this build.
      'Cache-Control': file.endsWith('.html') ? 'no-store' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => log(`browser host: WebSocket handshake socket error: ${error.message}`));
    const checked = checkUpgrade(req);
    if (!checked.ok) {
      refuseUpgrade(socket, checked.status, checked.message);
      return;
    }
    if (closing) {
      refuseUpgrade(socket, 503, 'The host is shutting down.');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req));
  });

  function checkUpgrade(req: IncomingMessage): Check<null> {
    const hostCheck = checkHostHeader(req.headers.host, listeningPort);
    if (!hostCheck.ok) return hostCheck;
    const target = parseTarget(req.url);
    if (!target.ok) return target;
    if (target.value !== WEBSOCKET_PATH) {
      return { ok: false, status: 404, message: `No WebSocket endpoint at ${target.value}.` };
    }
    const originCheck = checkOrigin(req.headers.origin, hostCheck.value);
    if (!originCheck.ok) return originCheck;
    if (!protocolsHaveToken(req.headers['sec-websocket-protocol'], token)) {
      return { ok: false, status: 401, message: `Not signed in. ${tokenHelp}` };
    }
    return { ok: true, value: null };
  }

  function accept(ws: WebSocket, req: IncomingMessage): void {
    const remote = req.socket as Socket;
    const label = `browser ${remote.remoteAddress ?? '?'}:${remote.remotePort ?? '?'}`;
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    const port = new WebSocketPort(ws, { heartbeatMs, maxBufferedBytes, log, label });
    ports.add(port);
    port.onClose(() => ports.delete(port));
    serve(port, { transport: 'browser', services, log });
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(new Error(describeListenError(error, host, requestedPort)));
    server.once('error', onError);
    server.listen({ port: requestedPort, host }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error) => log(`browser host: server error: ${error.message}`));
  listeningPort = (server.address() as AddressInfo).port;

  const origin = `http://${canonicalHost()}`;
  return {
    url: signInUrl(origin, token),
    origin,
    port: listeningPort,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const port of ports) port.close(closeCodes.goingAway, 'Protocol Playground is shutting down');
        const cutOff = setTimeout(() => {
          for (const ws of sockets) ws.terminate();
        }, SHUTDOWN_GRACE_MS);
        server.close(() => {
          clearTimeout(cutOff);
          wss.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

const tokenHelp =
  'Open the full URL printed in the terminal where you ran "npm run web" (it ends in #token=…); ' +
  'the page keeps the token for its own tab and shows it only to this host.';

/** The decoded path of an origin-form target ("/path?query"); "http://other/..." is proxy talk. */
function parseTarget(url: string | undefined): Check<string> {
  if (!url?.startsWith('/')) return { ok: false, status: 400, message: 'The request target must start with "/".' };
  const q = url.indexOf('?');
  try {
    return { ok: true, value: decodeURIComponent(q < 0 ? url : url.slice(0, q)) };
  } catch {
    return { ok: false, status: 400, message: 'The request path is not valid percent-encoding.' };
  }
}

/**
 * Headers on every answer. The CSP allows only this origin's own scripts and
 * styles (no inline code, no eval), WebSocket to this host only, and no framing.
 * There are deliberately no Access-Control-* headers: no other origin may read
 * anything from here.
 */
function securityHeaders(host: string): OutgoingHttpHeaders {
  const csp = contentSecurityPolicy({ websocketOrigin: `ws://${host}` });
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function send(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, text: string): void {
  const body = Buffer.from(`${text}\n`, 'utf8');
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.byteLength,
    'Cache-Control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** A minimal page for what a person sees in the browser tab (no scripts or styles: the CSP allows none inline). */
function sendPage(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, title: string, text: string) {
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Protocol Playground: ${escapeHtml(title)}</title></head>` +
    `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>\n`;
  const body = Buffer.from(html, 'utf8');
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': body.byteLength,
    'Cache-Control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** Refuses a WebSocket handshake with a plain HTTP answer, before any WebSocket exists. */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = Buffer.from(`${message}\n`, 'utf8');
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${statusText(status)}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${body.byteLength}\r\n` +
      'X-Content-Type-Options: nosniff\r\n' +
      '\r\n' +
      body.toString('utf8'),
  );
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    421: 'Misdirected Request',
    503: 'Service Unavailable',
  };
  return texts[status] ?? 'Error';
}

function urlHost(host: string): string {
  // A wildcard address is not somewhere a browser can go; loopback reaches it.
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return isIPv6(host) ? `[${host}]` : host;
}

function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `${urlHost(host)}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `cannot listen on ${where}: the port is already in use. Pick another with --port, or leave --port out to get a free one.`;
    case 'EACCES':
      return `cannot listen on ${where}: permission denied (ports below 1024 need special rights). Pick a port from 1024 up.`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where}: this machine has no such address. Leave --host out to use 127.0.0.1.`;
    default:
      return `cannot listen on ${where}: ${error.message}`;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
