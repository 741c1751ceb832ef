import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ErrorInfo } from '../../../shared/contract/errors';
import type { ParsedRequestOf, ResponseOf } from '../../../shared/contract/index';
import {
  maxLoggedRequestBytes,
  type WebServerCounters,
  type WebServerHeader,
  type WebServerLogEntry,
  type WebServerTimeouts,
  type webServerCloseReasons,
} from '../../../shared/http/server/contract';
import type { SocketAddress } from '../../../shared/net/contract';
import { allInterfacesWarning, localAddressOf, remoteAddressOf } from '../../net/address';
import { BuiltInServer, closeListening, failedBy, tcpServerError, type StartContext } from '../../net/builtInServer';
import { roundMs, stamp } from '../../net/clock';
import { LinkedSocket, linkAccepted } from '../../net/link';
import type { Opened } from '../../net/registry';
import { resolveServedFolder } from './folder';
import { ownHostNames } from './hostCheck';
import { handleRequest, type ResponseNote, respondWithPage } from './handler';
import { errorPage, rawResponse } from './pages';
import { answerParseError, requestLineOf, splitRequestLine } from './parseErrors';
import { type RequestBytes, RequestByteStream } from './requestBytes';

type StartRequest = ParsedRequestOf<'webServer.start'>;
type ClosedBy = (typeof webServerCloseReasons)[number];
/** What the log says was read of a request: its request line's parts, or the problem with it. */
type RequestRead = Pick<Extract<WebServerLogEntry, { kind: 'request' }>, 'method' | 'target' | 'version' | 'problem'>;

/**
 * A flood of requests (a load generator, a long pipeline) may leave these out of the log,
 * counted: the counters still count every one, and connections opening and closing
 * (bounded by the connection limit) are always logged.
 */
const floodDroppableKinds: ReadonlySet<WebServerLogEntry['kind']> = new Set(['request', 'response', 'ignored']);

interface Connection {
  id: string;
  socket: net.Socket;
  client: SocketAddress;
  bytes: RequestByteStream;
  requests: number;
  /** Responses started but not finished; a raw error reply waits for them (pipelining keeps order). */
  inFlight: number;
  /** When it began waiting for a request head (opened, or its last response went out); `performance.now()` ms. */
  waitingSince: number;
  afterResponses?: () => void;
  closedBy?: ClosedBy;
  error?: ErrorInfo;
}

/**
 * The built-in web server: node:http for the connection handling (keep-alive, HTTP/1.0
 * close, body framing), `send` for the files and conditional GET, and around them
 * what a teaching server needs: each request's raw bytes in the log next to the
 * response line, a number per request on each connection, deliberate 400/405/505
 * answers where Node's parser gives up, and no way out of the served folder.
 */
export class WebServer extends BuiltInServer<'webServer.log'> {
  private nextConnection = 1;
  /** The machine's own names, taken once at start; undefined when the Host check is off. */
  private readonly ownHostNames: ReadonlySet<string> | undefined;
  private readonly connections = new Map<net.Socket, Connection>();
  private readonly counters: WebServerCounters = {
    connectionsAccepted: 0,
    connectionsOpen: 0,
    connectionsRefused: 0,
    connectionsEvicted: 0,
    requests: 0,
    responses2xx: 0,
    responses3xx: 0,
    responses4xx: 0,
    responses5xx: 0,
    bytesReceived: 0,
    bytesSent: 0,
  };

  private constructor(
    context: StartContext,
    private readonly server: http.Server,
    private readonly request: StartRequest,
    private readonly root: string,
  ) {
    super(context, {
      event: 'webServer.log',
      keepBytes: request.keepBytes,
      droppableKinds: floodDroppableKinds,
      link: request.link,
    });
    this.ownHostNames = request.checkHost ? ownHostNames() : undefined;
  }

