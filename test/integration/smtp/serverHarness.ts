import net from 'node:net';
import tls from 'node:tls';
import nodemailer from 'nodemailer';
import type { RequestOf, ResponseOf } from '../../../shared/contract/index';
import type { MailServerLogEntry } from '../../../shared/smtp/server/contract';
import type { App } from '../../support/appClient';
import { until } from '../../support/waits';

/** A reply as read off the wire: every line, and the code of the last one. */
export interface RawReply {
  code: number;
  text: string;
}

/**
 * A hand-typed SMTP client on a raw socket, like telnet in the textbook: it writes exact
 * bytes and reads whole replies (a reply ends with a line `NNN ` or `NNN`).
 */
export class RawSmtp {
  private buffer = '';
  private socket: net.Socket;
  closed = false;
  /** The client's port, as the server sees it in "connection from". */
  readonly localPort: number;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    this.localPort = socket.localPort ?? 0;
    this.listen(socket);
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawSmtp> {
    const socket = net.connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawSmtp(socket);
  }

  private listen(socket: net.Socket): void {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (this.buffer += chunk));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }

  /** The next whole reply, within `timeoutMs`. */
  async reply(timeoutMs = 5000): Promise<RawReply> {
    let found: RawReply | undefined;
    await until(
      () => {
        const match = /^(?:\d{3}-[^\n]*\n)*(\d{3})(?: [^\n]*)?\r?\n/.exec(this.buffer);
        if (!match) return false;
        found = { code: Number(match[1]), text: match[0] };
        this.buffer = this.buffer.slice(match[0].length);
        return true;
      },
      `an SMTP reply (so far: ${JSON.stringify(this.buffer.slice(0, 200))})`,
      timeoutMs,
    );
    return found as RawReply;
  }

  write(bytes: string | Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Sends one line (CRLF added) and reads the reply. */
  async send(line: string, timeoutMs?: number): Promise<RawReply> {
    this.write(`${line}\r\n`);
    return this.reply(timeoutMs);
  }

  /** STARTTLS on this connection, trusting exactly `ca`. */
  async startTls(ca: string): Promise<tls.TLSSocket> {
    const reply = await this.send('STARTTLS');
    if (reply.code !== 220) throw new Error(`STARTTLS refused: ${reply.text}`);
    this.socket.removeAllListeners('data');
    const secure = tls.connect({ socket: this.socket, ca, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
    return secure;
  }

  destroy(): void {
    this.socket.destroy();
  }

  async quit(): Promise<RawReply> {
    const reply = await this.send('QUIT');
    await until(() => this.closed, 'the server to close after QUIT');
    return reply;
  }
}

export async function startMailServer(
  app: App,
  options: RequestOf<'mailServer.start'> = {},
): Promise<ResponseOf<'mailServer.start'>> {
  return app.client.call('mailServer.start', { port: 0, ...options });
}

/** Every log entry of one server so far, in order. */
export function logEntries(app: App, serverId: string): MailServerLogEntry[] {
  return app.events['mailServer.log'].filter((event) => event.serverId === serverId).flatMap((event) => event.entries);
}

/** The log as "C: …" / "S: …" text, the way the textbook prints a session. */
export function conversation(app: App, serverId: string): string[] {
  return logEntries(app, serverId).flatMap((entry) => {
    if (entry.kind === 'received') return [`C: ${Buffer.from(entry.data).toString('latin1')}`];
    if (entry.kind === 'replied') return [`S: ${Buffer.from(entry.data).toString('latin1')}`];
    return [];
  });
}

/** Inbox summaries of one server that are still there. */
export function inbox(app: App, serverId: string) {
  const removed = new Set<string>();
  const added = [];
  for (const event of app.events['mailServer.inbox'].filter((e) => e.serverId === serverId)) {
    added.push(...event.added);
    for (const id of event.removed) removed.add(id);
  }
  return added.filter((summary) => !removed.has(summary.messageId));
}

export function transport(port: number, options: Record<string, unknown> = {}) {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, ...options });
}
