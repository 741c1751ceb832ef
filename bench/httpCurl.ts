import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { answerParent } from './rpc';

/**
 * Runs curl for the HTTP benchmark, from a process of its own. Spawning curl from the
 * bench process would fork that process, and a fork marks every page it holds
 * copy-on-write, the app's pooled body blocks included: the app's next write to each
 * page then faults into the kernel (measured: about 16,700 minor faults and 200 ms of
 * kernel time for 64 MiB kept, on the project's 2-core machine), a cost the app does not
 * have when nothing forks its process. Usage (by bench/http.ts only): httpCurl.ts
 */

export interface CurlRun {
  /** curl's own time_total: connect to last byte, its start-up excluded. */
  ms: number;
  /** Spawn to exit. */
  wallMs: number;
  bytes: number;
  peakRssBytes: number | undefined;
}

export type CurlApi = {
  run(args: { url: string; timeoutMs: number }): Promise<CurlRun>;
};

function run({ url, timeoutMs }: { url: string; timeoutMs: number }): Promise<CurlRun> {
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

answerParent({ run } satisfies CurlApi, {});
