import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import dnsPacket from 'dns-packet';
import { dissectDns } from '../shared/dns/dissect';
import { sampleZone } from '../shared/dns/zone';
import type { AppClient } from './appClient';
import { answerParent, Child } from './rpc';
import type { Row } from './table';

/**
 * The built-in DNS server's throughput beside a bare one, and the dissector's robustness
 * and speed.
 *
 * Throughput: a UDP load generator (this process, one socket, a window of queries in
 * flight) asks `mail.example.lab A` as fast as the answers come back, first of a bare
 * `dgram` + `dns-packet` server in a process of its own (decode, one Map lookup, encode;
 * no log), then of the built-in server in the browser-mode host, whose log keeps every
 * query and reply with its bytes and sends them to the page over the WebSocket.
 *
 * Dissector: 100,000 random and mutated messages through `dissectDns` with no exception,
 * and the median time per real reply beside `dns-packet`'s decode of the same bytes.
 *
 * Run by bench/run.ts; started with the argument `baseline`, this file is the baseline's process.
 */

const queries = Number(process.env.BENCH_DNS_QUERIES ?? 20_000);
const window = 32;
const lostAfterMs = 1000;
const goalRatio = 0.5;
const fuzzMessages = Number(process.env.BENCH_DNS_FUZZ ?? 100_000);
const goalMedianUs = 50;
const question = { name: 'mail.example.lab', type: 'A' as const };

// ---- the baseline's process -------------------------------------------------------------------

function startBaseline(): void {
  const records = new Map<string, dnsPacket.Answer[]>([
    ['mail.example.lab A', [{ name: 'mail.example.lab', type: 'A', ttl: 3600, data: '127.0.0.1' }]],
  ]);
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, from) => {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const q = query.questions?.[0];
    const answers = q ? (records.get(`${q.name.toLowerCase()} ${q.type}`) ?? []) : [];
    const reply = dnsPacket.encode({
      id: query.id ?? 0,
      type: 'response',
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (answers.length === 0 ? 3 : 0),
      questions: query.questions ?? [],
      answers,
    });
    socket.send(reply, from.port, from.address);
  });
  socket.bind(0, '127.0.0.1', () => {
    answerParent(
      { close: () => new Promise<boolean>((resolve) => socket.close(() => resolve(true))) },
      { port: socket.address().port },
    );
  });
}

type BaselineApi = { close: () => Promise<boolean> };

if (process.argv[2] === 'baseline') startBaseline();

// ---- the load generator -------------------------------------------------------------------------

interface Load {
  answered: number;
  lost: number;
  ms: number;
}

/** Asks `total` queries of 127.0.0.1:`port`, `window` in flight; a query unanswered after 1 s counts as lost. */
async function load(port: number, total: number): Promise<Load> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const template = dnsPacket.encode({
    id: 0,
    type: 'query',
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [question],
  });
  const inFlight = new Map<number, number>();
  let sent = 0;
  let answered = 0;
  let lost = 0;
  let nextId = 0;
  const started = performance.now();
  return new Promise<Load>((resolve) => {
    const sendOne = () => {
      if (sent >= total) return;
      const id = nextId;
      nextId = (nextId + 1) & 0xffff;
      const query = Buffer.from(template);
      query.writeUInt16BE(id, 0);
      inFlight.set(id, performance.now());
      sent++;
      socket.send(query, port, '127.0.0.1');
    };
    const finishIfDone = () => {
      if (answered + lost < total) return false;
      clearInterval(sweeper);
      socket.close();
      resolve({ answered, lost, ms: performance.now() - started });
      return true;
    };
    socket.on('message', (reply) => {
      if (reply.length < 12 || !inFlight.delete(reply.readUInt16BE(0))) return;
      answered++;
      if (!finishIfDone()) sendOne();
    });
    const sweeper = setInterval(() => {
      const now = performance.now();
      for (const [id, at] of inFlight) {
        if (now - at < lostAfterMs) continue;
        inFlight.delete(id);
        lost++;
        if (finishIfDone()) return;
        sendOne();
      }
    }, 100);
    for (let i = 0; i < window; i++) sendOne();
  });
}

