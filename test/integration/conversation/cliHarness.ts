import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildCli, cliIsStale } from '../../../bin/cli-build.js';

export const root = fileURLToPath(new URL('../../..', import.meta.url));
export const launcher = `${root}bin/protocol-playground.js`;

/** Builds dist/cli once before the tests start children (so they never race to build it). */
export async function ensureCliBuilt(): Promise<void> {
  if (cliIsStale(root)) await buildCli(root);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `protocol-playground ARGS` as a child process; `during` may poke it while it runs. */
export function cli(
  args: string[],
  options: { during?: (pid: number) => void; timeoutMs?: number } = {},
): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [launcher, ...args], {
      cwd: root,
      env: { ...process.env, PLAYGROUND_CLI_NO_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI did not finish within ${options.timeoutMs ?? 15000} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 15000);
    if (child.pid !== undefined) options.during?.(child.pid);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}
