import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { appService } from '../electron/app/service';
import type { Service } from '../electron/service';
import { services as defaultServices } from '../electron/services';
import { createTcpClientService } from '../electron/tcp/client/service';
import { createTcpServerService } from '../electron/tcp/server/service';
import { createUdpClientService } from '../electron/udp/client/service';
import { createUdpServerService } from '../electron/udp/server/service';
import { defaultKeepBytes } from '../shared/net/contract';
import { type AppClient, connectInMemory, connectOverWebSocket } from './appClient';
import { httpReceiveBench } from './http';
import type { HostApi, HostReady } from './host';
import type { PeerApi, PeerReady } from './peer';
import {
  appTcp,
  appUdp,
  lineBytes,
  measurePair,
  type PairResult,
  type RoundTripper,
  rawTcp,
  rawUdp,
} from './roundTrip';
import { httpViewer } from './httpViewer';
import { conversationBench } from './conversation';
import { linkBench } from './link';
import { Child, errorText } from './rpc';
import { dnsDissector, dnsServerThroughput } from './dns';
import { sequenceBench } from './sequence';
import { smtpThroughput } from './smtp';
import { type AppStreamResult, appStream, rawStream, type StreamResult } from './stream';
import { transcriptFlood } from './transcriptFlood';
import { formatTable, mib, ms, type Row, rate, signedMs } from './table';
import { MiB, percentiles, withTimeout } from './timing';

/**
 * `npm run bench`: the app path beside a raw Node baseline, measured in one run.
 * Processes: this one (the client, as the page would be, plus the raw clients),
 * bench/host.ts (the browser-mode host: the Node side alone, so its memory is its
 * own) and bench/peer.ts (raw uppercase servers and the stream sender).
 * A MISS is a measurement, not a failure: the exit code is non-zero only on errors.
 */

function envNumber(name: string, fallback: number, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`);
  }
  return value;
}

/** The parts of the bench, in the order they run; BENCH_ONLY picks some by these names (any case). */
const parts = [
  'roundtrip',
  'stream',
  'smtp',
  'dns',
  'dnsDissector',
  'http',
  'httpViewer',
  'transcript',
  'conversation',
  'link',
  'sequence',
] as const;
type Part = (typeof parts)[number];

function onlyParts(raw: string | undefined): ReadonlySet<Part> | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const picked = new Set<Part>();
  for (const name of raw.split(',').map((word) => word.trim().toLowerCase())) {
    const part = parts.find((candidate) => candidate.toLowerCase() === name);
    if (!part)
      throw new Error(`BENCH_ONLY names parts of the bench (${parts.join(', ')}), not ${JSON.stringify(name)}`);
    picked.add(part);
  }
  return picked;
}

const config = {
  iterations: envNumber('BENCH_ITERATIONS', 2000, { max: 100_000 }),
  warmup: envNumber('BENCH_WARMUP', 500, { min: 0, max: 10_000 }),
  /** Raw and app alternate in blocks of this many round trips. */
  block: 100,
  /** Each round-trip measurement stops early when this is spent, and says so. */
  budgetMs: envNumber('BENCH_BUDGET_S', 60, { max: 600 }) * 1000,
  streamMiB: envNumber('BENCH_STREAM_MIB', 1024, { max: 1024 }),
  streamRuns: envNumber('BENCH_STREAM_RUNS', 2, { max: 5 }),
  /** Diagnostics: a keep cap other than the default for the stream's TCP session. */
  keepMiB: process.env.BENCH_KEEP_MIB ? envNumber('BENCH_KEEP_MIB', 64, { min: 0, max: 1024 }) : undefined,
  /** Diagnostics: a coalescing interval other than the app's (host and in-memory services alike). */
  coalesceMs: process.env.BENCH_COALESCE_MS ? envNumber('BENCH_COALESCE_MS', 25, { min: 0, max: 1000 }) : undefined,
  roundTripTimeoutMs: 5000,
  /** Diagnostics: write a V8 CPU profile of each child here (profile this process with node --cpu-prof). */
  profileDir: process.env.BENCH_PROFILE_DIR || undefined,
  /** Rounds of the HTTP client bench (curl, the app in each mode, bare Node sockets); medians are compared. */
  httpRuns: envNumber('BENCH_HTTP_RUNS', 5, { max: 50 }),
  /** Diagnostics: run only these parts (BENCH_ONLY=http, or a list: BENCH_ONLY=smtp,httpViewer). */
  only: onlyParts(process.env.BENCH_ONLY),
};
const profileFlags = config.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${config.profileDir}`] : [];
const streamBytes = config.streamMiB * MiB;
const streamTimeoutMs = Math.max(60_000, config.streamMiB * 300);
/** Nothing the bench does may outlast this, whatever hangs. */
const wholeRunMs = 45 * 60_000;

