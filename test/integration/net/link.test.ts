// The emulated link on the built-in UDP and TCP servers, measured from outside the app
// with bare Node sockets on loopback: the delay, the seeded loss, the bandwidth.
import dgram from 'node:dgram';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatedLinkInput } from '../../../shared/net/link';
import { type App, startApp } from '../../support/appClient';
import { decode } from '../../support/bytes';
import { sleep, until } from '../../support/waits';

let app: App;
const cleanups: Array<() => void> = [];

beforeEach(() => {
  app = startApp();
});

afterEach(() => {
  app.close();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function bareUdp(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => socket.close());
  return socket;
}

/** One datagram out, the first reply back (or null after `timeoutMs`), timed. */
function udpRoundTrip(socket: dgram.Socket, port: number, text: string, timeoutMs = 1000) {
  return new Promise<{ reply: string | null; rttMs: number }>((resolve) => {
    const start = performance.now();
    const done = (reply: string | null) => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve({ reply, rttMs: performance.now() - start });
    };
    const onMessage = (message: Buffer) => done(message.toString('utf8'));
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('message', onMessage);
    socket.send(text, port, '127.0.0.1');
  });
}

async function tcpConnect(port: number): Promise<net.Socket> {
  const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
  cleanups.push(() => socket.destroy());
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return socket;
}

/** Writes `data` and resolves once `expected` bytes have come back, with how long it took. */
function tcpExchange(socket: net.Socket, data: string | Buffer, expected: number) {
  return new Promise<{ reply: Buffer; ms: number }>((resolve) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const start = performance.now();
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.byteLength;
      if (got >= expected) {
        socket.off('data', onData);
        resolve({ reply: Buffer.concat(chunks), ms: performance.now() - start });
      }
    };
    socket.on('data', onData);
    socket.write(data);
  });
}

const fifty: EmulatedLinkInput = { delayMs: 50 };

describe('the emulated link on the built-in UDP server', () => {
  it('delays each datagram 50 ms each way: an outside client measures about 100 ms, and the log says so', async () => {
    const server = await app.client.call('udpServer.start', { port: 0, link: fifty });
    const socket = await bareUdp();
    const rtts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { reply, rttMs } = await udpRoundTrip(socket, server.local.port, `ping ${i}`);
      expect(reply).toBe(`PING ${i}`);
      rtts.push(rttMs);
    }
    // Never shorter than the two delays (less a timer's 1 ms rounding each way); how close to
    // 100 ms it stays is the bench's to measure (BENCH_ONLY=link), not a loaded test run's.
    for (const rtt of rtts) {
      expect(rtt).toBeGreaterThanOrEqual(98);
      expect(rtt).toBeLessThan(400);
    }
    await app.waitFor('udpServer.log', (e) => e.counters.datagramsReplied === 5);
    const entries = app.events['udpServer.log'].flatMap((e) => e.entries);
    expect(entries[1]).toMatchObject({ kind: 'link', changed: false, link: { delayMs: 50, lossPercent: 0 } });
    const received = entries.find((e) => e.kind === 'received');
    const replied = entries.find((e) => e.kind === 'replied');
    expect(received?.kind === 'received' && received.linkDelayMs).toBeGreaterThanOrEqual(49);
    expect(replied?.kind === 'replied' && replied.linkDelayMs).toBeGreaterThanOrEqual(49);
  });

  it('drops a seeded 30 % of datagrams: the loss is within a binomial bound and the same for the same seed', async () => {
    const sent = 400;
    const runs: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const server = await app.client.call('udpServer.start', {
        port: 0,
        link: { delayMs: 0, lossPercent: 30, seed: 42 },
      });
      const socket = await bareUdp();
      const answered = new Set<number>();
      socket.on('message', (message) => answered.add(Number(message.toString().split(' ')[1])));
      for (let i = 0; i < sent; i++) {
        socket.send(`Ping ${i}`, server.local.port, '127.0.0.1');
        // Paced, so the receiving socket's buffer never overflows: only the link drops.
        if (i % 20 === 19) await sleep(2);
      }
      const log = await app.waitFor(
        'udpServer.log',
        (e) => e.serverId === server.serverId && e.counters.datagramsDropped + e.counters.datagramsReplied === sent,
        5000,
      );
      await until(() => answered.size === log.counters.datagramsReplied, 'the replies');
      runs.push([...answered].sort((a, b) => a - b));
      const dropped = log.counters.datagramsDropped;
      // n = 400, p = 0.3: mean 120, σ ≈ 9.2; four σ either side.
      expect(dropped).toBeGreaterThan(120 - 4 * 9.2);
      expect(dropped).toBeLessThan(120 + 4 * 9.2);
      await app.client.call('udpServer.stop', { serverId: server.serverId });
    }
    // Datagrams on loopback arrive in order, so the same seed drops the same ones.
    expect(runs[1]).toEqual(runs[0]);
    const droppedEntry = app.events['udpServer.log'].flatMap((e) => e.entries).find((e) => e.kind === 'dropped');
    expect(droppedEntry?.kind === 'dropped' && decode(droppedEntry.data)).toMatch(/^Ping \d+$/);
  });

  it('changes the link of a running server for new traffic, and logs the change', async () => {
    const server = await app.client.call('udpServer.start', { port: 0 });
    const socket = await bareUdp();
    const before = await udpRoundTrip(socket, server.local.port, 'a');
    expect(before.rttMs).toBeLessThan(40);
    const changed = await app.client.call('udpServer.setLink', { serverId: server.serverId, link: { delayMs: 40 } });
    expect(changed.link).toMatchObject({ delayMs: 40 });
    const after = await udpRoundTrip(socket, server.local.port, 'b');
    expect(after.rttMs).toBeGreaterThanOrEqual(79);
    await app.client.call('udpServer.setLink', { serverId: server.serverId, link: null });
    const off = await udpRoundTrip(socket, server.local.port, 'c');
    expect(off.rttMs).toBeLessThan(40);
    await until(
      () => app.events['udpServer.log'].flatMap((e) => e.entries).filter((e) => e.kind === 'link').length === 2,
      'two link entries',
    );
    const links = app.events['udpServer.log'].flatMap((e) => e.entries).filter((e) => e.kind === 'link');
    expect(links).toMatchObject([
      { changed: true, link: { delayMs: 40 } },
      { changed: true, link: null },
    ]);
  });

  it('refuses a link out of range with a message naming the field', async () => {
    const cases: Array<[EmulatedLinkInput, string, RegExp]> = [
      [{ delayMs: -1 }, 'payload.link.delayMs', /cannot be negative/],
      [{ delayMs: 0, lossPercent: 101 }, 'payload.link.lossPercent', /at most 100 %/],
      [{ delayMs: 0, bandwidthBytesPerSecond: 0 }, 'payload.link.bandwidthBytesPerSecond', /more than 0/],
      [{ delayMs: 0, jitterMs: -5 }, 'payload.link.jitterMs', /cannot be negative/],
    ];
    for (const [link, field, message] of cases) {
      const error = await app.failure(app.client.call('udpServer.start', { port: 0, link }));
      expect(error).toMatchObject({ code: 'E_BAD_REQUEST', field });
      expect(error.message).toMatch(message);
    }
  });
});

