/**
 * `npm start`: builds and launches the Electron app. Without the Electron binary
 * (npm install no longer downloads it) it first runs Electron's own installer.
 * Where Electron still cannot run (the download failed, no display, missing
 * system libraries) it says why in one line, and how to fix it, and opens browser
 * mode instead, with the same arguments (`--port N`, `--no-open`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron, buildRenderer, projectRoot, rendererIsStale } from './build';
import { findElectronBinary } from './electronBinary';
import { electronVersion, type InstallProgress, installTimeoutMs, runElectronInstaller } from './installElectron';
import { runWebMode, UsageError } from './web';

/** An Electron that dies this soon after launch could not start here, rather than being closed by the user. */
export const startupGraceMs = 5000;

export function fallbackLine(reason: string): string {
  return `Electron is not available here (${reason}); opening browser mode instead.`;
}

/** Why Electron exited early, from its exit status and what it printed (Chromium's log prefix removed). */
export function startFailureReason(
  exit: { code: number | null; signal: NodeJS.Signals | null },
  elapsedMs: number,
  stderr: string,
): string {
  const status = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.replace(/^\[[^\]]*\]\s*/, '').trim())
    .filter((line) => line !== '');
  const telling = lines.find((line) => /error|missing|cannot|failed|not found/i.test(line)) ?? lines.at(-1);
  const said = telling ? `: ${telling.length > 160 ? `${telling.slice(0, 157)}...` : telling}` : '';
  return `it ${status} ${(elapsedMs / 1000).toFixed(1)} s after starting${said}`;
}

/**
 * Linux's OS sandbox refusing to start, from what Electron printed: the reason and
 * the fix. On Ubuntu 24.04+ AppArmor keeps unprivileged user namespaces from a
 * downloaded Electron, so Chromium needs its setuid helper, chrome-sandbox, owned by
 * root with mode 4755 (electron/electron#42510); as root it refuses to sandbox at
 * all. The sandbox is never switched off for the user: that is theirs to decide.
 */
export function sandboxProblem(stderr: string, executablePath: string): { reason: string; fix: string } | undefined {
  const helper =
    /make sure that (\S+chrome-sandbox) is owned by root/.exec(stderr)?.[1] ??
    join(dirname(executablePath), 'chrome-sandbox');
  if (/SUID sandbox helper binary .*not configured correctly|No usable sandbox/i.test(stderr)) {
    return {
      reason:
        "Linux's sandbox for Electron is not set up: Chromium's helper chrome-sandbox must be owned by root " +
        'with mode 4755 where user namespaces are restricted (Ubuntu 24.04+)',
      fix:
        `sudo chown root:root ${helper} && sudo chmod 4755 ${helper}, then \`npm start\` again; ` +
        'on lab machines install the .deb (`npm run dist`), which sets the sandbox up with an AppArmor profile',
    };
  }
  if (/Running as root without \S+ is not supported/i.test(stderr)) {
    return {
      reason: 'Electron does not run as root with its sandbox on',
      fix: 'run `npm start` as a normal user (or use browser mode, `npm run web`)',
    };
  }
  return undefined;
}

/** Linux needs a display server for a window; without one Electron only prints errors. */
export function missingDisplay(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'linux' || env.DISPLAY || env.WAYLAND_DISPLAY) return undefined;
  return 'no display: neither DISPLAY nor WAYLAND_DISPLAY is set';
}

/** The line after the fallback line: what to do so that the next `npm start` opens the window. */
export function fixLine(fix: string): string {
  return `To fix it: ${fix}.`;
}

/** "12.3 of 110.5 MB" */
export function progressText({ received, total }: InstallProgress): string {
  const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1);
  return `${mb(received)} of ${mb(total)} MB`;
}

export async function runStart(argv: readonly string[]): Promise<void> {
  let binary = findElectronBinary();
  if (!binary.found && binary.packageDir) {
    if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
      await fallBack(
        `${binary.reason}, and ELECTRON_SKIP_BINARY_DOWNLOAD is set`,
        argv,
        'unset it to let npm start download Electron',
      );
      return;
    }
    const installed = await install(binary.packageDir);
    if (!installed.ok) {
      await fallBack(installed.reason, argv, installed.fix);
      return;
    }
    binary = findElectronBinary();
  }
  const unavailable = binary.found ? missingDisplay(process.env, process.platform) : binary.reason;
  if (!binary.found || unavailable) {
    await fallBack(unavailable ?? 'no Electron binary', argv);
    return;
  }
  if (rendererIsStale()) await buildRenderer({ quiet: true });
  await buildElectron();

  const outcome = await launch(binary.executablePath);
  if (outcome.kind === 'failed') {
    await fallBack(outcome.reason, argv, outcome.fix);
    return;
  }
  process.exit(outcome.code);
}