const progress = (message: string) => console.error(`bench: ${message}`);
const rows: Row[] = [];
const notes: string[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

async function main(): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  const wants = (part: Part) => config.only === undefined || config.only.has(part);
  if (wants('roundtrip') || wants('stream') || wants('smtp') || wants('dns')) await throughHost(wants);
  if (wants('dnsDissector')) dnsDissector({ rows, notes, progress });
  if (wants('http')) {
    const http = await httpReceiveBench({ bodyBytes: 100_000_000, runs: config.httpRuns, progress });
    rows.push(...http.rows);
    notes.push(...http.notes);
  }
  if (wants('httpViewer')) await httpViewer({ rows, notes, progress });
  if (wants('transcript')) await transcriptFlood({ rows, notes, progress });
  if (wants('sequence')) await sequenceBench({ rows, notes, progress });
  if (wants('conversation')) {
    const conversation = await conversationBench({ runs: 5, steps: 1000, progress });
    rows.push(...conversation.rows);
    notes.push(...conversation.notes);
  }
  if (wants('link')) await linkBench({ rows, notes, progress });

  const loadAfter = loadavg()[0] ?? 0;
  notes.unshift(
    `Node ${process.version}, ${availableParallelism()} cores shared with other work; 1-min load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after. Loopback only (127.0.0.1).`,
    config.coalesceMs !== undefined || config.keepMiB !== undefined
      ? `DIAGNOSTIC RUN: ${config.coalesceMs !== undefined ? `coalescing interval ${config.coalesceMs} ms (the app ships 25 ms) ` : ''}${config.keepMiB !== undefined ? `keep cap ${config.keepMiB} MiB for the stream (the app ships 64 MiB)` : ''}.`
      : 'The app as shipped: default services (coalescing interval 25 ms, keep cap 64 MiB per session).',
  );
}

/** The parts that go through the browser-mode host (and the peer's raw servers, for round trips and the stream). */
async function throughHost(wants: (part: Part) => boolean): Promise<void> {
  const peerReady = wants('roundtrip') || wants('stream') ? await startPeer() : undefined;
  progress('starting the browser-mode host');
  const hostEnv = config.coalesceMs !== undefined ? { BENCH_COALESCE_MS: String(config.coalesceMs) } : {};
  const { child: host, ready: hostReady } = await Child.start<HostApi, HostReady>(
    './host.ts',
    [],
    // A GC before each run lets the memory figures start from what the host really holds.
    { env: hostEnv, nodeFlags: ['--expose-gc', ...profileFlags], timeoutMs: 20_000 },
  );
  cleanups.push(async () => {
    await host.call('close', undefined, 5000).catch(() => {});
    await host.stop();
  });

  const overWebSocket = await connectOverWebSocket(hostReady, 10_000);
  cleanups.push(async () => overWebSocket.close());

  if (peerReady && wants('roundtrip')) {
    const tcp = () => rawTcp(peerReady.tcpPort, config.roundTripTimeoutMs);
    const udp = () => rawUdp(peerReady.udpPort, config.roundTripTimeoutMs);
    await roundTrips('TCP', overWebSocket, tcp, appTcp);
    await roundTrips('UDP', overWebSocket, udp, appUdp);
    const inMemory = connectInMemory(inProcessServices());
    cleanups.push(async () => inMemory.close());
    await roundTrips('TCP', inMemory, tcp, appTcp);
    await roundTrips('UDP', inMemory, udp, appUdp);
  }
  if (peerReady && wants('stream'))
    await streams(overWebSocket, host, { port: peerReady.streamPort, bytes: streamBytes });
  if (wants('smtp')) await smtpThroughput(overWebSocket, { rows, notes, progress });
  if (wants('dns')) await dnsServerThroughput(overWebSocket, { rows, notes, progress });
}