  static async start(
    request: StartRequest,
    context: StartContext,
  ): Promise<Opened<WebServer, ResponseOf<'webServer.start'>>> {
    const folder = await resolveServedFolder(request.folder);
    return BuiltInServer.startListening(request, context, {
      protocol: 'TCP',
      create: () => {
        const listener = http.createServer({
          // Off: Node would answer a Host-less HTTP/1.1 request itself, unlogged.
          requireHostHeader: false,
          // Explicit, not Node's 60 s checked every 30 s. The head limit is long enough for a student
          // typing by hand; slow clients holding every slot (slowloris) are closed to make room.
          headersTimeout: request.headersTimeoutMs,
          requestTimeout: request.requestTimeoutMs,
          keepAliveTimeout: request.keepAliveTimeoutMs,
          connectionsCheckingInterval: request.connectionsCheckingIntervalMs,
        });
        // A connection silent this long (pausing while typing, or stalled mid-response) is closed:
        // the head limit, since a pause that long cannot end in a request within it anyway.
        listener.timeout = request.headersTimeoutMs;
        return { server: new WebServer(context, listener, request, folder.root), socket: listener };
      },
      listening: (server) => {
        const listener = server.server;
        listener.on('connection', (socket: net.Socket) => server.accept(socket));
        listener.on('request', (req: IncomingMessage, res: ServerResponse) => server.onRequest(req, res));
        listener.on('clientError', (error: Error & { code?: string; reason?: string }, socket: net.Socket) =>
          server.onClientError(error, socket),
        );
        listener.on('connect', (req: IncomingMessage, socket: net.Socket) => server.onConnect(req, socket));
        listener.on('error', (error) => server.log.add({ ...stamp(), kind: 'error', error: tcpServerError(error) }));
        // Last: node:http reads and writes each connection accepted while a link is on through it,
        // and a new connection's handshake costs its round trip, as the textbook's HTTP timing counts it.
        linkAccepted(listener, server.link, { handshake: true });
        const served = { folder: folder.root, sampleSite: folder.sampleSite };
        return {
          warning: ({ address, port }) =>
            allInterfacesWarning(address, port, 'TCP').replace('The TCP server', 'The web server'),
          logged: served,
          answered: {
            ...served,
            cookieDemo: request.cookieDemo,
            checkHost: request.checkHost,
            timeouts: timeoutsOf(listener),
          },
        };
      },
    });
  }

  protected snapshot(): WebServerCounters {
    return { ...this.counters };
  }

  protected shutDown(announce: boolean): Promise<void> {
    const open = [...this.connections];
    this.connections.clear();
    // Counted and logged here, not on 'close': those events come after the log's last event.
    for (const [, connection] of open) {
      this.counters.connectionsOpen--;
      if (announce) {
        const at = stamp();
        const requestsServed = connection.requests;
        this.log.add({ ...at, kind: 'closed', connectionId: connection.id, by: 'stopped', requestsServed });
      }
    }
    return closeListening(
      this.server,
      open.map(([socket]) => socket),
    );
  }

  private accept(socket: net.Socket): void {
    const client = remoteAddressOf(socket);
    if (!this.stopped && this.counters.connectionsOpen >= this.request.maxConnections) this.makeRoom(client);
    if (this.stopped || this.counters.connectionsOpen >= this.request.maxConnections) {
      socket.destroy();
      if (this.stopped) return;
      this.counters.connectionsRefused++;
      this.log.add({
        ...stamp(),
        kind: 'refused',
        client,
        reason: `${this.request.maxConnections} connections are already open (the server's limit), each being answered`,
      });
      return;
    }
    const connection: Connection = {
      id: `c${this.nextConnection++}`,
      socket,
      client,
      bytes: new RequestByteStream(maxLoggedRequestBytes),
      requests: 0,
      inFlight: 0,
      waitingSince: performance.now(),
    };
    this.connections.set(socket, connection);
    this.counters.connectionsAccepted++;
    this.counters.connectionsOpen++;
    this.log.add({ ...stamp(), kind: 'accepted', connectionId: connection.id, client, local: localAddressOf(socket) });
    // Prepended, so the bytes are kept before Node's parser (listening first) turns them into a request.
    socket.prependListener('data', (chunk: Buffer) => {
      this.counters.bytesReceived += chunk.byteLength;
      connection.bytes.push(chunk);
      this.log.countersChanged();
    });
    socket.on('timeout', () => {
      connection.closedBy ??= 'idle';
    });
    socket.on('end', () => {
      connection.closedBy ??= 'client';
    });
    socket.on('error', (error) => {
      connection.error = tcpServerError(error, client);
      connection.closedBy ??= failedBy(connection.error);
    });
    socket.on('close', () => {
      // Not there any more: the stop already counted and logged it.
      if (!this.connections.delete(socket)) return;
      this.counters.connectionsOpen--;
      if (this.stopped) return;
      const entry: WebServerLogEntry = {
        ...stamp(),
        kind: 'closed',
        connectionId: connection.id,
        by: connection.closedBy ?? 'client',
        requestsServed: connection.requests,
      };
      if (connection.error && entry.kind === 'closed') entry.error = connection.error;
      this.log.add(entry);
    });
  }

