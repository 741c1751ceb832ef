import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';
import type { AppClient } from './appClient';
import { answerParent, Child } from './rpc';
import type { Row } from './table';
import { withTimeout } from './timing';

/**
 * Messages per second the built-in mail server accepts from a local client, over one
 * connection and over ten at once, with nothing lost: every message sent must show up
 * in the Inbox events that reach the page's client. Beside it, the baseline: a bare
 * smtp-server (no log, no inbox, no parsing) in a process of its own, fed by the same
 * client. The client is a minimal SMTP sender on a raw socket that pipelines
 * MAIL FROM, RCPT TO and DATA (the server offers PIPELINING), as a busy MTA would.
 *
 * Run by bench/run.ts; started with the argument `baseline`, this file is the baseline's process.
 */

const messagesOneConnection = Number(process.env.BENCH_SMTP_MESSAGES ?? 2000);
const messagesPerConnection = Math.ceil(messagesOneConnection / 5);
const parallelConnections = 10;
const goalPerSecond = 500;
const replyTimeoutMs = 10_000;

function message(i: number): string {
  return [
    'From: Alice <alice@crepes.fr>',
    'To: Bob <bob@hamburger.edu>',
    `Subject: bench message ${i}`,
    'Date: Sun, 22 Nov 2026 07:00:00 +0000',
    `Message-ID: <bench-${i}@crepes.fr>`,
    '',
    'Do you like ketchup?',
    'How about pickles?',
    '',
  ].join('\r\n');
}

/** A sender on one raw connection: whole replies in order, each message MAIL/RCPT/DATA pipelined. */
class Sender {
  private buffer = '';
  private waiters: Array<{ resolve(code: number): void; reject(error: Error): void }> = [];
  private failure: Error | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => this.read(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  static async open(port: number): Promise<Sender> {
    const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
    const sender = new Sender(socket);
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      }),
      replyTimeoutMs,
      `connecting to 127.0.0.1:${port}`,
    );
    await sender.expect(220, sender.next());
    await sender.expect(250, sender.send('EHLO crepes.fr\r\n'));
    return sender;
  }

  private read(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const match = /^(?:\d{3}-[^\n]*\n)*(\d{3})[^\n]*\n/.exec(this.buffer);
      if (!match) return;
      this.buffer = this.buffer.slice(match[0].length);
      this.waiters.shift()?.resolve(Number(match[1]));
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  private next(): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private send(text: string, replies = 1): Promise<number> {
    const answers = Array.from({ length: replies }, () => this.next());
    this.socket.write(text);
    return Promise.all(answers).then((codes) => codes.at(-1) ?? 0);
  }

  private async expect(code: number, reply: Promise<number>): Promise<void> {
    const got = await withTimeout(reply, replyTimeoutMs, `the ${code} reply`);
    if (got !== code) throw new Error(`expected ${code}, got ${got}`);
  }

  async mail(i: number): Promise<void> {
    const replies = [this.next(), this.next(), this.next()];
    this.socket.write('MAIL FROM:<alice@crepes.fr>\r\nRCPT TO:<bob@hamburger.edu>\r\nDATA\r\n');
    const [from, to, data] = await withTimeout(Promise.all(replies), replyTimeoutMs, 'MAIL/RCPT/DATA replies');
    if (from !== 250 || to !== 250 || data !== 354) throw new Error(`MAIL/RCPT/DATA got ${from}/${to}/${data}`);
    await this.expect(250, this.send(`${message(i)}.\r\n`));
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Sends `perConnection` messages on each of `connections` connections at once; ms from the first MAIL to the last 250. */
async function run(port: number, connections: number, perConnection: number): Promise<number> {
  const senders = await Promise.all(Array.from({ length: connections }, () => Sender.open(port)));
  try {
    const started = performance.now();
    await Promise.all(
      senders.map(async (sender, c) => {
        for (let i = 0; i < perConnection; i++) await sender.mail(c * perConnection + i);
      }),
    );
    return performance.now() - started;
  } finally {
    for (const sender of senders) sender.close();
  }
}

// ---- the baseline's process -------------------------------------------------------------------

function startBaseline(): void {
  let accepted = 0;
  const server = new SMTPServer({
    name: 'hamburger.edu',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    disableReverseLookup: true,
    logger: false,
    size: 32 * 1024 * 1024,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        accepted++;
        callback(null, 'Message accepted for delivery');
      });
    },
  });
  server.on('error', (error: Error) => console.error(`bench smtp baseline: ${error.message}`));
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.server.address() as net.AddressInfo;
    answerParent(
      {
        accepted: () => accepted,
        close: () => new Promise<boolean>((resolve) => server.close(() => resolve(true))),
      },
      { port },
    );
  });
}