async function startPeer(): Promise<PeerReady> {
  progress('starting the peer (raw servers, stream sender)');
  const { child: peer, ready } = await Child.start<PeerApi, PeerReady>('./peer.ts', [String(streamBytes)], {
    timeoutMs: 20_000,
  });
  cleanups.push(async () => {
    await peer.call('close', undefined, 5000).catch(() => {});
    await peer.stop();
  });
  return ready;
}

function inProcessServices(): readonly Service[] {
  if (config.coalesceMs === undefined) return defaultServices;
  const options = { coalescing: { intervalMs: config.coalesceMs } };
  return [
    appService,
    createUdpClientService(options),
    createUdpServerService(options),
    createTcpClientService(options),
    createTcpServerService(options),
  ];
}

async function roundTrips(
  protocol: 'TCP' | 'UDP',
  app: AppClient,
  openRaw: () => Promise<RoundTripper>,
  openApp: (client: AppClient['client'], timeoutMs: number) => Promise<RoundTripper>,
): Promise<void> {
  const label = `${protocol} round trip, ${lineBytes}-byte line, ${app.transport}`;
  progress(`${label}: ${config.warmup} warm-up + up to ${config.iterations} each, raw and app alternating`);
  const raw = await openRaw();
  const through = await openApp(app.client, config.roundTripTimeoutMs);
  let result: PairResult;
  try {
    result = await withTimeout(
      Promise.race([measurePair(raw, through, config), app.lost]),
      config.budgetMs + (config.warmup + config.block * 2) * config.roundTripTimeoutMs,
      label,
    );
  } finally {
    await raw.close();
    await through.close();
  }
  const r = percentiles(result.raw);
  const a = percentiles(result.app);
  const p50Diff = a.p50 - r.p50;
  rows.push(
    {
      what: `${label}: p50`,
      raw: ms(r.p50),
      app: ms(a.p50),
      difference: signedMs(p50Diff),
      goal: 'app ≤ raw + 0.5 ms',
      verdict: p50Diff <= 0.5 ? 'PASS' : 'MISS',
    },
    {
      what: `${label}: p99`,
      raw: ms(r.p99),
      app: ms(a.p99),
      difference: signedMs(a.p99 - r.p99),
      goal: '(reported)',
      verdict: '—',
    },
  );
  const short = a.n < config.iterations ? ` (stopped early: the ${config.budgetMs / 1000} s budget ran out)` : '';
  let note = `${label}: n = ${r.n} raw, ${a.n} app${short}.`;
  if (result.appNode.length > 0) {
    const node = percentiles(result.appNode);
    note += ` The Node side's own socket-to-socket round trip (send → reply, inside the host): p50 ${ms(node.p50)}, p99 ${ms(node.p99)}; the rest of the app's p50 (${ms(a.p50 - node.p50)}) is client → transport → host and the event back.`;
  }
  const call = percentiles(await withTimeout(callRoundTrips(app), config.budgetMs, `app.ping over ${app.transport}`));
  note += ` One bare call over the same transport (app.ping with ${lineBytes} bytes, no socket): p50 ${ms(call.p50)}.`;
  notes.push(note);
}

/** The transport's own share: a call that touches no socket. */
async function callRoundTrips(app: AppClient): Promise<number[]> {
  const data = new Uint8Array(lineBytes);
  const samples: number[] = [];
  for (let i = 0; i < config.warmup + config.iterations; i++) {
    const started = performance.now();
    await app.client.call('app.ping', { data }, { timeoutMs: config.roundTripTimeoutMs });
    if (i >= config.warmup) samples.push(performance.now() - started);
  }
  return samples;
}

