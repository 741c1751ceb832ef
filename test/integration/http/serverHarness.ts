import net from 'node:net';
import type { WebServerLogEntry, WebServerStartRequest } from '../../../shared/http/server/contract';
import type { App } from '../../support/appClient';

export async function startWebServer(app: App, request: Partial<WebServerStartRequest> = {}) {
  return app.client.call('webServer.start', { port: 0, keepAliveTimeoutMs: 3000, ...request });
}

/** Every log entry of one server so far, in order. */
export function webLog(app: App, serverId: string): WebServerLogEntry[] {
  return app.events['webServer.log'].filter((e) => e.serverId === serverId).flatMap((e) => e.entries);
}

export function entriesOf<K extends WebServerLogEntry['kind']>(
  app: App,
  serverId: string,
  kind: K,
): Extract<WebServerLogEntry, { kind: K }>[] {
  return webLog(app, serverId).filter((e): e is Extract<WebServerLogEntry, { kind: K }> => e.kind === kind);
}

export interface ParsedResponse {
  statusLine: string;
  status: number;
  headers: Map<string, string>;
  body: Buffer;
}

/**
 * Responses read from a byte stream (enough for this server: it always sends
 * Content-Length; HEAD and 304 carry none). `headOnly` marks responses to HEAD.
 */
export function parseResponses(data: Buffer, headOnly: boolean[] = []): ParsedResponse[] {
  const out: ParsedResponse[] = [];
  let at = 0;
  while (at < data.length) {
    const end = data.indexOf('\r\n\r\n', at);
    if (end === -1) break;
    const lines = data.subarray(at, end).toString('latin1').split('\r\n');
    const statusLine = lines[0] ?? '';
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
    }
    const status = Number(statusLine.split(' ')[1]);
    const noBody = headOnly[out.length] === true || status === 304 || status === 204;
    const length = noBody ? 0 : Number(headers.get('content-length') ?? 0);
    out.push({ statusLine, status, headers, body: data.subarray(end + 4, end + 4 + length) });
    at = end + 4 + length;
  }
  return out;
}

/** A raw TCP client: exact bytes out, everything received kept, whether the server closed. */
export class RawHttp {
  received = Buffer.alloc(0);
  closed = false;
  private waiters = new Set<() => void>();

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<RawHttp> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawHttp(socket)));
      socket.once('error', reject);
    });
  }

  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  send(text: string | Uint8Array): void {
    this.socket.write(typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
  }

  /** Waits until `count` responses have fully arrived (or the server closed); bounded by `timeoutMs`. */
  async responses(count: number, headOnly: boolean[] = [], timeoutMs = 5000): Promise<ParsedResponse[]> {
    await this.waitFor(() => this.closed || parseResponses(this.received, headOnly).length >= count, timeoutMs);
    return parseResponses(this.received, headOnly);
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    await this.waitFor(() => this.closed, timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms; received so far: ${JSON.stringify(this.received.toString('latin1').slice(0, 300))}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}

/** One request on its own connection: the responses, and the client closed afterwards. */
export async function exchange(port: number, text: string, count = 1, headOnly: boolean[] = []) {
  const client = await RawHttp.connect(port);
  try {
    client.send(text);
    return await client.responses(count, headOnly);
  } finally {
    client.close();
  }
}
