import { spawn } from 'node:child_process';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { services } from '../electron/services';
import { type AppClient, connectInMemory } from './appClient';
import { Child } from './rpc';
import { formatTable, mib, ms, type Row } from './table';
import { MiB, withTimeout } from './timing';

/**
 * The HTTP client's half of the HTTP benchmark: one large response over loopback from
 * a Node `http` server in its own process (bench/httpPeer.ts), received and parsed by
 * the app (http.send through the real services behind the in-memory port, timed from
 * the call until http.exchangeEnd reaches the client) against `curl -s -o /dev/null`
 * for the same URL (curl's own time_total: connect to last byte, process start-up
 * excluded). Peak memory: this process's RSS growth during the app's runs (the body is
 * kept on the Node side up to the cap: 64 MiB by default), and curl's peak RSS.
 * Runs alternate; the fastest of each is compared.
 */

export interface HttpBenchResult {
  rows: Row[];
  notes: string[];
}

const goalRatio = 1.5;

interface CurlRun {
  ms: number;
  wallMs: number;
  bytes: number;
  peakRssBytes: number | undefined;
}

function curl(url: string, timeoutMs: number): Promise<CurlRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/curl', ['-s', '-o', '/dev/null', '-w', '%{time_total} %{size_download}', url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let peak: number | undefined;
    // VmHWM is the process's peak resident set; read it while curl runs (it is gone after).
    const poll = setInterval(() => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peak = Math.max(peak ?? 0, Number(match[1]) * 1024);
      } catch {
        // Not on Linux, or curl already left.
      }
    }, 5);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', (error) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const [seconds, size] = out.trim().split(' ').map(Number);
      if (code !== 0 || seconds === undefined || size === undefined) {
        reject(new Error(`curl ${url} failed (exit ${code}): ${err || out}`));
        return;
      }
      resolve({ ms: seconds * 1000, wallMs, bytes: size, peakRssBytes: peak });
    });
  });
}

/**
 * Peak RSS growth over a run, sampled with the cheap rss() every 5 ms (the full
 * memoryUsage() walks the heap, and would cost the run being measured).
 */
class RssSampler {
  private readonly before = process.memoryUsage.rss();
  private peak = this.before;
  private readonly timer = setInterval(() => this.sample(), 5);

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }

  growth(): number {
    this.sample();
    return this.peak - this.before;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * Node's own floor: a bare net.Socket in this process reading the same response, no
 * parsing, keeping the first `keepBytes` of what arrives (as received, like the app).
 */
function rawNode(port: number, timeoutMs: number, keepBytes = 0): Promise<number> {
  return withTimeout(
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const socket = net.connect({ host: '127.0.0.1', port }, () =>
        socket.write('GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
      );
      const kept: Buffer[] = [];
      let received = 0;
      socket.on('data', (chunk: Buffer) => {
        if (received < keepBytes) kept.push(chunk);
        received += chunk.length;
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(performance.now() - started));
    }),
    timeoutMs,
    'a raw Node socket reading the response',
  );
}

interface AppRun {
  ms: number;
  nodeTotalMs: number;
  receivedBytes: number;
  keptBytes: number;
  progressEvents: number;
  rssGrowth: number;
}

async function appRun(app: AppClient, port: number, maxBodyBytes: number | undefined, timeoutMs: number) {
  const { client } = app;
  const sampler = new RssSampler();
  let exchangeId: string | undefined;
  let progressEvents = 0;
  const offProgress = client.on('http.progress', (e) => {
    if (e.exchangeId === exchangeId) progressEvents++;
  });
  let onEnd: (payload: { exchangeId: string }) => void = () => {};
  const endSeen = new Promise<{ exchangeId: string; body: { receivedBytes: number; keptBytes: number } }>(
    (resolve) => (onEnd = resolve as typeof onEnd),
  );
  const ends = new Map<string, unknown>();
  const offEnd = client.on('http.exchangeEnd', (e) => {
    ends.set(e.exchangeId, e);
    if (e.exchangeId === exchangeId) onEnd(e);
  });
  try {
    const started = performance.now();
    const sent = await client.call('http.send', {
      target: { host: '127.0.0.1', port },
      raw: new TextEncoder().encode('GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
      connection: 'new',
      responseTimeoutMs: 30_000,
      ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}),
    });
    exchangeId = sent.exchanges[0]?.exchangeId;
    const early = exchangeId ? ends.get(exchangeId) : undefined;
    if (early) onEnd(early as { exchangeId: string });
    const end = (await withTimeout(endSeen, timeoutMs, 'the app receiving the response')) as unknown as {
      outcome: string;
      body: { receivedBytes: number; keptBytes: number };
      timings: { totalMs?: number };
      error?: { message: string };
    };
    const elapsed = performance.now() - started;
    if (end.outcome !== 'complete') throw new Error(`the app's exchange ended ${end.outcome}: ${end.error?.message}`);
    const result: AppRun = {
      ms: elapsed,
      nodeTotalMs: end.timings.totalMs ?? Number.NaN,
      receivedBytes: end.body.receivedBytes,
      keptBytes: end.body.keptBytes,
      progressEvents,
      rssGrowth: sampler.growth(),
    };
    await client.call('http.forget', { exchangeId: exchangeId as string });
    return result;
  } finally {
    sampler.stop();
    offProgress();
    offEnd();
  }
}

