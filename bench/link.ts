import dgram from 'node:dgram';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { services } from '../electron/services';
import type { EmulatedLinkInput } from '../shared/net/link';
import { pingMessage } from '../shared/udp/client/ping';
import { connectInMemory } from './appClient';
import { ms, type Row, signedMs } from './table';
import { MiB, percentiles, withTimeout } from './timing';

/**
 * `BENCH_ONLY=link`: the emulated link's accuracy and cost (issue 16). Outside clients
 * (bare Node dgram and net sockets, as a student's program would be) against the app's
 * built-in servers with a link: the median RTT with 50 ms each way, a 1 MiB transfer at
 * 1 MiB/s, and the Ping mode's RTT with no delay beside a bare dgram ping.
 */

interface Context {
  rows: Row[];
  notes: string[];
  progress: (message: string) => void;
}

const roundTrips = 1000;
/** Clients at once, so 1,000 round trips of 100 ms take seconds, not minutes. */
const parallel = 20;
const fifty: EmulatedLinkInput = { delayMs: 50 };

export async function linkBench({ rows, notes, progress }: Context): Promise<void> {
  const app = connectInMemory(services);
  const call = app.client.call.bind(app.client);
  try {
    progress(`link: ${roundTrips} UDP round trips through 50 ms each way (${parallel} clients at once)`);
    const udpServer = await call('udpServer.start', { port: 0, link: fifty });
    const udp = await parallelRuns(() => udpRoundTrips(udpServer.local.port, roundTrips / parallel));
    await call('udpServer.stop', { serverId: udpServer.serverId });
    rows.push(accuracyRow('UDP', udp));

    progress(`link: ${roundTrips} TCP round trips through 50 ms each way (${parallel} connections at once)`);
    const tcpServer = await call('tcpServer.start', { port: 0, mode: 'lines', link: fifty });
    const tcp = await parallelRuns(() => tcpRoundTrips(tcpServer.local.port, roundTrips / parallel));
    await call('tcpServer.stop', { serverId: tcpServer.serverId });
    rows.push(accuracyRow('TCP', tcp));

    progress('link: 1 MiB echoed through 1 MiB/s');
    const echo = await call('tcpServer.start', {
      port: 0,
      mode: 'echo',
      link: { delayMs: 0, bandwidthBytesPerSecond: MiB },
    });
    const transferMs = await withTimeout(tcpTransfer(echo.local.port, MiB), 10_000, 'the 1 MiB transfer');
    await call('tcpServer.stop', { serverId: echo.serverId });
    rows.push({
      what: 'Emulated link 1 MiB/s: 1 MiB echoed by the TCP server, first write → last byte back',
      raw: '1000 ms (L/R)',
      app: `${transferMs.toFixed(0)} ms`,
      difference: `${(((transferMs - 1000) / 1000) * 100).toFixed(1)} %`,
      goal: '1 s ± 5 %',
      verdict: Math.abs(transferMs - 1000) <= 50 ? 'PASS' : 'MISS',
    });

    progress(`link: ${roundTrips} pings with no delay, Ping mode's RTT beside a bare dgram ping`);
    const bare = await bareEchoServer();
    const pinged = await call('udpServer.start', { port: 0, link: { delayMs: 0 } });
    const session = await call('udp.open', { bindAddress: '127.0.0.1' });
    const appPing = await pingThroughApp(app.client, session.sessionId, pinged.local.port);
    const rawPing = await udpRoundTrips(bare.port, roundTrips);
    bare.close();
    await call('udp.close', { sessionId: session.sessionId });
    await call('udpServer.stop', { serverId: pinged.serverId });
    const a = percentiles(appPing);
    const r = percentiles(rawPing);
    rows.push({
      what: `Ping mode, ${roundTrips} pings, no emulated delay (a 0 ms link): RTT p50`,
      raw: ms(r.p50),
      app: ms(a.p50),
      difference: signedMs(a.p50 - r.p50),
      goal: 'app ≤ raw + 0.5 ms',
      verdict: a.p50 - r.p50 <= 0.5 ? 'PASS' : 'MISS',
    });
    notes.push(
      `Emulated link: outside clients are bare Node sockets in this process; the app's servers run here too, behind the in-memory transport. Round trips with 50 ms each way: ${parallel} clients at once, ${roundTrips / parallel} sequential round trips each (UDP p99 ${ms(percentiles(udp).p99)}, TCP p99 ${ms(percentiles(tcp).p99)}). Ping mode's RTT is the Node side's own send → reply stamps (what its statistics show), against the built-in server with a 0 ms link; raw is a dgram client and a dgram uppercase server, sequential, in the same run.`,
    );
  } finally {
    app.close();
  }
}

