import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { services } from '../electron/services';
import { type AppClient, connectInMemory } from './appClient';
import type { BareClientApi } from './httpBareClient';
import type { CurlApi, CurlRun } from './httpCurl';
import { Child } from './rpc';
import { formatTable, mib, ms, type Row } from './table';
import { MiB, percentiles, withTimeout } from './timing';

/**
 * The HTTP client's half of the HTTP benchmark: one large response over loopback from
 * a Node `http` server in its own process (bench/httpPeer.ts), received and parsed by
 * the app (http.send through the real services behind the in-memory port, timed from
 * the call until http.exchangeEnd reaches the client) against `curl -s -o /dev/null`
 * for the same URL (curl's own time_total: connect to last byte, process start-up
 * excluded), started from a child process (bench/httpCurl.ts): nothing forks this
 * process during the runs, which would make the app's pooled body blocks copy-on-write
 * and fault on their next write. Peak memory: this process's RSS growth during the app's runs (the body is
 * kept on the Node side up to the cap: 64 MiB by default), and curl's peak RSS.
 * Runs alternate, round by round; medians are compared. The app's first run is also shown
 * alone: its body blocks are fresh memory, later runs reuse the blocks a forgotten body
 * gave back (electron/http/client/bodyBlocks.ts).
 */

export interface HttpBenchResult {
  rows: Row[];
  notes: string[];
}

const goalRatio = 1.5;

const median = (samples: readonly number[]) => percentiles(samples).p50;

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

