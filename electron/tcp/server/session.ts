import net from 'node:net';
import { upperBytesWithReport } from '../../../shared/bytes';
import type { ErrorInfo } from '../../../shared/contract/errors';
import type { ParsedRequestOf, ResponseOf } from '../../../shared/contract/index';
import type { connectionCloseReasons } from '../../../shared/net/serverContract';
import {
  type TcpServerCounters,
  type TcpServerLogEntry,
  type TcpServerMode,
  textbookRecvBytes,
} from '../../../shared/tcp/server/contract';
import { localAddressOf, remoteAddressOf } from '../../net/address';
import { BuiltInServer, closeListening, failedBy, tcpServerError, type StartContext } from '../../net/builtInServer';
import { roundMs, stamp } from '../../net/clock';
import { LinkedSocket } from '../../net/link';
import type { Opened } from '../../net/registry';

type StartRequest = ParsedRequestOf<'tcpServer.start'>;
type ClosedBy = (typeof connectionCloseReasons)[number];

/** In lines mode, a "line" this long without a newline is answered in pieces so memory stays bounded. */
const maxLineBytes = 64 * 1024;
const newline = 0x0a;

/**
 * The textbook TCPServer: a welcoming socket on the port; each accept() gives a new
 * connection socket with its own client address:port, which the chosen mode serves.
 * Everything is logged: the welcoming socket, each connection, what arrived, what was
 * replied, what was discarded and how each connection ended.
 */
export class TcpUpperServer extends BuiltInServer<'tcpServer.log'> {
  private nextConnection = 1;
  private readonly sockets = new Set<net.Socket>();
  private readonly counters: TcpServerCounters = {
    connectionsAccepted: 0,
    connectionsOpen: 0,
    bytesReceived: 0,
    bytesReplied: 0,
    bytesDiscarded: 0,
  };

  private constructor(
    context: StartContext,
    private readonly server: net.Server,
    private readonly request: StartRequest,
  ) {
    super(context, { event: 'tcpServer.log', keepBytes: request.keepBytes, link: request.link });
  }

  static async start(
    request: StartRequest,
    context: StartContext,
  ): Promise<Opened<TcpUpperServer, ResponseOf<'tcpServer.start'>>> {
    return BuiltInServer.startListening(request, context, {
      protocol: 'TCP',
      create: () => {
        const listener = net.createServer({ allowHalfOpen: true, noDelay: true });
        return { server: new TcpUpperServer(context, listener, request), socket: listener };
      },
      listening: (server) => {
        server.server.on('connection', (socket) => server.accept(socket));
        server.server.on('error', (error) =>
          server.log.add({ ...stamp(), kind: 'error', error: tcpServerError(error) }),
        );
        return { logged: {}, answered: { mode: request.mode } };
      },
    });
  }

  protected snapshot(): TcpServerCounters {
    return { ...this.counters };
  }

  protected shutDown(): Promise<void> {
    return closeListening(this.server, this.sockets);
  }

  private accept(socket: net.Socket): void {
    if (this.stopped) {
      socket.destroy();
      return;
    }
    const connectionId = `c${this.nextConnection++}`;
    this.sockets.add(socket);
    this.counters.connectionsAccepted++;
    this.counters.connectionsOpen++;
    const client = remoteAddressOf(socket);
    this.log.add({ ...stamp(), kind: 'accepted', connectionId, client, local: localAddressOf(socket) });

    let closedBy: ClosedBy | undefined;
    let closeError: ErrorInfo | undefined;
    socket.setTimeout(this.request.idleTimeoutMs, () => {
      closedBy ??= 'idle';
      socket.destroy();
    });
    socket.on('error', (error) => {
      closeError = tcpServerError(error, client);
      closedBy ??= failedBy(closeError);
    });
    socket.on('end', () => {
      if (!this.stopped) this.log.add({ ...stamp(), kind: 'peerEnded', connectionId });
    });
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.counters.connectionsOpen--;
      if (this.stopped) return;
      const entry: TcpServerLogEntry = { ...stamp(), kind: 'closed', connectionId, by: closedBy ?? 'client' };
      if (closeError && entry.kind === 'closed') entry.error = closeError;
      this.log.add(entry);
    });

    // The mode reads and writes through the emulated link (which passes bytes straight on while there is none).
    const linked = new LinkedSocket(socket, this.link);
    linked.on('error', () => {
      // the connection socket's own error handler above logs it
    });
    const connection: Connection = {
      id: connectionId,
      socket: linked,
      received: (data) => this.received(connectionId, data, linked.lastReadDelayMs),
      reply: (data) => this.reply(connectionId, linked, data),
      discarded: (bytes, reason) => {
        this.counters.bytesDiscarded += bytes;
        this.log.add({ ...stamp(), kind: 'discarded', connectionId, bytes, reason });
      },
      closeByServer: () => {
        closedBy ??= 'server';
      },
    };
    modes[this.request.mode](connection);
  }

  private received(connectionId: string, data: Uint8Array, linkDelayMs: number): void {
    this.counters.bytesReceived += data.byteLength;
    const entry: TcpServerLogEntry = {
      ...stamp(),
      kind: 'received',
      connectionId,
      data: this.log.keep(data),
      bytes: data.byteLength,
    };
    if (linkDelayMs > 0 && entry.kind === 'received') entry.linkDelayMs = roundMs(linkDelayMs);
    this.log.add(entry, data.byteLength);
  }

  /** Writes a reply and logs it; false when the socket's send queue is full (the caller should pause). */
  private reply(connectionId: string, socket: LinkedSocket, data: Uint8Array, upper = this.request.mode !== 'echo') {
    const { bytes, invalidBytes } = upper ? upperBytesWithReport(data) : { bytes: data, invalidBytes: 0 };
    this.counters.bytesReplied += bytes.byteLength;
    const entry: TcpServerLogEntry = {
      ...stamp(),
      kind: 'replied',
      connectionId,
      data: this.log.keep(bytes),
      bytes: bytes.byteLength,
    };
    if (invalidBytes > 0 && entry.kind === 'replied') entry.invalidUtf8Bytes = invalidBytes;
    const linkDelayMs = this.link.link ? socket.writeDelayMs(bytes.byteLength) : 0;
    if (linkDelayMs > 0 && entry.kind === 'replied') entry.linkDelayMs = roundMs(linkDelayMs);
    this.log.add(entry, bytes.byteLength);
    // Echo hands back Node's own buffer; copy so nothing else can change it while it is queued.
    return socket.write(upper ? bytes : new Uint8Array(bytes));
  }
}

