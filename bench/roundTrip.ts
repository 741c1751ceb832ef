import dgram from 'node:dgram';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Client } from '../shared/contract/client';
import { withTimeout } from './timing';

/** One request/reply: what the caller saw, and (app only) what the Node side measured socket to socket. */
export interface RoundTrip {
  ms: number;
  nodeMs?: number | undefined;
}

export interface RoundTripper {
  once(i: number): Promise<RoundTrip>;
  close(): Promise<void>;
}

export const lineBytes = 32;
const textEncoder = new TextEncoder();

/** A 32-byte line (31 lower-case characters and \n) that differs each time, and the reply it must get. */
export function line(i: number): { request: Uint8Array; reply: string } {
  const text = `round trip ${i} of the bench`.padEnd(lineBytes - 1, '.').slice(0, lineBytes - 1);
  return { request: textEncoder.encode(`${text}\n`), reply: `${text.toUpperCase()}\n` };
}

/** Gathers received bytes and hands them out `n` at a time, stamped when the last byte needed arrived. */
class Replies {
  private parts: Uint8Array[] = [];
  private buffered = 0;
  private nodeMs: number | undefined;
  private waiter: { need: number; resolve(reply: { text: string; at: number; nodeMs?: number }): void } | undefined;

  push(data: Uint8Array, nodeMs?: number): void {
    this.parts.push(data);
    this.buffered += data.byteLength;
    if (nodeMs !== undefined) this.nodeMs = nodeMs;
    this.settle();
  }

  next(need: number, timeoutMs: number, what: string) {
    const reply = new Promise<{ text: string; at: number; nodeMs?: number }>((resolve) => {
      this.waiter = { need, resolve };
    });
    this.settle();
    return withTimeout(reply, timeoutMs, what);
  }

  private settle(): void {
    const waiter = this.waiter;
    if (!waiter || this.buffered < waiter.need) return;
    const at = performance.now();
    const all = Buffer.concat(this.parts);
    this.parts = all.byteLength > waiter.need ? [all.subarray(waiter.need)] : [];
    this.buffered -= waiter.need;
    const nodeMs = this.nodeMs;
    this.nodeMs = undefined;
    this.waiter = undefined;
    waiter.resolve({
      text: all.subarray(0, waiter.need).toString('utf8'),
      at,
      ...(nodeMs !== undefined && { nodeMs }),
    });
  }
}

