/**
 * Browser mode: serves the app to a browser from a Node process on this machine.
 *
 *   npm run web [-- --port N] [--host H] [--no-open]
 *
 * Prints one line, `Protocol Playground: http://127.0.0.1:PORT/#token=…`, on stdout
 * (scripts and tests read it); everything else goes to stderr.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWebHost, type WebHost } from '../web/host';
import { buildRenderer, rendererDist, rendererIsStale } from './build';

export const webUsage = `Usage: npm run web [-- options]

Serves Protocol Playground to your browser from this machine.

Options:
  --port N             listen on port N (default: a free port)
  --host H             listen on address H (default: 127.0.0.1; 0.0.0.0 exposes the app to your network)
  --no-open            do not try to open a browser
  --renderer-dir DIR   serve this built renderer instead of dist/renderer (no build step)
  --help               show this text`;

export interface WebArgs {
  port: number;
  host: string;
  open: boolean;
  rendererDir: string | undefined;
  help: boolean;
}

/** A mistake on the command line, with a message meant to be printed as is. */
export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\nRun "npm run web -- --help" for the options.`);
    this.name = 'UsageError';
  }
}

export function parseWebArgs(argv: readonly string[]): WebArgs {
  const args: WebArgs = { port: 0, host: '127.0.0.1', open: true, rendererDir: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const value = (): string => {
      if (eq >= 0) return arg.slice(eq + 1);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i++;
      return next;
    };
    switch (flag) {
      case '--port':
        args.port = parsePort(value());
        break;
      case '--host':
        args.host = value();
        if (!args.host) throw new UsageError('--host needs a value');
        break;
      case '--renderer-dir':
        args.rendererDir = resolve(value());
        break;
      case '--no-open':
        if (eq >= 0) throw new UsageError('--no-open takes no value');
        args.open = false;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
    }
  }
  return args;
}

function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new UsageError(
      `--port must be a whole number from 0 to 65535 (0 picks a free port), not ${JSON.stringify(text)}`,
    );
  }
  return port;
}

/**
 * Builds the renderer if it is missing or stale, starts the host, prints its URL,
 * opens a browser unless told not to, and closes the host on SIGINT/SIGTERM.
 * Resolves with the running host (undefined after --help); rejects with a
 * printable message when the flags are wrong, the build fails or the port is taken.
 * electron/cli/start.ts falls back to this when Electron cannot start.
 */
export async function runWebMode(argv: readonly string[]): Promise<WebHost | undefined> {
  const args = parseWebArgs(argv);
  if (args.help) {
    process.stdout.write(`${webUsage}\n`);
    return undefined;
  }

  let rendererDir = args.rendererDir;
  if (rendererDir === undefined) {
    rendererDir = rendererDist;
    if (rendererIsStale()) {
      process.stderr.write('Building the renderer (first run, or its sources changed)…\n');
      try {
        await buildRenderer({ quiet: true });
      } catch (error) {
        throw new Error(
          `building the renderer failed: ${errorText(error)}\nRun "npm run build" to see the full output.`,
          { cause: error },
        );
      }
    }
  }

  const host = await startWebHost({ port: args.port, host: args.host, rendererDir });
  process.stdout.write(`Protocol Playground: ${host.url}\n`);
  if (args.host === '0.0.0.0' || args.host === '::') {
    process.stderr.write('Warning: listening on every network interface; anyone with the URL can use the app.\n');
  }
  if (args.open) openBrowser(host.url);
  closeOnSignals(host);
  return host;
}

function closeOnSignals(host: WebHost): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130); // a second Ctrl-C: do not wait any longer
    stopping = true;
    process.stderr.write(`\n${signal}: stopping Protocol Playground…\n`);
    // close() is bounded; the timer is a last resort should a socket never let go.
    setTimeout(() => process.exit(1), 5_000).unref();
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stopping failed: ${errorText(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Best effort: a machine without a desktop still works, the user opens the URL. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  let hinted = false;
  const hint = (why: string) => {
    if (hinted) return;
    hinted = true;
    process.stderr.write(`Could not open a browser (${why}); open the URL above yourself.\n`);
  };
  try {
    const child = spawn(command, args, {
      detached: true,
      stdio: 'ignore',
      windowsHide: true,
      windowsVerbatimArguments: process.platform === 'win32',
    });
    child.on('error', (error) => hint(`${command}: ${error.message}`));
    child.on('exit', (code) => {
      if (code !== null && code !== 0) hint(`${command} exited with code ${code}`);
    });
    child.unref();
  } catch (error) {
    hint(`${command}: ${errorText(error)}`);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  runWebMode(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`npm run web: ${errorText(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