  /**
   * Every slot is taken: closes the connection that has waited longest without completing a
   * request head (none being answered), after a 503 that says why, so `newcomer` gets its slot.
   * A slow client holds a slot only until someone needs it, and one typing student still
   * gets the whole head limit while there is room.
   */
  private makeRoom(newcomer: SocketAddress): void {
    let oldest: Connection | undefined;
    for (const connection of this.connections.values()) {
      if (connection.inFlight > 0 || connection.afterResponses) continue;
      if (!oldest || connection.waitingSince < oldest.waitingSince) oldest = connection;
    }
    if (!oldest) return;
    const { socket } = oldest;
    this.connections.delete(socket);
    this.counters.connectionsOpen--;
    this.counters.connectionsEvicted++;
    const at = stamp();
    this.log.add({
      ...at,
      kind: 'evicted',
      connectionId: oldest.id,
      waitedMs: Math.round(performance.now() - oldest.waitingSince),
      client: newcomer,
      maxConnections: this.request.maxConnections,
    });
    this.log.add({ ...at, kind: 'closed', connectionId: oldest.id, by: 'room', requestsServed: oldest.requests });
    if (socket.destroyed || !socket.writable) {
      socket.destroy();
      return;
    }
    const body = errorPage(
      503,
      `every connection slot (${this.request.maxConnections}) was taken and this connection had waited longest ` +
        'without completing a request head, so the server closed it to make room for a new one',
    );
    const response = rawResponse(
      503,
      [
        ['Date', new Date().toUTCString()],
        ['Content-Type', 'text/html; charset=utf-8'],
        ['Content-Length', String(body.byteLength)],
        ['Connection', 'close'],
      ],
      body,
    );
    this.counters.bytesSent += response.byteLength;
    socket.end(response, () => socket.destroy());
    // Not left half-open if the client never reads.
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const connection = this.connections.get(req.socket as net.Socket);
    if (!connection || this.stopped) {
      res.destroy();
      return;
    }
    const chunked = req.headers['transfer-encoding'] !== undefined;
    const declared = Number(req.headers['content-length'] ?? 0);
    const bodyLength = !chunked && Number.isSafeInteger(declared) && declared > 0 ? declared : 0;
    const bytes = connection.bytes.takeRequest(bodyLength);
    const requestLine = requestLineOf(bytes.raw);
    const written = splitRequestLine(requestLine);
    const requestNumber = this.logRequest(connection, bytes, {
      method: req.method ?? '',
      target: req.url ?? '',
      ...(written?.version.startsWith('HTTP/') ? { version: written.version } : {}),
    });
    const note: ResponseNote = {};
    this.trackResponse(connection, requestNumber, req, res, note);
    handleRequest(req, res, requestLine, note, {
      root: this.root,
      cookieDemo: this.request.cookieDemo,
      ...(this.ownHostNames ? { ownHostNames: this.ownHostNames } : {}),
    }).catch((error: unknown) => {
      const info = tcpServerError(error, connection.client);
      this.log.add({ ...stamp(), kind: 'error', error: info, connectionId: connection.id });
      if (res.headersSent) res.destroy();
      else respondWithPage(res, note, 500, `the server failed: ${info.message}`, { close: true });
    });
  }

  /** Counts one more request on the connection and logs its bytes with what was read of it; gives its number. */
  private logRequest(connection: Connection, bytes: RequestBytes, read: RequestRead): number {
    const requestNumber = ++connection.requests;
    this.counters.requests++;
    this.log.add(
      {
        ...stamp(),
        kind: 'request',
        connectionId: connection.id,
        requestNumber,
        raw: this.log.keep(bytes.raw),
        rawBytes: bytes.total,
        ...read,
        ...linkDelayOf(connection.socket, 'in'),
      },
      bytes.raw.byteLength,
    );
    return requestNumber;
  }