export async function dnsServerThroughput(
  app: AppClient,
  report: { rows: Row[]; notes: string[]; progress: (message: string) => void },
): Promise<void> {
  const { child: baseline, ready } = await Child.start<BaselineApi, { port: number }>('./dns.ts', ['baseline'], {
    timeoutMs: 20_000,
  });
  const { client } = app;
  const server = await client.call('dnsServer.start', { port: 0, zone: sampleZone }, { timeoutMs: 20_000 });
  let logged = 0;
  const off = client.on('dnsServer.log', (event) => {
    if (event.serverId === server.serverId) logged = event.counters.replies;
  });
  try {
    // A short warm-up of both, so neither pays for the JIT in the measurement.
    await load(ready.port, 1000);
    await load(server.local.port, 1000);
    report.progress(`DNS A queries: ${queries} to a bare dgram + dns-packet server, then to the built-in server`);
    const raw = await load(ready.port, queries);
    const loggedBefore = logged;
    const app = await load(server.local.port, queries);
    const deadline = performance.now() + 10_000;
    while (logged - loggedBefore < app.answered && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const rawRate = (raw.answered / raw.ms) * 1000;
    const appRate = (app.answered / app.ms) * 1000;
    const ratio = appRate / rawRate;
    report.rows.push({
      what: 'DNS A queries answered over UDP, loopback: throughput',
      raw: `${rawRate.toFixed(0)} q/s (bare dgram + dns-packet)`,
      app: `${appRate.toFixed(0)} q/s`,
      difference: `${ratio.toFixed(2)} × raw`,
      goal: `≥ ${goalRatio} × raw`,
      verdict: ratio >= goalRatio && app.lost === 0 ? 'PASS' : 'MISS',
    });
    report.notes.push(
      `DNS throughput: ${queries} queries for ${question.name} A, ${window} in flight from one UDP socket in the bench's process. Raw = a bare dgram + dns-packet server in its own process (decode, a Map lookup, encode; no log): ${raw.answered} answered, ${raw.lost} lost, in ${raw.ms.toFixed(0)} ms. App = the built-in DNS server (the zone's index, AA, every query and reply with its bytes in the log) in the browser-mode host: ${app.answered} answered, ${app.lost} lost, in ${app.ms.toFixed(0)} ms; the log's counters reached the page over ${app.answered > 0 ? 'the WebSocket' : '—'} (${logged - loggedBefore} replies counted).`,
    );
  } finally {
    off();
    await client.call('dnsServer.stop', { serverId: server.serverId }, { timeoutMs: 10_000 }).catch(() => {});
    await baseline.call('close', undefined, 5000).catch(() => {});
    await baseline.stop();
  }
}

// ---- the dissector ------------------------------------------------------------------------------

/** Real replies: dns-packet's (names in full) for each type it writes, and one compressed by hand. */
function realReplies(): Buffer[] {
  const base = { type: 'response' as const, id: 7, flags: dnsPacket.AUTHORITATIVE_ANSWER };
  const q = [{ type: 'A' as const, name: 'www.example.lab' }];
  const packets: dnsPacket.Packet[] = [
    {
      ...base,
      questions: q,
      answers: [
        { type: 'CNAME', name: 'www.example.lab', ttl: 3600, data: 'example.lab' },
        { type: 'A', name: 'example.lab', ttl: 3600, data: '127.0.0.1' },
      ],
    },
    { ...base, questions: q, answers: [{ type: 'AAAA', name: 'www.example.lab', ttl: 300, data: '2001:db8::1' }] },
    {
      ...base,
      questions: q,
      answers: [{ type: 'MX', name: 'example.lab', ttl: 300, data: { preference: 10, exchange: 'mail.example.lab' } }],
    },
    { ...base, questions: q, answers: [{ type: 'TXT', name: 'example.lab', ttl: 300, data: ['v=spf1 mx -all'] }] },
    {
      ...base,
      flags: 0,
      questions: q,
      authorities: [{ type: 'NS', name: 'lab', ttl: 86400, data: 'ns.lab' }],
      additionals: [{ type: 'A', name: 'ns.lab', ttl: 86400, data: '127.0.0.2' }],
    },
  ];
  const compressed = Buffer.from([
    0x12,
    0x34,
    0x81,
    0x80,
    0,
    1,
    0,
    2,
    0,
    1,
    0,
    0,
    3,
    0x77,
    0x77,
    0x77,
    7,
    ...Buffer.from('example'),
    3,
    ...Buffer.from('com'),
    0,
    0,
    1,
    0,
    1,
    0xc0,
    0x0c,
    0,
    5,
    0,
    1,
    0,
    0,
    1,
    0x2c,
    0,
    2,
    0xc0,
    0x10,
    0xc0,
    0x10,
    0,
    1,
    0,
    1,
    0,
    0,
    0,
    60,
    0,
    4,
    93,
    184,
    216,
    34,
    0xc0,
    0x10,
    0,
    2,
    0,
    1,
    0,
    1,
    0x51,
    0x80,
    0,
    6,
    3,
    0x6e,
    0x73,
    0x31,
    0xc0,
    0x10,
  ]);
  return [...packets.map((p) => dnsPacket.encode(p)), compressed];
}

/** A small deterministic PRNG (mulberry32), so every run sweeps the same messages. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One in four random bytes; otherwise a real reply with bytes changed, cut short or extended. */
function message(random: () => number, seeds: readonly Buffer[]): Uint8Array {
  const int = (below: number) => Math.floor(random() * below);
  if (random() < 0.25) return Uint8Array.from({ length: int(300) }, () => int(256));
  const seed = seeds[int(seeds.length)]!;
  const bytes = new Uint8Array([...seed, ...Array.from({ length: int(3) === 0 ? int(8) : 0 }, () => int(256))]);
  for (let flips = int(6); flips > 0; flips--) bytes[int(bytes.length)] = int(256);
  return random() < 0.3 ? bytes.subarray(0, int(bytes.length + 1)) : bytes;
}

/** Median µs per call of `fn` on each reply, timed in batches (one call is below the timer's grain). */
function medianMicros(replies: readonly Uint8Array[], fn: (bytes: Uint8Array) => unknown): number {
  const batch = 200;
  const samples: number[] = [];
  for (let round = 0; round < 100; round++) {
    for (const reply of replies) {
      const started = performance.now();
      for (let i = 0; i < batch; i++) fn(reply);
      samples.push(((performance.now() - started) * 1000) / batch);
    }
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export function dnsDissector(report: { rows: Row[]; notes: string[]; progress: (message: string) => void }): void {
  const seeds = realReplies();
  report.progress(`DNS dissector: ${fuzzMessages} random and mutated messages`);
  const random = seeded(15);
  let exceptions = 0;
  let firstException = '';
  let slowestMs = 0;
  let violated = 0;
  const started = performance.now();
  for (let i = 0; i < fuzzMessages; i++) {
    const bytes = message(random, seeds);
    const at = performance.now();
    try {
      if (dissectDns(bytes).violations.length > 0) violated++;
    } catch (error) {
      exceptions++;
      firstException ||= `${error instanceof Error ? error.message : String(error)} on ${Buffer.from(bytes).toString('hex')}`;
    }
    slowestMs = Math.max(slowestMs, performance.now() - at);
  }
  const sweepMs = performance.now() - started;
  report.rows.push({
    what: `DNS dissector: ${fuzzMessages.toLocaleString('en')} random and mutated messages`,
    raw: '—',
    app: `${exceptions} exceptions, slowest ${slowestMs.toFixed(2)} ms`,
    difference: `${violated.toLocaleString('en')} with violations reported`,
    goal: 'no exception, no hang',
    verdict: exceptions === 0 ? 'PASS' : 'MISS',
  });

  const real = seeds.map((seed) => new Uint8Array(seed));
  const ours = medianMicros(real, (bytes) => dissectDns(bytes));
  const theirs = medianMicros(real, (bytes) =>
    dnsPacket.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)),
  );
  report.rows.push({
    what: 'DNS dissector: time per real reply (every field with its offset), median',
    raw: `${theirs.toFixed(1)} µs (dns-packet decode)`,
    app: `${ours.toFixed(1)} µs`,
    difference: `${(ours / theirs).toFixed(1)} × dns-packet`,
    goal: `≤ ${goalMedianUs} µs`,
    verdict: ours <= goalMedianUs ? 'PASS' : 'MISS',
  });
  report.notes.push(
    `DNS dissector: ${fuzzMessages} messages in ${sweepMs.toFixed(0)} ms (seeded, the same every run): a quarter random bytes up to 300, the rest one of ${seeds.length} real replies (5 by dns-packet, 1 compressed by hand) with up to 5 bytes changed, 30 % cut short, some with bytes added${firstException ? `; first exception: ${firstException}` : ''}. Time per reply: the median of 100 rounds × ${seeds.length} replies, each round 200 calls (dissectDns builds every field with its offset and meaning; dns-packet only decodes).`,
  );
}
