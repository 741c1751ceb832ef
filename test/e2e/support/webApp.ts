/**
 * Starts browser mode exactly as a user does (`npm run web -- --no-open`), in its own
 * process, and reads the URL it prints. The host builds the renderer first if it is
 * stale, so the first start can take a while.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { projectRoot } from '../../../electron/cli/build';

export interface WebApp {
  /** The printed URL, with the access token: open this one. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`, without the token. */
  readonly origin: string;
  readonly port: number;
  /** What the host wrote to stderr so far (for failure messages). */
  readonly log: () => string;
  /** SIGTERM (the host closes its sockets), then SIGKILL after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartWebAppOptions {
  /** 0 (default) lets the host pick a free port. */
  port?: number;
  /** How long to wait for the URL line, including a renderer build. */
  timeoutMs?: number;
  extraArgs?: readonly string[];
}

const urlLine = /^Protocol Playground: (http:\/\/\S+)$/m;
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

export async function startWebApp(options: StartWebAppOptions = {}): Promise<WebApp> {
  const { port = 0, timeoutMs = 120_000, extraArgs = [] } = options;
  const args = [tsxCli, join('electron', 'cli', 'web.ts'), '--no-open', '--port', String(port), ...extraArgs];
  // Its own process group, so stop() reaches tsx's child process too.
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the web host printed no URL within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      const check = () => {
        const match = urlLine.exec(stdout);
        if (!match?.[1]) return;
        clearTimeout(timer);
        resolve(match[1]);
      };
      child.stdout?.on('data', check);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`could not start the web host: ${error.message}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the web host exited (${signal ?? `code ${code}`}) before printing its URL`));
      });
    });
  } catch (error) {
    await terminate(child, exited, 2000);
    throw new Error(`${(error as Error).message}\n--- stderr ---\n${stderr}--- stdout ---\n${stdout}`, {
      cause: error,
    });
  }

  const parsed = new URL(url);
  let stopping: Promise<void> | undefined;
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    log: () => stderr,
    stop(graceMs = 5000) {
      stopping ??= terminate(child, exited, graceMs);
      return stopping;
    },
  };
}

async function terminate(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    // Only to tsx, which relays it once to the host: a second SIGTERM would make the
    // host skip its orderly close.
    child.kill('SIGTERM');
    const timer = setTimeout(() => killGroup(child), graceMs);
    await exited;
    clearTimeout(timer);
  }
  // Whatever of the group this helper created is still there (a stuck host) goes now.
  killGroup(child);
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