  private trackResponse(
    connection: Connection,
    requestNumber: number,
    req: IncomingMessage,
    res: ServerResponse,
    note: ResponseNote,
  ): void {
    connection.inFlight++;
    let done = false;
    const finish = (complete: boolean) => {
      if (done) return;
      done = true;
      connection.inFlight--;
      if (connection.inFlight === 0) connection.waitingSince = performance.now();
      if (res.headersSent && !this.stopped) this.logResponse(connection, requestNumber, req, res, note, complete);
      if (connection.inFlight === 0 && connection.afterResponses) {
        const next = connection.afterResponses;
        delete connection.afterResponses;
        next();
      }
    };
    res.on('finish', () => finish(true));
    res.on('close', () => finish(false));
  }

  private logResponse(
    connection: Connection,
    requestNumber: number,
    req: IncomingMessage,
    res: ServerResponse,
    note: ResponseNote,
    complete: boolean,
  ): void {
    const head = sentHead(res);
    const status = res.statusCode;
    const noBody = req.method === 'HEAD' || status === 304 || status === 204 || status < 200;
    const length = Number(header(head.headers, 'content-length') ?? 0);
    const bodyBytes = noBody || !complete || !Number.isSafeInteger(length) ? 0 : length;
    const keepAlive = complete && !/\bclose\b/i.test(header(head.headers, 'connection') ?? '');
    if (!keepAlive) connection.closedBy ??= complete ? 'server' : 'client';
    this.countResponse(status, head.length + bodyBytes);
    const entry: WebServerLogEntry = {
      ...stamp(),
      kind: 'response',
      connectionId: connection.id,
      requestNumber,
      statusLine: head.statusLine,
      status,
      headers: head.headers,
      bodyBytes,
      keepAlive,
    };
    if (note.file !== undefined) entry.file = note.file;
    const delayed = linkDelayOf(connection.socket, 'out');
    if (delayed.linkDelayMs !== undefined && entry.kind === 'response') entry.linkDelayMs = delayed.linkDelayMs;
    const reason = complete ? note.reason : 'the connection closed before the whole response was sent';
    if (reason !== undefined) entry.reason = reason;
    this.log.add(entry);
  }

  private countResponse(status: number, bytes: number): void {
    this.counters.bytesSent += bytes;
    if (status >= 500) this.counters.responses5xx++;
    else if (status >= 400) this.counters.responses4xx++;
    else if (status >= 300) this.counters.responses3xx++;
    else if (status >= 200) this.counters.responses2xx++;
  }

  /** Node's parser refused what arrived: answer it ourselves (400, 405, 505, ...) and close. */
  private onClientError(error: Error & { code?: string; reason?: string }, socket: net.Socket): void {
    const connection = this.connections.get(socket);
    if (!connection || this.stopped || error.code === 'ECONNRESET' || !socket.writable) {
      if (connection && error.code === 'ECONNRESET') connection.closedBy ??= 'reset';
      socket.destroy();
      return;
    }
    if (error.code === 'HPE_CLOSED_CONNECTION') {
      // The response said Connection: close, so what follows is never read (HTTP/1.0 without keep-alive).
      const ignored = connection.bytes.takeRest();
      this.log.add({
        ...stamp(),
        kind: 'ignored',
        connectionId: connection.id,
        raw: this.log.keep(ignored.raw),
        rawBytes: ignored.total,
        reason: 'arrived after a response that closes the connection (Connection: close): the server does not read it',
      });
      return;
    }
    const bytes = connection.bytes.takeRest();
    const requestLine = requestLineOf(bytes.raw);
    const answer = answerParseError(error.code, error.reason ?? error.message, requestLine);
    const requestNumber = this.logRequest(connection, bytes, {
      ...splitRequestLine(requestLine),
      problem: `${error.reason ?? error.message} (${error.code ?? 'parse error'})`,
    });
    this.replyAndClose(connection, requestNumber, answer.status, answer.reason);
  }

