import net from 'node:net';
import tls from 'node:tls';
import { makeSelfSignedCertificate, type SelfSignedCertificate } from '../../../electron/net/selfSignedCertificate';
import { listenOnFreePort } from '../../support/ports';

/**
 * Misbehaving SMTP servers written in the tests: each connection runs a script that
 * reads lines and writes exactly the bytes it is told, so a test can make a server
 * stay silent, close mid-step, split replies anywhere, or upgrade to TLS.
 */
export class ScriptedConnection {
  // Unread bytes as received (concatenated only when a read takes them: a 10 MB message arrives in hundreds of chunks).
  private chunks: Buffer[] = [];
  private unread = 0;
  private scanned = 0;
  private waiters: Array<() => void> = [];
  private ended = false;
  /** Bytes received in all, plain and TLS alike. */
  receivedBytes = 0;

  constructor(public socket: net.Socket) {
    this.listen(socket);
  }

  private listen(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.receivedBytes += chunk.length;
      this.chunks.push(chunk);
      this.unread += chunk.length;
      this.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Where `needle` ends in the unread bytes (-1: not yet), looking only at chunks not searched before. */
  private find(needle: Buffer): number {
    let offset = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      const chunk = this.chunks[i] as Buffer;
      if (i >= this.scanned) {
        const previous = i > 0 ? (this.chunks[i - 1] as Buffer) : Buffer.alloc(0);
        const tail = previous.subarray(Math.max(0, previous.length - needle.length + 1));
        const at = Buffer.concat([tail, chunk]).indexOf(needle);
        if (at >= 0) return offset - tail.length + at + needle.length;
      }
      offset += chunk.length;
    }
    this.scanned = this.chunks.length;
    return -1;
  }