interface AppRun {
  ms: number;
  nodeTotalMs: number;
  receivedBytes: number;
  keptBytes: number;
  progressEvents: number;
  rssGrowth: number;
  /** CPU time of this process over the run (all its threads: the Node side, the client, the GC). */
  cpuMs: number;
  /** Minor page faults of this process over the run: first touches of fresh memory, writes to copy-on-write pages. */
  pageFaults: number;
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
    const cpuBefore = process.cpuUsage();
    const faultsBefore = process.resourceUsage().minorPageFault;
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
    const cpu = process.cpuUsage(cpuBefore);
    const pageFaults = process.resourceUsage().minorPageFault - faultsBefore;
    if (end.outcome !== 'complete') throw new Error(`the app's exchange ended ${end.outcome}: ${end.error?.message}`);
    const result: AppRun = {
      ms: elapsed,
      nodeTotalMs: end.timings.totalMs ?? Number.NaN,
      receivedBytes: end.body.receivedBytes,
      keptBytes: end.body.keptBytes,
      progressEvents,
      rssGrowth: sampler.growth(),
      cpuMs: (cpu.user + cpu.system) / 1000,
      pageFaults,
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
  const { child: bare } = await Child.start<BareClientApi, unknown>('./httpBareClient.ts', [], { timeoutMs: 20_000 });
  const { child: curler } = await Child.start<CurlApi, unknown>('./httpCurl.ts', [], { timeoutMs: 20_000 });
  const curl = (url: string, timeoutMs: number) => curler.call('run', { url, timeoutMs }, timeoutMs + 5000);
  const bareRead = (keepBytes: number) =>
    bare.call('read', { port: ready.port, keepBytes, timeoutMs }, timeoutMs + 5000);
  const app = connectInMemory(services);
  const url = `http://127.0.0.1:${ready.port}/big`;
  const curls: CurlRun[] = [];
  const apps: AppRun[] = [];
  const parseOnly: AppRun[] = [];
  const nodeFloor: number[] = [];
  const nodeKeep: number[] = [];
  const fullKeep: AppRun[] = [];
  try {
    // Warm-up, not counted: code compiled and connections tried once, so that the first
    // counted run of the app differs from the others only in its fresh body memory.
    progress(`HTTP response of ${mib(bodyBytes)}: warm-up (curl, the app keeping nothing, a bare Node socket)`);
    await curl(url, timeoutMs);
    await appRun(app, ready.port, 0, timeoutMs);
    await bareRead(0);
    for (let run = 1; run <= runs; run++) {
      progress(`HTTP response of ${mib(bodyBytes)}, run ${run} of ${runs}: curl`);
      curls.push(await curl(url, timeoutMs));
      progress(`HTTP response of ${mib(bodyBytes)}, run ${run} of ${runs}: app (in-memory)`);
      apps.push(await appRun(app, ready.port, undefined, timeoutMs));
      progress(`HTTP response of ${mib(bodyBytes)}, run ${run} of ${runs}: app keeping no body (parse only)`);
      parseOnly.push(await appRun(app, ready.port, 0, timeoutMs));
      progress(`HTTP response of ${mib(bodyBytes)}, run ${run} of ${runs}: raw Node socket`);
      nodeFloor.push(await bareRead(0));
      nodeKeep.push(await bareRead(64 * MiB));
    }
    progress(`HTTP response of ${mib(bodyBytes)}: app keeping the whole body`);
    fullKeep.push(await appRun(app, ready.port, Math.ceil(bodyBytes / MiB) * MiB, timeoutMs));
  } finally {
    app.close();
    await peer.call('close', undefined, 5000).catch(() => {});
    await peer.stop();
    await bare.stop();
    await curler.stop();
  }
  for (const run of curls) {
    if (run.bytes !== bodyBytes) throw new Error(`curl received ${run.bytes} bytes, not ${bodyBytes}`);
  }
  for (const run of [...apps, ...parseOnly, ...fullKeep]) {
    if (run.receivedBytes !== bodyBytes)
      throw new Error(`the app received ${run.receivedBytes} bytes, not ${bodyBytes}`);
  }
  const curlMs = median(curls.map((run) => run.ms));
  const shippedMs = median(apps.map((run) => run.ms));
  const parseMs = median(parseOnly.map((run) => run.ms));
  const floorMs = median(nodeFloor);
  const floorKeepMs = median(nodeKeep);
  const cold = apps[0] as AppRun;
  const keepAll = fullKeep[0] as AppRun;
  const curlPeak = Math.max(...curls.map((c) => c.peakRssBytes ?? 0));
  const appPeak = Math.max(...apps.map((a) => a.rssGrowth));
  const baselines = `${ms(curlMs)} curl · ${ms(floorMs)} Node`;
  const times = (label: string, runs: readonly number[]) => `${label} ${runs.map((t) => ms(t)).join(', ')}`;
  const vsCurl = (appMs: number, goal: string | undefined) => ({
    raw: baselines,
    app: ms(appMs),
    difference: `${(appMs / curlMs).toFixed(2)} × curl`,
    goal: goal ?? '(reported)',
    verdict: goal === undefined ? ('—' as const) : appMs / curlMs <= goalRatio ? ('PASS' as const) : ('MISS' as const),
  });
  const size = mib(bodyBytes);
  const rows: Row[] = [
    {
      what: `HTTP ${size} response: receive + parse, nothing kept (like curl -o /dev/null), median`,
      ...vsCurl(parseMs, `≤ ${goalRatio} × curl`),
    },
    {
      what: `HTTP ${size} response: as shipped (body kept up to the 64 MiB cap), median`,
      ...vsCurl(shippedMs, `≤ ${goalRatio} × curl`),
    },
    { what: `HTTP ${size} response: as shipped, first run (fresh memory for the body)`, ...vsCurl(cold.ms, undefined) },
    {
      what: `HTTP ${size} response: as shipped, peak memory`,
      raw: curlPeak > 0 ? `${mib(curlPeak)} (curl RSS)` : 'n/a',
      app: `+${mib(appPeak)} RSS`,
      difference: `kept ${mib(cold.keptBytes)} of ${mib(cold.receivedBytes)}`,
      goal: '(reported)',
      verdict: '—',
    },
    {
      what: `HTTP ${size} response: whole body kept (cap raised), once`,
      ...vsCurl(keepAll.ms, undefined),
      app: `${ms(keepAll.ms)}, +${mib(keepAll.rssGrowth)} RSS`,
    },
    { what: `HTTP ${size} response: bare Node socket (no parse, nothing kept), median`, ...vsCurl(floorMs, undefined) },
    {
      what: `HTTP ${size} response: bare Node socket keeping 64 MiB of its chunks, median`,
      ...vsCurl(floorKeepMs, undefined),
    },
  ];
  const notes = [
    `HTTP ${size} response (in-memory port): ${runs} rounds, each running curl, the app as shipped, the app keeping nothing and bare Node sockets in turn; after one uncounted warm-up round; medians shown (${times(
      'curl',
      curls.map((c) => c.ms),
    )}; ${times(
      'as shipped',
      apps.map((a) => a.ms),
    )}; ${times(
      'nothing kept',
      parseOnly.map((a) => a.ms),
    )}; ${times('bare Node', nodeFloor)}; ${times('bare Node keeping', nodeKeep)}). curl = \`curl -s -o /dev/null\`, its own time_total (its wall time with start-up: ${ms(median(curls.map((c) => c.wallMs)))}), started from a process of its own: a fork of this process would make the pooled body blocks copy-on-write, and the app's next write to each of their pages would fault; app = http.send with a new connection, the Node side parsing every byte with the shared response parser and keeping the body (64 MiB cap as shipped; the rest counted), timed in this process until http.exchangeEnd arrives (CPU time of this process, median: ${ms(median(apps.map((a) => a.cpuMs)))} as shipped, ${ms(median(parseOnly.map((a) => a.cpuMs)))} keeping nothing; minor page faults, median: ${median(apps.map((a) => a.pageFaults))} as shipped, ${median(parseOnly.map((a) => a.pageFaults))} keeping nothing, ${cold.pageFaults} in the first run; Node side's own total, median ${ms(median(apps.map((a) => a.nodeTotalMs)))}; ${cold.progressEvents} coalesced http.progress events in the first run). Each app run is forgotten (http.forget) before the next, as the app forgets the oldest bodies beyond its bounds: the first run copies the body into fresh memory (page faults on first touch), later runs into the blocks the forgotten body gave back (up to 64 MiB stay pooled until 30 s unused). The server is a Node http server in its own process. Memory: this process's RSS growth over a run (Node side and client together; the largest, the first run's). curl keeps nothing: it reads into one buffer and throws it away, so the first row is the like-for-like one. The bare Node sockets run in a process of their own (like curl), so their garbage is not collected during the app's runs; one keeping its own chunks (the last row) pays fresh memory for every read. Loopback figures on a shared 2-core machine vary by 2-3× from run to run; compare rows of one run.`,
  ];
  return { rows, notes };
}

// `npx tsx bench/http.ts`: this part alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const bodyBytes = Number(process.env.BENCH_HTTP_MB ?? 100) * 1000 * 1000;
  const result = await httpReceiveBench({
    bodyBytes,
    runs: Number(process.env.BENCH_HTTP_RUNS ?? 5),
    progress: (message) => console.error(`bench: ${message}`),
  });
  console.log(formatTable(result.rows));
  console.log('');
  for (const note of result.notes) console.log(`- ${note}`);
}