  /**
   * CONNECT asks for a tunnel, which a web server does not offer; Node hands such a
   * request over without a response object, so it is answered here like a parse error.
   */
  private onConnect(req: IncomingMessage, socket: net.Socket): void {
    const connection = this.connections.get(socket);
    if (!connection || this.stopped) {
      socket.destroy();
      return;
    }
    const bytes = connection.bytes.takeRest();
    const written = splitRequestLine(requestLineOf(bytes.raw));
    const requestNumber = this.logRequest(connection, bytes, {
      method: req.method ?? 'CONNECT',
      target: req.url ?? '',
      version: written?.version ?? `HTTP/${req.httpVersion}`,
    });
    const reason = 'CONNECT (a tunnel, what proxies offer) is not allowed here: this server answers GET and HEAD only';
    this.replyAndClose(connection, requestNumber, 405, reason);
  }

  /** Writes a whole response straight to the socket and closes it, after any responses still going out. */
  private replyAndClose(connection: Connection, requestNumber: number, status: number, reason: string): void {
    const { socket } = connection;
    const reply = () => {
      if (socket.destroyed || socket.writableEnded) return;
      const body = errorPage(status, reason);
      const headers: [string, string][] = [
        ['Date', new Date().toUTCString()],
        ['Content-Type', 'text/html; charset=utf-8'],
        ['Content-Length', String(body.byteLength)],
        ...(status === 405 ? [['Allow', 'GET, HEAD'] as [string, string]] : []),
        ['Connection', 'close'],
      ];
      const response = rawResponse(status, headers, body);
      connection.closedBy ??= 'server';
      socket.end(response);
      this.countResponse(status, response.byteLength);
      this.log.add({
        ...stamp(),
        kind: 'response',
        connectionId: connection.id,
        requestNumber,
        statusLine: requestLineOf(response),
        status,
        headers: headers.map(([name, value]) => ({ name, value })),
        bodyBytes: body.byteLength,
        reason,
        keepAlive: false,
      });
    };
    if (connection.inFlight > 0) connection.afterResponses = reply;
    else reply();
  }
}

/** For the log: how long the emulated link held the last read, or holds what was just written (none without a link). */
function linkDelayOf(socket: net.Socket, direction: 'in' | 'out'): { linkDelayMs?: number } {
  if (!(socket instanceof LinkedSocket)) return {};
  const ms = direction === 'in' ? socket.lastReadDelayMs : socket.writeDelayMs(0);
  return ms > 0 ? { linkDelayMs: roundMs(ms) } : {};
}

/** The time limits as the listening server has them (read back, so the panel shows what is in force). */
function timeoutsOf(listener: http.Server): WebServerTimeouts {
  const interval = (listener as { connectionsCheckingInterval?: unknown }).connectionsCheckingInterval;
  return {
    headersTimeoutMs: listener.headersTimeout,
    requestTimeoutMs: listener.requestTimeout,
    keepAliveTimeoutMs: listener.keepAliveTimeout,
    connectionsCheckingIntervalMs: typeof interval === 'number' ? interval : 0,
  };
}

function header(headers: readonly WebServerHeader[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name)?.value;
}

/**
 * The status line and headers exactly as Node wrote them (including the Date, Connection
 * and Keep-Alive it adds itself). `_header` is the head Node serialised; if a future Node
 * hides it, the headers set on the response are used instead.
 */
function sentHead(res: ServerResponse): { statusLine: string; headers: WebServerHeader[]; length: number } {
  const raw = (res as unknown as { _header?: unknown })._header;
  if (typeof raw === 'string' && raw.length > 0) {
    const lines = raw.split('\r\n').filter((line) => line !== '');
    const headers = lines.slice(1).map((line) => {
      const colon = line.indexOf(':');
      return { name: line.slice(0, colon), value: line.slice(colon + 1).trim() };
    });
    return { statusLine: lines[0] ?? '', headers, length: raw.length };
  }
  const headers = Object.entries(res.getHeaders()).map(([name, value]) => ({
    name,
    value: Array.isArray(value) ? value.join(', ') : String(value),
  }));
  const statusLine = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}`;
  return { statusLine, headers, length: statusLine.length + 4 };
}