describe('the emulated link on the built-in TCP server', () => {
  it('delays reads and writes: a Node socket outside the app sees about 100 ms per line', async () => {
    const server = await app.client.call('tcpServer.start', { port: 0, mode: 'lines', link: fifty });
    const socket = await tcpConnect(server.local.port);
    for (let i = 0; i < 3; i++) {
      const { reply, ms } = await tcpExchange(socket, `line ${i}\n`, 7);
      expect(reply.toString()).toBe(`LINE ${i}\n`);
      // At least the two delays (less timer rounding); closeness to 100 ms is the bench's to measure.
      expect(ms).toBeGreaterThanOrEqual(98);
      expect(ms).toBeLessThan(400);
    }
    await app.waitFor('tcpServer.log', (e) => e.counters.bytesReplied === 21);
    const entries = app.events['tcpServer.log'].flatMap((e) => e.entries);
    const received = entries.find((e) => e.kind === 'received');
    const replied = entries.find((e) => e.kind === 'replied');
    expect(received?.kind === 'received' && received.linkDelayMs).toBeGreaterThanOrEqual(49);
    expect(replied?.kind === 'replied' && replied.linkDelayMs).toBeGreaterThanOrEqual(49);
  });

  it('classic mode still replies once and closes, after the link delay', async () => {
    const server = await app.client.call('tcpServer.start', { port: 0, link: { delayMs: 30 } });
    const socket = await tcpConnect(server.local.port);
    const closed = new Promise<void>((resolve) => socket.once('end', () => resolve()));
    const { reply, ms } = await tcpExchange(socket, 'hello', 5);
    expect(reply.toString()).toBe('HELLO');
    expect(ms).toBeGreaterThanOrEqual(59);
    await closed;
  });

  it('limits the bandwidth: 64 KiB echoed at 128 KiB/s takes about 0.5 s each way, pipelined', async () => {
    const bytes = 64 * 1024;
    const server = await app.client.call('tcpServer.start', {
      port: 0,
      mode: 'echo',
      link: { delayMs: 0, bandwidthBytesPerSecond: 128 * 1024 },
    });
    const socket = await tcpConnect(server.local.port);
    const { reply, ms } = await tcpExchange(socket, Buffer.alloc(bytes, 0x61), bytes);
    expect(reply.byteLength).toBe(bytes);
    // In: 0.5 s at 128 KiB/s; out follows piece by piece, one 4 KiB piece (31 ms) behind.
    expect(ms).toBeGreaterThanOrEqual(0.5 * 1000 * 0.95);
    expect(ms).toBeLessThan(650);
  });
});