function accuracyRow(protocol: 'UDP' | 'TCP', samples: number[]): Row {
  const { p50 } = percentiles(samples);
  return {
    what: `Emulated link 50 ms each way: ${protocol} round trip from an outside client, median of ${samples.length}`,
    raw: '100 ms (2 × 50)',
    app: ms(p50),
    difference: signedMs(p50 - 100),
    goal: 'within ±3 ms of 100 ms',
    verdict: Math.abs(p50 - 100) <= 3 ? 'PASS' : 'MISS',
  };
}

async function parallelRuns(run: () => Promise<number[]>): Promise<number[]> {
  const all = await withTimeout(Promise.all(Array.from({ length: parallel }, run)), 120_000, 'the link round trips');
  return all.flat();
}

async function udpRoundTrips(port: number, count: number): Promise<number[]> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const reply = new Promise<void>((resolve) => socket.once('message', () => resolve()));
      socket.send(`ping ${i}`, port, '127.0.0.1');
      await withTimeout(reply, 5000, 'a UDP reply');
      samples.push(performance.now() - started);
    }
  } finally {
    socket.close();
  }
  return samples;
}

async function tcpRoundTrips(port: number, count: number): Promise<number[]> {
  const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const reply = new Promise<void>((resolve) => socket.once('data', () => resolve()));
      socket.write(`line ${i}\n`);
      await withTimeout(reply, 5000, 'a TCP reply');
      samples.push(performance.now() - started);
    }
  } finally {
    socket.destroy();
  }
  return samples;
}

async function tcpTransfer(port: number, bytes: number): Promise<number> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let got = 0;
  const started = performance.now();
  const done = new Promise<number>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      got += chunk.byteLength;
      if (got >= bytes) resolve(performance.now() - started);
    });
  });
  socket.write(Buffer.alloc(bytes, 0x61));
  const elapsed = await done;
  socket.destroy();
  return elapsed;
}

async function bareEchoServer(): Promise<{ port: number; close: () => void }> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, client) => socket.send(message.toString().toUpperCase(), client.port, client.address));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, close: () => socket.close() };
}

/** What Ping mode does: `Ping <seq> <time>`, the reply's Node-side stamp minus the send's. */
async function pingThroughApp(
  client: ReturnType<typeof connectInMemory>['client'],
  sessionId: string,
  port: number,
): Promise<number[]> {
  const samples: number[] = [];
  let waiting: ((mono: number) => void) | undefined;
  const off = client.on('udp.datagrams', (event) => {
    if (event.sessionId !== sessionId) return;
    const first = event.datagrams[0];
    if (first && waiting) waiting(first.mono);
  });
  try {
    for (let seq = 1; seq <= roundTrips; seq++) {
      const received = new Promise<number>((resolve) => {
        waiting = resolve;
      });
      const sent = await client.call('udp.send', {
        sessionId,
        host: '127.0.0.1',
        port,
        data: new TextEncoder().encode(pingMessage(seq, Date.now())),
        replyTimeoutMs: 1000,
      });
      samples.push((await withTimeout(received, 5000, 'a ping reply')) - sent.mono);
    }
  } finally {
    off();
  }
  return samples;
}