type BaselineApi = { accepted: () => number; close: () => Promise<boolean> };

if (process.argv[2] === 'baseline') startBaseline();

// ---- the measurement ----------------------------------------------------------------------------

export async function smtpThroughput(
  app: AppClient,
  report: { rows: Row[]; notes: string[]; progress: (message: string) => void },
): Promise<void> {
  const { child: baseline, ready } = await Child.start<BaselineApi, { port: number }>('./smtp.ts', ['baseline'], {
    timeoutMs: 20_000,
  });
  const { client } = app;
  const server = await client.call(
    'mailServer.start',
    { port: 0, inboxLimit: { messages: 10_000, bytes: 256 * 1024 * 1024 } },
    { timeoutMs: 20_000 },
  );
  let inboxed = 0;
  const off = client.on('mailServer.inbox', (event) => {
    if (event.serverId === server.serverId) inboxed += event.added.length;
  });
  let accepted = 0;
  let omitted = 0;
  const offLog = client.on('mailServer.log', (event) => {
    if (event.serverId !== server.serverId) return;
    accepted = event.counters.messagesAccepted;
    omitted = event.omittedEntries;
  });
  try {
    // A short warm-up of both, so neither pays for the JIT in the measurement.
    await run(ready.port, 1, 100);
    await run(server.local.port, 1, 100);
    await waitFor(() => inboxed >= 100 && accepted >= 100, 'the warm-up in the inbox');

    for (const [connections, perConnection] of [
      [1, messagesOneConnection],
      [parallelConnections, messagesPerConnection],
    ] as const) {
      const total = connections * perConnection;
      const label = `SMTP messages accepted, ${connections === 1 ? '1 connection' : `${connections} parallel connections`}`;
      report.progress(`${label}: ${total} messages, raw smtp-server then the app's mail server`);
      const rawBefore = await baseline.call('accepted', undefined, 5000);
      const rawMs = await run(ready.port, connections, perConnection);
      const rawCount = (await baseline.call('accepted', undefined, 5000)) - rawBefore;
      const inboxBefore = inboxed;
      const acceptedBefore = accepted;
      const omittedBefore = omitted;
      const appMs = await run(server.local.port, connections, perConnection);
      await waitFor(
        () => inboxed - inboxBefore >= total && accepted - acceptedBefore >= total,
        `${total} messages in the inbox`,
      );
      const arrived = inboxed - inboxBefore;
      const rawRate = (rawCount / rawMs) * 1000;
      const appRate = (total / appMs) * 1000;
      const lost = total - arrived;
      report.rows.push({
        what: `${label}: throughput`,
        raw: `${rawRate.toFixed(0)} msg/s`,
        app: `${appRate.toFixed(0)} msg/s`,
        difference: `${(appRate / rawRate).toFixed(2)} × raw`,
        goal: `≥ ${goalPerSecond} msg/s, none lost`,
        verdict: appRate >= goalPerSecond && lost === 0 && rawCount === total ? 'PASS' : 'MISS',
      });
      report.notes.push(
        `${label}: ${total} messages of ${message(0).length} bytes (${connections} × ${perConnection}), MAIL FROM/RCPT TO/DATA pipelined, then the message, each waiting for its 250. Raw = bare smtp-server (no log, no inbox) in its own process: ${rawCount} accepted in ${rawMs.toFixed(0)} ms. App = the built-in mail server in the browser-mode host: ${total} answered 250 in ${appMs.toFixed(0)} ms; ${arrived} arrived in the Inbox over ${app.transport} (${lost === 0 ? 'none lost' : `${lost} LOST`}); every line both ways went to the log${omitted > omittedBefore ? `, of which ${omitted - omittedBefore} entries were left out of the log events under the flood (counted, as the panel says)` : ''}.`,
      );
    }
  } finally {
    off();
    offLog();
    await client.call('mailServer.stop', { serverId: server.serverId }, { timeoutMs: 10_000 }).catch(() => {});
    await baseline.call('close', undefined, 5000).catch(() => {});
    await baseline.stop();
  }
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