interface Connection {
  id: string;
  /** The connection socket as the emulated link lets the server see it. */
  socket: LinkedSocket;
  received(data: Uint8Array): void;
  reply(data: Uint8Array): boolean;
  discarded(bytes: number, reason: string): void;
  closeByServer(): void;
}

/** Pauses reading while the client does not read our replies (backpressure), resumes on drain. */
function replyWithBackpressure(connection: Connection, data: Uint8Array): void {
  if (!connection.reply(data) && !connection.socket.isPaused()) {
    connection.socket.pause();
    connection.socket.once('drain', () => connection.socket.resume());
  }
}

const modes: Record<TcpServerMode, (connection: Connection) => void> = {
  /**
   * `sentence = connectionSocket.recv(1024)`, reply `sentence.upper()`, `close()`.
   * recv(1024) returns whatever has arrived, at most 1024 bytes; Node reads bigger
   * chunks, so the rest of the first chunk, and anything after it, is discarded and
   * logged as such.
   */
  classic(connection) {
    const { socket } = connection;
    let answered = false;
    const answer = (data: Uint8Array) => {
      answered = true;
      connection.received(data);
      connection.reply(data);
      connection.closeByServer();
      // close(): the reply still leaves, then the connection socket is gone (the welcoming socket stays).
      socket.end(() => socket.destroy());
    };
    socket.on('data', (chunk: Buffer) => {
      if (answered) {
        connection.discarded(chunk.byteLength, 'arrived after the one recv(1024); the server closes this socket');
        return;
      }
      answer(chunk.subarray(0, textbookRecvBytes));
      if (chunk.byteLength > textbookRecvBytes) {
        connection.discarded(
          chunk.byteLength - textbookRecvBytes,
          `recv(${textbookRecvBytes}) returns at most ${textbookRecvBytes} bytes; the rest was never read`,
        );
      }
    });
    // recv() returns b'' when the client shut down without sending: the textbook replies b'' and closes.
    socket.on('end', () => {
      if (!answered) answer(new Uint8Array(0));
    });
  },

  /** Keeps the connection and answers each line (up to and including its \n) as it completes. */
  lines(connection) {
    const { socket } = connection;
    let pending: Uint8Array = new Uint8Array(0);
    socket.on('data', (chunk: Buffer) => {
      connection.received(chunk);
      let buffer = pending.byteLength === 0 ? chunk : concat(pending, chunk);
      // Many short lines in one chunk: gather their replies into few segments.
      socket.cork();
      for (;;) {
        const end = buffer.indexOf(newline);
        if (end < 0) break;
        replyWithBackpressure(connection, buffer.subarray(0, end + 1));
        buffer = buffer.subarray(end + 1);
      }
      while (buffer.byteLength >= maxLineBytes) {
        const cut = utf8Boundary(buffer, maxLineBytes);
        replyWithBackpressure(connection, buffer.subarray(0, cut));
        buffer = buffer.subarray(cut);
      }
      socket.uncork();
      pending = new Uint8Array(buffer);
    });
    // The client will send no more: answer an unfinished last line, then close our side too.
    socket.on('end', () => {
      if (pending.byteLength > 0) connection.reply(pending);
      pending = new Uint8Array(0);
      socket.end();
    });
  },

  echo(connection) {
    const { socket } = connection;
    socket.on('data', (chunk: Buffer) => {
      connection.received(chunk);
      replyWithBackpressure(connection, chunk);
    });
    socket.on('end', () => socket.end());
  },
};

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

/** The largest cut ≤ `at` that does not split a UTF-8 character. */
function utf8Boundary(bytes: Uint8Array, at: number): number {
  let cut = at;
  while (cut > at - 4 && cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut--;
  return cut > 0 ? cut : at;
}