  /** Resolves with the bytes up to and including `marker`; null when the connection ends first. */
  async readUntil(marker: string | Buffer, timeoutMs = 5000): Promise<Buffer | null> {
    const needle = typeof marker === 'string' ? Buffer.from(marker, 'latin1') : marker;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.find(needle);
      if (end >= 0) {
        const buffer = Buffer.concat(this.chunks);
        const rest = buffer.subarray(end);
        this.chunks = rest.length > 0 ? [rest] : [];
        this.unread = rest.length;
        this.scanned = 0;
        return buffer.subarray(0, end);
      }
      if (this.ended) return null;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`the scripted server waited more than ${timeoutMs} ms for ${JSON.stringify(String(marker))}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next command line without its CRLF; null when the connection ends. */
  async line(timeoutMs?: number): Promise<string | null> {
    const bytes = await this.readUntil('\n', timeoutMs);
    return bytes === null ? null : bytes.toString('utf8').replace(/\r?\n$/, '');
  }

  /** Bytes received but not read by the script yet. */
  get pending(): number {
    return this.unread;
  }

  write(text: string | Uint8Array): void {
    this.socket.write(text);
  }

  end(text?: string): void {
    if (text === undefined) this.socket.end();
    else this.socket.end(text);
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Answers STARTTLS's 220 side: the TLS handshake as the server, on the same connection. */
  async upgrade(certificate: SelfSignedCertificate): Promise<void> {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('end');
    this.socket.removeAllListeners('close');
    const secure = new tls.TLSSocket(this.socket, { isServer: true, key: certificate.key, cert: certificate.cert });
    this.socket = secure;
    this.chunks = [];
    this.unread = 0;
    this.scanned = 0;
    this.listen(secure);
    await new Promise<void>((resolve, reject) => {
      secure.once('secure', () => resolve());
      secure.once('error', reject);
      secure.once('close', () => reject(new Error('closed during the TLS handshake')));
    });
  }

  get isTls(): boolean {
    return this.socket instanceof tls.TLSSocket;
  }
}

export interface ScriptedServer {
  port: number;
  connections: ScriptedConnection[];
  /** Failures inside scripts (assertions), rethrown by close(). */
  errors: unknown[];
  close(): Promise<void>;
}

const servers = new Set<ScriptedServer>();

/** A server on 127.0.0.1 running `script` for each connection; `tls` makes it speak TLS from the first byte. */
export async function scriptedServer(
  script: (connection: ScriptedConnection) => Promise<void> | void,
  options: { tls?: SelfSignedCertificate } = {},
): Promise<ScriptedServer> {
  const connections: ScriptedConnection[] = [];
  const errors: unknown[] = [];
  const onSocket = (socket: net.Socket) => {
    const connection = new ScriptedConnection(socket);
    connections.push(connection);
    Promise.resolve()
      .then(() => script(connection))
      .catch((error: unknown) => {
        errors.push(error);
        connection.destroy();
      });
  };
  const server = options.tls
    ? tls.createServer({ key: options.tls.key, cert: options.tls.cert }, onSocket)
    : net.createServer(onSocket);
  // Sockets whose TLS handshake never finished are not scripted connections, but must close too.
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await listenOnFreePort(server);
  const handle: ScriptedServer = {
    port,
    connections,
    errors,
    async close() {
      servers.delete(handle);
      for (const connection of connections) connection.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      if (errors.length > 0) throw errors[0];
    },
  };
  servers.add(handle);
  return handle;
}

/** Stops every scripted server still running (for afterEach). */
export async function closeScriptedServers(): Promise<void> {
  await Promise.all([...servers].map((server) => server.close()));
}

let certificate: Promise<SelfSignedCertificate> | undefined;
/** One certificate for the whole file: making one costs tens of milliseconds. */
export function testCertificate(): Promise<SelfSignedCertificate> {
  certificate ??= makeSelfSignedCertificate('localhost');
  return certificate;
}

/**
 * A well-behaved conversation: greeting, then each command gets the answer `answer` gives
 * (default: the textbook's); after DATA's 354 the message is read up to CRLF.CRLF and
 * handed to `onMessage` un-stuffed, as a server does.
 */
export async function textbookScript(
  connection: ScriptedConnection,
  hooks: {
    answer?: (line: string) => string | undefined;
    onMessage?: (message: Buffer) => string | undefined;
    greeting?: string;
  } = {},
): Promise<void> {
  connection.write(hooks.greeting ?? '220 hamburger.edu\r\n');
  for (;;) {
    const line = await connection.line(10_000);
    if (line === null) return;
    const custom = hooks.answer?.(line);
    if (custom !== undefined) {
      connection.write(custom);
      if (custom.startsWith('221') || custom.startsWith('421')) return connection.end();
      if (!custom.startsWith('354')) continue;
    }
    const verb = line.split(/[\s:]/)[0]?.toUpperCase() ?? '';
    if (custom === undefined) {
      if (verb === 'HELO') connection.write(`250 Hello ${line.slice(5)}, pleased to meet you\r\n`);
      else if (verb === 'EHLO') connection.write('250-hamburger.edu\r\n250-PIPELINING\r\n250 8BITMIME\r\n');
      else if (verb === 'MAIL') connection.write(`250 ${line.slice(10)} ... Sender ok\r\n`);
      else if (verb === 'RCPT') connection.write(`250 ${line.slice(8)} ... Recipient ok\r\n`);
      else if (verb === 'DATA') connection.write('354 Enter mail, end with "." on a line by itself\r\n');
      else if (verb === 'QUIT') {
        connection.end('221 hamburger.edu closing connection\r\n');
        return;
      } else connection.write('250 OK\r\n');
    }
    if (verb === 'DATA') {
      const data = await connection.readUntil('\r\n.\r\n', 60_000);
      if (data === null) return;
      const message = unstuff(data);
      connection.write(hooks.onMessage?.(message) ?? '250 Message accepted for delivery\r\n');
    }
  }
}

/** What a server does with the lines after DATA: drop the final ".", remove one leading dot from each line. */
export function unstuff(data: Buffer): Buffer {
  const body = data.subarray(0, data.length - 3); // keeps the CRLF before the "."
  const out: Buffer[] = [];
  let start = 0;
  while (start < body.length) {
    const newline = body.indexOf(0x0a, start);
    const end = newline < 0 ? body.length : newline + 1;
    out.push(body[start] === 0x2e ? body.subarray(start + 1, end) : body.subarray(start, end));
    start = end;
  }
  return Buffer.concat(out);
}