export async function httpReceiveBench(options: {
  bodyBytes: number;
  runs: number;
  progress: (message: string) => void;
}): Promise<HttpBenchResult> {
  const { bodyBytes, runs, progress } = options;
  const timeoutMs = Math.ceil(Math.max(60_000, (bodyBytes / MiB) * 1000));
  const { child: peer, ready } = await Child.start<{ close: () => Promise<void> }, { port: number }>(
    './httpPeer.ts',
    [String(bodyBytes)],
    { timeoutMs: 20_000 },
  );
  const app = connectInMemory(services);
  const url = `http://127.0.0.1:${ready.port}/big`;
  const curls: CurlRun[] = [];
  const apps: AppRun[] = [];
  const parseOnly: AppRun[] = [];
  const nodeFloor: number[] = [];
  const nodeKeep: number[] = [];
  const fullKeep: AppRun[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      progress(`HTTP response of ${mib(bodyBytes)}, run ${run} of ${runs}: curl`);
      curls.push(await curl(url, timeoutMs));
      progress(`HTTP response of ${mib(bodyBytes)}, run ${run} of ${runs}: app (in-memory)`);
      apps.push(await appRun(app, ready.port, undefined, timeoutMs));
      progress(`HTTP response of ${mib(bodyBytes)}, run ${run} of ${runs}: app keeping no body (parse only)`);
      parseOnly.push(await appRun(app, ready.port, 0, timeoutMs));
      progress(`HTTP response of ${mib(bodyBytes)}, run ${run} of ${runs}: raw Node socket`);
      nodeFloor.push(await rawNode(ready.port, timeoutMs));
      nodeKeep.push(await rawNode(ready.port, timeoutMs, 64 * MiB));
    }
    progress(`HTTP response of ${mib(bodyBytes)}: app keeping the whole body`);
    fullKeep.push(await appRun(app, ready.port, Math.ceil(bodyBytes / MiB) * MiB, timeoutMs));
  } finally {
    app.close();
    await peer.call('close', undefined, 5000).catch(() => {});
    await peer.stop();
  }
  for (const run of curls) {
    if (run.bytes !== bodyBytes) throw new Error(`curl received ${run.bytes} bytes, not ${bodyBytes}`);
  }
  for (const run of [...apps, ...parseOnly, ...fullKeep]) {
    if (run.receivedBytes !== bodyBytes)
      throw new Error(`the app received ${run.receivedBytes} bytes, not ${bodyBytes}`);
  }
  const raw = curls.reduce((a, b) => (b.ms < a.ms ? b : a));
  const best = apps.reduce((a, b) => (b.ms < a.ms ? b : a));
  const ratio = best.ms / raw.ms;
  const curlPeak = Math.max(...curls.map((c) => c.peakRssBytes ?? 0));
  const appPeak = Math.max(...apps.map((a) => a.rssGrowth));
  const keepAll = fullKeep[0] as AppRun;
  const parse = parseOnly.reduce((a, b) => (b.ms < a.ms ? b : a));
  const parseRatio = parse.ms / raw.ms;
  const floor = Math.min(...nodeFloor);
  const rows: Row[] = [
    {
      what: `HTTP ${mib(bodyBytes)} response: receive + parse, nothing kept (like curl -o /dev/null)`,
      raw: `${ms(raw.ms)} (curl)`,
      app: ms(parse.ms),
      difference: `${parseRatio.toFixed(2)} × curl`,
      goal: `≤ ${goalRatio} × curl`,
      verdict: parseRatio <= goalRatio ? 'PASS' : 'MISS',
    },
    {
      what: `HTTP ${mib(bodyBytes)} response: as shipped (body kept up to the 64 MiB cap)`,
      raw: `${ms(raw.ms)} (curl)`,
      app: ms(best.ms),
      difference: `${ratio.toFixed(2)} × curl`,
      goal: `≤ ${goalRatio} × curl`,
      verdict: ratio <= goalRatio ? 'PASS' : 'MISS',
    },
    {
      what: `HTTP ${mib(bodyBytes)} response: as shipped, peak memory`,
      raw: curlPeak > 0 ? `${mib(curlPeak)} (curl RSS)` : 'n/a',
      app: `+${mib(appPeak)} RSS`,
      difference: `kept ${mib(best.keptBytes)} of ${mib(best.receivedBytes)}`,
      goal: '(reported)',
      verdict: '—',
    },
    {
      what: `HTTP ${mib(bodyBytes)} response: whole body kept (cap raised)`,
      raw: `${ms(raw.ms)} (curl)`,
      app: `${ms(keepAll.ms)}, +${mib(keepAll.rssGrowth)} RSS`,
      difference: `${(keepAll.ms / raw.ms).toFixed(2)} × curl`,
      goal: '(reported)',
      verdict: '—',
    },
    {
      what: `HTTP ${mib(bodyBytes)} response: bare Node socket (no parse, nothing kept)`,
      raw: `${ms(raw.ms)} (curl)`,
      app: ms(floor),
      difference: `${(floor / raw.ms).toFixed(2)} × curl`,
      goal: '(Node floor)',
      verdict: '—',
    },
    {
      what: `HTTP ${mib(bodyBytes)} response: bare Node socket keeping 64 MiB of chunks`,
      raw: `${ms(raw.ms)} (curl)`,
      app: ms(Math.min(...nodeKeep)),
      difference: `${(Math.min(...nodeKeep) / raw.ms).toFixed(2)} × curl`,
      goal: '(Node floor, as shipped)',
      verdict: '—',
    },
  ];
  const notes = [
    `HTTP ${mib(bodyBytes)} response (in-memory port): ${runs} runs each, curl and the app alternating, fastest shown (curl ${curls.map((c) => ms(c.ms)).join(', ')}; app ${apps.map((a) => ms(a.ms)).join(', ')}; parse only ${parseOnly.map((a) => ms(a.ms)).join(', ')}). curl = \`curl -s -o /dev/null\`, its own time_total (its wall time with start-up: ${ms(raw.wallMs)}); app = http.send with a new connection, the Node side parsing every byte with the shared response parser and keeping the body (64 MiB cap as shipped; the rest counted), timed in this process until http.exchangeEnd arrives (Node side's own total ${ms(best.nodeTotalMs)}; ${best.progressEvents} coalesced http.progress events). The server is a Node http server in its own process. Memory: this process's RSS growth over the run (Node side and client together). curl keeps nothing: it reads into one buffer and throws it away, so the first row is the like-for-like one. Keeping the body costs fresh memory for the kernel to copy into (page faults, and the GC noticing the growing external memory): a bare Node socket keeping its chunks pays much of the same (the last row). Loopback figures on a shared 2-core machine vary by 2-3× from run to run; compare rows of one run.`,
  ];
  return { rows, notes };
}

// `npx tsx bench/http.ts`: this part alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const bodyBytes = Number(process.env.BENCH_HTTP_MB ?? 100) * 1000 * 1000;
  const result = await httpReceiveBench({
    bodyBytes,
    runs: Number(process.env.BENCH_HTTP_RUNS ?? 3),
    progress: (message) => console.error(`bench: ${message}`),
  });
  console.log(formatTable(result.rows));
  console.log('');
  for (const note of result.notes) console.log(`- ${note}`);
}