async function fallBack(reason: string, argv: readonly string[], fix?: string): Promise<void> {
  console.log(fallbackLine(reason));
  if (fix) console.log(fixLine(fix));
  await runWebMode([...argv]);
}

/**
 * Electron's installer, with a progress line: updated in place on a terminal, a
 * line per quarter otherwise (a log should not fill with hundreds of lines).
 */
async function install(packageDir: string) {
  const limit = installTimeoutMs(process.env);
  const target = `Electron ${electronVersion(packageDir)} for ${process.platform}-${process.arch}`;
  console.log(
    `No Electron binary yet: downloading ${target} with Electron's installer (about 100 MB, at most ${limit / 1000} s; ` +
      'Ctrl+C to stop)...',
  );
  const terminal = process.stdout.isTTY === true;
  let quarter = 0;
  let drew = false;
  const outcome = await runElectronInstaller({
    packageDir,
    timeoutMs: limit,
    onProgress: (progress) => {
      if (terminal) {
        drew = true;
        process.stdout.write(`\r  downloaded ${progressText(progress)}   `);
      } else if (progress.total > 0 && progress.received >= ((quarter + 1) / 4) * progress.total) {
        quarter = Math.floor((progress.received / progress.total) * 4);
        console.log(`  downloaded ${progressText(progress)}`);
      }
    },
  });
  if (drew) process.stdout.write('\n');
  if (outcome.ok) console.log(`${target} is installed.`);
  return outcome;
}

type LaunchOutcome = { kind: 'exited'; code: number } | { kind: 'failed'; reason: string; fix?: string };

/**
 * Runs Electron on the project folder. Its stderr is held back for the first
 * few seconds: if it dies then, the one-line reason replaces Chromium's noise;
 * once it has run that long, held and later output passes straight through.
 */
function launch(executablePath: string): Promise<LaunchOutcome> {
  const env = { ...process.env };
  // Set by some tools; would make Electron behave as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  const startedAt = Date.now();
  const child = spawn(executablePath, [projectRoot], { cwd: projectRoot, env, stdio: ['ignore', 'inherit', 'pipe'] });

  let held: string | undefined = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (held === undefined) process.stderr.write(chunk);
    else held = (held + chunk.toString('utf8')).slice(-16_384);
  });
  const release = () => {
    if (held === undefined) return;
    process.stderr.write(held);
    held = undefined;
  };
  const grace = setTimeout(release, startupGraceMs);
  let stopping = false;
  const stopChild = forwardSignals(child, () => {
    stopping = true;
  });

  return new Promise((resolve) => {
    child.once('error', (error) => {
      clearTimeout(grace);
      stopChild();
      resolve({ kind: 'failed', reason: `could not run ${executablePath}: ${error.message}` });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(grace);
      stopChild();
      const elapsed = Date.now() - startedAt;
      const failed = !stopping && (code !== 0 || signal !== null) && elapsed < startupGraceMs;
      if (failed) {
        const stderr = held ?? '';
        const sandbox = sandboxProblem(stderr, executablePath);
        resolve(
          sandbox
            ? { kind: 'failed', ...sandbox }
            : { kind: 'failed', reason: startFailureReason({ code, signal }, elapsed, stderr) },
        );
        return;
      }
      release();
      resolve({ kind: 'exited', code: code ?? 1 });
    });
  });
}

/** Ctrl+C and `kill` stop Electron too, instead of orphaning it. Returns a function that stops forwarding. */
function forwardSignals(child: ChildProcess, onForward: () => void): () => void {
  const forward = (signal: NodeJS.Signals) => {
    onForward();
    child.kill(signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  return () => {
    for (const signal of signals) process.off(signal, forward);
  };
}

function isMainModule(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) {
  runStart(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
