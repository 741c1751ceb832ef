/**
 * `protocol-playground`: replays conversation files against servers and grades them,
 * or exports one as a textbook socket program. Runs on Node alone; bundled by
 * electron/cli/build.ts into dist/cli/protocol-playground.cjs, started by
 * bin/protocol-playground.js.
 */
import { parseExportArgs, parseRunArgs, UsageError, usage } from './args';
// run and export are loaded when used, so --help answers without evaluating the services.
const exitCodes = { ok: 0, usage: 1, runtime: 3 } as const;

declare const PLAYGROUND_VERSION: string;
const version = typeof PLAYGROUND_VERSION === 'string' ? PLAYGROUND_VERSION : 'dev';

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  try {
    if (command === '--version' || command === '-v') {
      out(version);
      return exitCodes.ok;
    }
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      out(usage);
      return command === undefined ? exitCodes.usage : exitCodes.ok;
    }
    if (command === 'run') {
      const args = parseRunArgs(rest);
      const controller = new AbortController();
      let interrupts = 0;
      const onInterrupt = () => {
        interrupts++;
        if (interrupts > 1) process.exit(exitCodes.runtime);
        err('stopping (Ctrl+C): the partial report follows; Ctrl+C again quits at once');
        controller.abort();
      };
      process.on('SIGINT', onInterrupt);
      process.on('SIGTERM', onInterrupt);
      try {
        const { runCommand } = await import('./run');
        return await runCommand(args, { out, err, version, signal: controller.signal });
      } finally {
        process.off('SIGINT', onInterrupt);
        process.off('SIGTERM', onInterrupt);
      }
    }
    if (command === 'export') {
      const { exportCommand } = await import('./export');
      return await exportCommand(parseExportArgs(rest), { out, err });
    }
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`protocol-playground: ${error.message}\n\n${usage}`);
      return exitCodes.usage;
    }
    err(`protocol-playground: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return exitCodes.runtime;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Servers and sockets are closed by now; do not wait for stray timers.
    setTimeout(() => process.exit(code), 50).unref();
  },
  (error: unknown) => {
    process.stderr.write(`protocol-playground: ${String(error)}\n`);
    process.exit(exitCodes.runtime);
  },
);