async function streams(app: AppClient, host: Child<HostApi>, stream: { port: number; bytes: number }): Promise<void> {
  const keepBytes = config.keepMiB !== undefined ? config.keepMiB * MiB : undefined;
  const raws: StreamResult[] = [];
  const apps: AppStreamResult[] = [];
  for (let run = 1; run <= config.streamRuns; run++) {
    progress(`TCP stream of ${mib(stream.bytes)}, run ${run} of ${config.streamRuns}: raw Node socket`);
    raws.push(await rawStream(host, stream, streamTimeoutMs));
    progress(`TCP stream of ${mib(stream.bytes)}, run ${run} of ${config.streamRuns}: app (${app.transport})`);
    apps.push(await appStream(app, host, stream, { timeoutMs: streamTimeoutMs, keepBytes }));
  }
  // The fastest run of each is the one least disturbed by whatever else the machine was doing.
  const raw = fastest(raws);
  const best = fastest(apps);
  const ratio = raw.ms / best.ms;
  const cap = best.keepLimit;
  const label = `TCP stream of ${mib(stream.bytes)} → ${app.transport}`;
  rows.push({
    what: `${label}: throughput`,
    raw: rate(raw.bytes, raw.ms),
    app: rate(best.bytes, best.ms),
    difference: `${ratio.toFixed(2)} × raw`,
    goal: '≥ 0.5 × raw',
    verdict: ratio >= 0.5 ? 'PASS' : 'MISS',
  });
  const growth = (results: StreamResult[], key: 'rss' | 'heapUsed' | 'arrayBuffers') =>
    Math.max(...results.map((result) => result.memory.peak[key] - result.memory.before[key]));
  const rssBound = 2 * cap;
  const rawRss = growth(raws, 'rss');
  const appRss = growth(apps, 'rss');
  rows.push({
    what: `${label}: Node side peak RSS growth`,
    raw: mib(rawRss),
    app: mib(appRss),
    difference: `${signedMib(appRss - rawRss)}; stream/cap ${(stream.bytes / Math.max(cap, 1)).toFixed(0)}×`,
    goal: `≤ 2 × cap (${mib(rssBound)})`,
    verdict: appRss <= rssBound ? 'PASS' : 'MISS',
  });
  for (const key of ['heapUsed', 'arrayBuffers'] as const) {
    const r = growth(raws, key);
    const a = growth(apps, key);
    rows.push({
      what: `${label}: Node side peak ${key} growth`,
      raw: mib(r),
      app: mib(a),
      difference: signedMib(a - r),
      goal: '(reported)',
      verdict: '—',
    });
  }
  const peakRss = Math.max(...apps.map((result) => result.memory.peak.rss));
  notes.push(
    `${label}: ${config.streamRuns} runs each, raw and app alternating, fastest of each shown (raw ${raws.map((r) => rate(r.bytes, r.ms)).join(', ')}; app ${apps.map((r) => rate(r.bytes, r.ms)).join(', ')}). Raw = a plain net.Socket reading in the host process; app = tcp.connect in the host, coalesced tcp.data events over the WebSocket to this client, timed until tcp.peerEnded arrives here.`,
    `Keep cap ${mib(cap)}${keepBytes === undefined ? ` (the default, ${mib(defaultKeepBytes)})` : ' (set by BENCH_KEEP_MIB)'}: the first ${mib(best.deliveredBytes)} reached the client as data in ${best.events} tcp.data events; the other ${mib(best.droppedBytes)} were counted on the Node side only ("truncated" marker). Memory is the host process alone (sampled every 5 ms; growth over its level just before the run, after a GC); its absolute peak RSS was ${mib(peakRss)}.`,
  );
}

function fastest<T extends StreamResult>(results: T[]): T {
  const [first, ...rest] = results;
  if (!first) throw new Error('no stream runs');
  return rest.reduce((best, result) => (result.ms < best.ms ? result : best), first);
}

function signedMib(bytes: number): string {
  return `${bytes >= 0 ? '+' : '−'}${mib(Math.abs(bytes))}`;
}

function print(): void {
  console.log(formatTable(rows));
  console.log('');
  for (const note of notes) console.log(`- ${note}`);
}

let exitCode = 0;
const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${wholeRunMs / 60_000} min; giving up`);
  process.exit(2);
}, wholeRunMs);
watchdog.unref();
try {
  await main();
} catch (error) {
  exitCode = 1;
  console.error(`bench: FAILED: ${error instanceof Error && error.stack ? error.stack : errorText(error)}`);
} finally {
  for (const cleanup of cleanups.reverse()) {
    await withTimeout(cleanup(), 10_000, 'cleaning up').catch((error: unknown) => {
      exitCode = 1;
      console.error(`bench: ${errorText(error)}`);
    });
  }
}
if (rows.length > 0) print();
process.exitCode = exitCode;
clearTimeout(watchdog);