function check(got: string, expected: string, path: string): void {
  if (got !== expected)
    throw new Error(`${path}: expected the reply ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
}

/** A plain net.Socket to the raw uppercase server: write a line, wait for its reply. */
export async function rawTcp(port: number, timeoutMs: number): Promise<RoundTripper> {
  const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    }),
    timeoutMs,
    `connecting to the raw TCP server on 127.0.0.1:${port}`,
  );
  const replies = new Replies();
  socket.on('data', (chunk: Buffer) => replies.push(chunk));
  return {
    async once(i) {
      const { request, reply } = line(i);
      const started = performance.now();
      const answer = replies.next(request.byteLength, timeoutMs, 'a raw TCP reply');
      socket.write(request);
      const got = await answer;
      check(got.text, reply, 'raw TCP');
      return { ms: got.at - started };
    },
    async close() {
      socket.destroy();
    },
  };
}

/** A plain dgram socket to the raw uppercase server: sendto, recvfrom. */
export async function rawUdp(port: number, timeoutMs: number): Promise<RoundTripper> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, () => resolve()));
  const replies = new Replies();
  socket.on('message', (message) => replies.push(message));
  return {
    async once(i) {
      const { request, reply } = line(i);
      const started = performance.now();
      const answer = replies.next(request.byteLength, timeoutMs, 'a raw UDP reply');
      socket.send(request, port, '127.0.0.1');
      const got = await answer;
      check(got.text, reply, 'raw UDP');
      return { ms: got.at - started };
    },
    async close() {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

/**
 * The whole app path for TCP: `tcp.send` through the client, the host's TCP client
 * session, the built-in server (lines mode, so one connection serves every round
 * trip), and back as a `tcp.data` event. The send asks for a reply deadline, as the
 * UI does, so the Node side also reports the socket-to-socket round trip.
 */
export async function appTcp(client: Client, timeoutMs: number): Promise<RoundTripper> {
  const options = { timeoutMs };
  const server = await client.call('tcpServer.start', { port: 0, mode: 'lines' }, options);
  const session = await client.call('tcp.connect', { host: '127.0.0.1', port: server.local.port, timeoutMs }, options);
  const replies = new Replies();
  const off = client.on('tcp.data', (event) => {
    if (event.sessionId !== session.sessionId) return;
    for (const chunk of event.chunks) replies.push(chunk.data, chunk.reply?.rttMs);
  });
  return {
    async once(i) {
      const { request, reply } = line(i);
      const started = performance.now();
      const answer = replies.next(request.byteLength, timeoutMs, 'the tcp.data event with the reply');
      answer.catch(() => {}); // a failed send below is the error to report, not this wait
      await client.call(
        'tcp.send',
        { sessionId: session.sessionId, data: request, replyTimeoutMs: timeoutMs },
        options,
      );
      const got = await answer;
      check(got.text, reply, 'app TCP');
      return { ms: got.at - started, nodeMs: got.nodeMs };
    },
    async close() {
      off();
      await client.call('tcp.close', { sessionId: session.sessionId }, options);
      await client.call('tcpServer.stop', { serverId: server.serverId }, options);
    },
  };
}

/** The whole app path for UDP: `udp.send` → host UDP session → built-in UDP server → `udp.datagrams` event. */
export async function appUdp(client: Client, timeoutMs: number): Promise<RoundTripper> {
  const options = { timeoutMs };
  const server = await client.call('udpServer.start', { port: 0 }, options);
  const session = await client.call('udp.open', { bindAddress: '127.0.0.1' }, options);
  const replies = new Replies();
  const off = client.on('udp.datagrams', (event) => {
    if (event.sessionId !== session.sessionId) return;
    for (const datagram of event.datagrams) replies.push(datagram.data, datagram.reply?.rttMs);
  });
  return {
    async once(i) {
      const { request, reply } = line(i);
      const started = performance.now();
      const answer = replies.next(request.byteLength, timeoutMs, 'the udp.datagrams event with the reply');
      answer.catch(() => {}); // a failed send below is the error to report, not this wait
      await client.call(
        'udp.send',
        {
          sessionId: session.sessionId,
          host: '127.0.0.1',
          port: server.local.port,
          data: request,
          replyTimeoutMs: timeoutMs,
        },
        options,
      );
      const got = await answer;
      check(got.text, reply, 'app UDP');
      return { ms: got.at - started, nodeMs: got.nodeMs };
    },
    async close() {
      off();
      await client.call('udp.close', { sessionId: session.sessionId }, options);
      await client.call('udpServer.stop', { serverId: server.serverId }, options);
    },
  };
}

export interface PairResult {
  raw: number[];
  app: number[];
  /** The app's own socket-to-socket round trips, as the Node side timed them. */
  appNode: number[];
}

/**
 * Runs raw and app alternately in blocks, so a burst of load from elsewhere on the
 * machine hits both alike. Stops after `iterations` each or when `budgetMs` is spent.
 */
export async function measurePair(
  raw: RoundTripper,
  app: RoundTripper,
  { warmup, iterations, block, budgetMs }: { warmup: number; iterations: number; block: number; budgetMs: number },
): Promise<PairResult> {
  for (let i = 0; i < warmup; i++) {
    await raw.once(i);
    await app.once(i);
  }
  const result: PairResult = { raw: [], app: [], appNode: [] };
  const started = performance.now();
  let i = 0;
  while (result.app.length < iterations && performance.now() - started < budgetMs) {
    const size = Math.min(block, iterations - result.app.length);
    for (let k = 0; k < size; k++) result.raw.push((await raw.once(i++)).ms);
    for (let k = 0; k < size; k++) {
      const trip = await app.once(i++);
      result.app.push(trip.ms);
      if (trip.nodeMs !== undefined) result.appNode.push(trip.nodeMs);
    }
  }
  return result;
}
