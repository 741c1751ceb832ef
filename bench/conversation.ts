import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli, cliIsStale } from '../bin/cli-build.js';
import { startNodeSide } from '../electron/conversation/nodeSide';
import { services } from '../electron/services';
import type { Row } from './table';

const root = fileURLToPath(new URL('..', import.meta.url));
const launcher = join(root, 'bin', 'protocol-playground.js');

interface Timed {
  ms: number;
  peakRssMiB: number;
  code: number | null;
  output: string;
}

/** Runs a Node child to its end: wall time from spawn to exit, its peak RSS (from /usr/bin/time when there is one). */
const timeTool = '/usr/bin/time';

function timedChild(args: string[]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const measured = existsSync(timeTool);
    const [command, commandArgs] = measured
      ? [timeTool, ['-f', 'peak-rss-kb %M', process.execPath, ...args]]
      : [process.execPath, args];
    const child = spawn(command, commandArgs, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PLAYGROUND_CLI_NO_BUILD: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
    child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} took over 120 s`));
    }, 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const rss = /peak-rss-kb (\d+)\s*$/.exec(output);
      resolve({ ms: performance.now() - started, peakRssMiB: rss ? Number(rss[1]) / 1024 : 0, code, output });
    });
  });
}

/** The bare baseline: one connection, a line written, its upper-cased line read and compared, 1,000 times. */
const bareScript = `
const net = require('node:net');
const [port, steps] = process.argv.slice(1).map(Number);
const socket = net.connect({ host: '127.0.0.1', port });
let i = 0, buffer = '', failed = 0;
const next = () => { if (i === steps) { socket.end(); console.log(steps - failed, 'passed,', failed, 'failed'); return; } socket.write('line ' + i + ' of the bench\\n'); };
socket.on('connect', next);
socket.on('data', (chunk) => {
  buffer += chunk.toString('latin1');
  const end = buffer.indexOf('\\n');
  if (end < 0) return;
  const line = buffer.slice(0, end + 1); buffer = buffer.slice(end + 1);
  if (line !== ('line ' + i + ' of the bench\\n').toUpperCase()) failed++;
  i++; next();
});
socket.setTimeout(5000, () => { console.error('timeout'); process.exit(3); });
`;

/**
 * A 1,000-step TCP conversation replayed by `protocol-playground run` against the
 * built-in uppercase server (lines mode, one connection) beside a bare Node script doing
 * the same sends and reads; both are whole processes timed from spawn to exit, runs
 * alternated. Also the time of `protocol-playground --version`.
 */
export async function conversationBench(options: {
  runs: number;
  steps: number;
  progress: (line: string) => void;
}): Promise<{ rows: Row[]; notes: string[] }> {
  if (cliIsStale(root)) await buildCli(root);
  const nodeSide = startNodeSide(services);
  try {
    const server = await nodeSide.client.call('tcpServer.start', { port: 0, mode: 'lines' });
    const port = server.local.port;
    const dir = mkdtempSync(join(tmpdir(), 'pp-bench-conv-'));
    const file = join(dir, 'thousand.conv');
    const lines = [`conversation tcp "${options.steps} steps"`, `target 127.0.0.1:${port}`];
    for (let i = 0; i < options.steps; i++) {
      lines.push(`send "line ${i} of the bench\\n"`, `expect exact "${`line ${i} of the bench`.toUpperCase()}\\n"`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    // The same conversation cut to a tenth: peak memory should not grow with the steps.
    const short = join(dir, 'tenth.conv');
    writeFileSync(short, `${lines.slice(0, 2 + Math.ceil(options.steps / 10) * 2).join('\n')}\n`);
    const cli: Timed[] = [];
    const bare: Timed[] = [];
    for (let run = 0; run < options.runs; run++) {
      options.progress(`conversation: run ${run + 1} of ${options.runs}`);
      const a = await timedChild([launcher, 'run', file]);
      if (a.code !== 0) throw new Error(`the CLI run failed (exit ${a.code}): ${a.output}`);
      cli.push(a);
      const b = await timedChild(['-e', bareScript, String(port), String(options.steps)]);
      if (b.code !== 0) throw new Error(`the bare script failed (exit ${b.code}): ${b.output}`);
      bare.push(b);
    }
    const tenth = await timedChild([launcher, 'run', short]);
    if (tenth.code !== 0) throw new Error(`the CLI run failed (exit ${tenth.code}): ${tenth.output}`);
    const versions: number[] = [];
    for (let run = 0; run < 5; run++) versions.push((await timedChild([launcher, '--version'])).ms);
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] as number;
    const cliMs = median(cli.map((t) => t.ms));
    const bareMs = median(bare.map((t) => t.ms));
    const ratio = cliMs / bareMs;
    const versionMs = median(versions);
    const rss = (runs: Timed[]) => `${median(runs.map((t) => t.peakRssMiB)).toFixed(1)} MiB`;
    const memoryNote =
      tenth.peakRssMiB > 0
        ? `Conversation memory (peak RSS from ${timeTool}, median): CLI ${rss(cli)} for ${options.steps} steps, ${rss([tenth])} for ${Math.ceil(options.steps / 10)} steps; bare ${rss(bare)}.`
        : `Conversation memory: not measured (no ${timeTool}).`;
    return {
      rows: [
        {
          what: `TCP conversation, ${options.steps} steps (send + exact check), whole process: median of ${options.runs}`,
          raw: `${bareMs.toFixed(0)} ms (bare Node script)`,
          app: `${cliMs.toFixed(0)} ms (protocol-playground run)`,
          difference: `${ratio.toFixed(2)} × bare`,
          goal: '≤ 1.5 × bare',
          verdict: ratio <= 1.5 ? 'PASS' : 'MISS',
        },
        {
          what: 'protocol-playground --version (built): median of 5',
          raw: '—',
          app: `${versionMs.toFixed(0)} ms`,
          difference: '—',
          goal: '≤ 300 ms',
          verdict: versionMs <= 300 ? 'PASS' : 'MISS',
        },
      ],
      notes: [
        memoryNote,
        `Conversation rows: both are child processes timed from spawn to exit (Node start-up included: ${cli.map((t) => t.ms.toFixed(0)).join(', ')} ms for the CLI, ${bare.map((t) => t.ms.toFixed(0)).join(', ')} ms bare); the server is the built-in TCP server (lines mode) in this process. The CLI loads its bundle (the four client services, ~2 MB) before the first step.`,
      ],
    };
  } finally {
    nodeSide.close();
  }
}
