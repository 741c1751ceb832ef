/**
 * `npm start` where Electron cannot run: one clear line, then browser mode
 * running as `npm run web` would. Without the binary it first runs Electron's
 * installer, here against a 127.0.0.1 mirror that refuses the connection. ELECTRON_OVERRIDE_DIST_PATH points at an empty
 * folder (Electron missing, whatever node_modules holds) or at a stand-in
 * binary that dies at once, as Electron does without a display.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../../electron/cli/electronBinary';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');

let child: ChildProcess | undefined;
let emptyDist: string | undefined;

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    stop(child, 'SIGTERM');
    const timer = setTimeout(() => child && stop(child, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  child = undefined;
  if (emptyDist) rmSync(emptyDist, { recursive: true, force: true });
});

/** The process group we started (tsx and the node it runs), and nothing else. */
function stop(process_: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (process_.pid !== undefined) process.kill(-process_.pid, signal);
  } catch {
    process_.kill(signal);
  }
}

/** Resolves with everything printed once `pattern` matches stdout; rejects on exit or after `ms`. */
function waitForOutput(process_: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const fail = (why: string) => {
      cleanup();
      reject(new Error(`${why}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
    };
    const onStdout = (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (pattern.test(stdout)) {
        cleanup();
        resolve(stdout);
      }
    };
    const onStderr = (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    };
    const onExit = (code: number | null) => fail(`npm start exited (code ${code}) before printing ${pattern}`);
    const timer = setTimeout(() => fail(`npm start printed no ${pattern} within ${ms / 1000} s`), ms);
    const cleanup = () => {
      clearTimeout(timer);
      process_.stdout?.off('data', onStdout);
      process_.stderr?.off('data', onStderr);
      process_.off('exit', onExit);
    };
    process_.stdout?.on('data', onStdout);
    process_.stderr?.on('data', onStderr);
    process_.once('exit', onExit);
  });
}

function startApp(env: NodeJS.ProcessEnv): ChildProcess {
  child = spawn(tsx, ['electron/cli/start.ts', '--no-open', '--port', '0'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  return child;
}

/** Checks the one fallback line, then that browser mode really serves the printed URL. */
async function expectBrowserModeAfter(stdout: string, fallback: string): Promise<void> {
  const lines = stdout.split('\n').filter((line) => line !== '');
  const fallbackAt = lines.findIndex((line) => line.startsWith('Electron is not available here'));
  const urlAt = lines.findIndex((line) => line.startsWith('Protocol Playground: '));
  expect(lines[fallbackAt]).toBe(fallback);
  expect(lines.filter((line) => line.startsWith('Electron '))).toHaveLength(1);
  expect(urlAt).toBeGreaterThan(fallbackAt);
  const url = lines[urlAt]?.slice('Protocol Playground: '.length) ?? '';
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{22,}$/);
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  expect(response.status).toBeLessThan(400);
}

// Building the renderer on a fresh checkout takes a while on a busy machine.
const startupMs = 150_000;

describe('npm start where Electron cannot run', () => {
  it('without an Electron binary: says so in one line and serves browser mode instead', async () => {
    emptyDist = mkdtempSync(join(tmpdir(), 'pp-no-electron-'));
    const app = startApp({ ELECTRON_OVERRIDE_DIST_PATH: emptyDist });
    const stdout = await waitForOutput(app, /^Protocol Playground: \S+$/m, startupMs);
    await expectBrowserModeAfter(
      stdout,
      `Electron is not available here (no Electron binary at ${join(emptyDist, 'electron')} (from ELECTRON_OVERRIDE_DIST_PATH)); opening browser mode instead.`,
    );
  }, 180_000);

  // Where the binary is already downloaded there is nothing for the installer to do.
  it.skipIf(findElectronBinary().found)(
    "without the binary and no way to download it: Electron's installer tries, then one reason, a fix, and browser mode",
    async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as { port: number };
      await new Promise((resolve) => closed.close(resolve));
      emptyDist = mkdtempSync(join(tmpdir(), 'pp-electron-cache-'));
      const env: NodeJS.ProcessEnv = {
        ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
        electron_config_cache: emptyDist,
        PLAYGROUND_ELECTRON_INSTALL_TIMEOUT: '60',
        ELECTRON_OVERRIDE_DIST_PATH: '',
        ELECTRON_SKIP_BINARY_DOWNLOAD: '',
      };
      const app = startApp(env);
      const stdout = await waitForOutput(app, /^Protocol Playground: \S+$/m, startupMs);
      const lines = stdout.split('\n');
      const tried = lines.findIndex((line) => line.startsWith('No Electron binary yet: downloading Electron '));
      const fallback = lines.findIndex((line) => line.startsWith('Electron is not available here'));
      expect(tried).toBeGreaterThanOrEqual(0);
      expect(fallback).toBeGreaterThan(tried);
      await expectBrowserModeAfter(
        stdout,
        `Electron is not available here (blocked: Electron's installer could not download from 127.0.0.1:${port} (ECONNREFUSED connect ECONNREFUSED 127.0.0.1:${port})); opening browser mode instead.`,
      );
      expect(lines[fallback + 1]).toMatch(/^To fix it: .*ELECTRON_MIRROR.*ELECTRON_OVERRIDE_DIST_PATH.*\.$/);
    },
    180_000,
  );

  it.skipIf(process.platform === 'win32')(
    "with Linux's sandbox not set up: the reason, the chown/chmod fix, no sandbox switched off, browser mode",
    async () => {
      emptyDist = mkdtempSync(join(tmpdir(), 'pp-suid-electron-'));
      const fake = join(emptyDist, 'electron');
      const helper = join(emptyDist, 'chrome-sandbox');
      writeFileSync(
        fake,
        [
          '#!/bin/sh',
          'echo "$@" > "$(dirname "$0")/args.txt"',
          `echo '[4242:0101/000000.000000:FATAL:setuid_sandbox_host.cc(158)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I'"'"'m aborting now. You need to make sure that ${helper} is owned by root and has mode 4755.' >&2`,
          'exit 133',
          '',
        ].join('\n'),
      );
      chmodSync(fake, 0o755);
      const app = startApp({ ELECTRON_OVERRIDE_DIST_PATH: emptyDist, DISPLAY: ':99' });
      const stdout = await waitForOutput(app, /^Protocol Playground: \S+$/m, startupMs);
      const lines = stdout.split('\n');
      const at = lines.findIndex((line) => line.startsWith('Electron is not available here'));
      expect(lines[at]).toMatch(/^Electron is not available here \(Linux's sandbox for Electron is not set up: /);
      expect(lines[at + 1]).toBe(
        `To fix it: sudo chown root:root ${helper} && sudo chmod 4755 ${helper}, then \`npm start\` again; ` +
          'on lab machines install the .deb (`npm run dist`), which sets the sandbox up with an AppArmor profile.',
      );
      await expectBrowserModeAfter(stdout, lines[at] ?? '');
      // Electron was started once, with the project only: nothing switched its sandbox off.
      expect(
        readFileSync(join(emptyDist, 'args.txt'), 'utf8')
          .trim()
          .split(' ')
          .map((arg) => resolve(arg)),
      ).toEqual([resolve(root)]);
    },
    180_000,
  );

  it.skipIf(process.platform === 'win32')(
    'with an Electron that dies at once (no X server): one line with the reason, then browser mode',
    async () => {
      emptyDist = mkdtempSync(join(tmpdir(), 'pp-dying-electron-'));
      const fake = join(emptyDist, 'electron');
      writeFileSync(
        fake,
        [
          '#!/bin/sh',
          'echo "$1" > "$(dirname "$0")/args.txt"',
          "echo '[4242:1122/030405.678901:ERROR:ozone_platform_x11.cc(245)] Missing X server or $DISPLAY' >&2",
          'exit 1',
          '',
        ].join('\n'),
      );
      chmodSync(fake, 0o755);
      const app = startApp({ ELECTRON_OVERRIDE_DIST_PATH: emptyDist, DISPLAY: ':99' });
      let stderr = '';
      app.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      const stdout = await waitForOutput(app, /^Protocol Playground: \S+$/m, startupMs);
      const line = stdout.split('\n').find((l) => l.startsWith('Electron is not available here')) ?? '';
      expect(line).toMatch(
        /^Electron is not available here \(it exited with code 1 \d+\.\d s after starting: Missing X server or \$DISPLAY\); opening browser mode instead\.$/,
      );
      await expectBrowserModeAfter(stdout, line);
      // Electron was asked to run this project, and its raw log was replaced by the one line.
      expect(resolve(readFileSync(join(emptyDist, 'args.txt'), 'utf8').trim())).toBe(resolve(root));
      expect(stderr).not.toContain('ozone_platform_x11');
    },
    180_000,
  );
});
