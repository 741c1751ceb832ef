/**
 * How `npm start` decides whether Electron can run: finding the binary without
 * loading the electron package, and the one line it prints when it cannot.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findElectronBinary, platformExecutable } from '../../../../electron/cli/electronBinary';
import {
  fallbackLine,
  fixLine,
  missingDisplay,
  sandboxProblem,
  startFailureReason,
} from '../../../../electron/cli/start';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A project folder with an electron package in the given state of installation. */
function project(state: { pathTxt?: string; binary?: boolean; packageInstalled?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'pp-start-'));
  roots.push(root);
  writeFileSync(join(root, 'package.json'), '{"name":"p"}');
  if (state.packageInstalled === false) return root;
  const electron = join(root, 'node_modules', 'electron');
  mkdirSync(join(electron, 'dist'), { recursive: true });
  writeFileSync(join(electron, 'package.json'), '{"name":"electron","main":"index.js"}');
  // Loading this would be the mistake the finder must not make.
  writeFileSync(join(electron, 'index.js'), 'throw new Error("the electron package was loaded")');
  if (state.pathTxt !== undefined) writeFileSync(join(electron, 'path.txt'), state.pathTxt);
  if (state.binary) {
    const binary = join(electron, 'dist', state.pathTxt ?? 'electron');
    writeFileSync(binary, '#!/bin/sh\n');
    chmodSync(binary, 0o755);
  }
  return root;
}

const noOverride = {};

describe('findElectronBinary', () => {
  it('says the binary is not downloaded yet when path.txt was never written, and where its installer is', () => {
    const root = project();
    const result = findElectronBinary({ root, env: noOverride, platform: 'linux' });
    expect(result).toEqual({
      found: false,
      reason: 'no Electron binary in node_modules/electron/dist yet (Electron downloads it on first use)',
      packageDir: join(root, 'node_modules', 'electron'),
    });
  });

  it('reports an unfinished download when path.txt names a binary that is not there', () => {
    const root = project({ pathTxt: 'electron' });
    const result = findElectronBinary({ root, env: noOverride, platform: 'linux' });
    expect(result).toMatchObject({
      found: false,
      reason: expect.stringContaining('node_modules/electron/dist/electron'),
      packageDir: join(root, 'node_modules', 'electron'),
    });
  });

  it('finds the downloaded binary from path.txt', () => {
    const root = project({ pathTxt: 'electron', binary: true });
    expect(findElectronBinary({ root, env: noOverride, platform: 'linux' })).toEqual({
      found: true,
      executablePath: join(root, 'node_modules', 'electron', 'dist', 'electron'),
    });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH, and says when it points at nothing', () => {
    const root = project();
    const dist = mkdtempSync(join(tmpdir(), 'pp-electron-dist-'));
    roots.push(dist);
    const env = { ELECTRON_OVERRIDE_DIST_PATH: dist };
    // No packageDir: a chosen binary that is missing is not downloaded over.
    expect(findElectronBinary({ root, env, platform: 'linux' })).toEqual({
      found: false,
      reason: `no Electron binary at ${join(dist, 'electron')} (from ELECTRON_OVERRIDE_DIST_PATH)`,
    });
    writeFileSync(join(dist, 'electron'), '#!/bin/sh\n');
    chmodSync(join(dist, 'electron'), 0o755);
    expect(findElectronBinary({ root, env, platform: 'linux' })).toEqual({
      found: true,
      executablePath: join(dist, 'electron'),
    });
  });

  it('says so when the electron package is not installed at all', () => {
    const root = project({ packageInstalled: false });
    const result = findElectronBinary({ root, env: noOverride, platform: 'linux' });
    expect(result).toMatchObject({ found: false });
  });

  it('names the executable as the electron installer does on each platform', () => {
    expect(platformExecutable('linux')).toBe('electron');
    expect(platformExecutable('win32')).toBe('electron.exe');
    expect(platformExecutable('darwin')).toBe('Electron.app/Contents/MacOS/Electron');
  });
});

describe('the fallback line', () => {
  it('is one line saying what is missing and what happens instead, then one saying how to fix it', () => {
    const line = fallbackLine("offline: Electron's installer could not reach github.com (ENOTFOUND)");
    expect(line).toBe(
      "Electron is not available here (offline: Electron's installer could not reach github.com (ENOTFOUND)); opening browser mode instead.",
    );
    expect(line).not.toContain('\n');
    expect(fixLine('connect to the internet and run `npm start` again')).toBe(
      'To fix it: connect to the internet and run `npm start` again.',
    );
  });

  it('explains an early exit with the telling line of Chromium’s output, without its log prefix', () => {
    const stderr = [
      '[12345:1122/030405.678901:ERROR:ozone_platform_x11.cc(245)] Missing X server or $DISPLAY',
      '[12345:1122/030405.678950:ERROR:env.cc(257)] The platform failed to initialize.  Exiting.',
      '',
    ].join('\n');
    expect(startFailureReason({ code: 1, signal: null }, 420, stderr)).toBe(
      'it exited with code 1 0.4 s after starting: Missing X server or $DISPLAY',
    );
    expect(
      startFailureReason(
        { code: 127, signal: null },
        30,
        'electron: error while loading shared libraries: libnss3.so: cannot open shared object file\n',
      ),
    ).toContain('libnss3.so');
    expect(startFailureReason({ code: null, signal: 'SIGTRAP' }, 1200, '')).toBe(
      'it was killed by SIGTRAP 1.2 s after starting',
    );
  });

  it('knows Linux needs a display', () => {
    expect(missingDisplay({}, 'linux')).toContain('DISPLAY');
    expect(missingDisplay({ DISPLAY: ':99' }, 'linux')).toBeUndefined();
    expect(missingDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBeUndefined();
    expect(missingDisplay({}, 'win32')).toBeUndefined();
  });
});

describe("Linux's sandbox refusing to start", () => {
  const executable = '/home/student/pp/node_modules/electron/dist/electron';
  const helper = '/home/student/pp/node_modules/electron/dist/chrome-sandbox';

  it('recognises the SUID helper failure (Ubuntu 24.04+) and gives the chown/chmod fix or the .deb', () => {
    const stderr =
      '[12345:0101/000000.000000:FATAL:setuid_sandbox_host.cc(158)] The SUID sandbox helper binary was found, ' +
      "but is not configured correctly. Rather than run without sandboxing I'm aborting now. You need to make " +
      `sure that ${helper} is owned by root and has mode 4755.\n`;
    const problem = sandboxProblem(stderr, executable);
    expect(problem?.reason).toMatch(/^Linux's sandbox for Electron is not set up: .*chrome-sandbox.*4755/);
    expect(problem?.fix).toBe(
      `sudo chown root:root ${helper} && sudo chmod 4755 ${helper}, then \`npm start\` again; ` +
        'on lab machines install the .deb (`npm run dist`), which sets the sandbox up with an AppArmor profile',
    );
    // Never the workaround that switches the sandbox off.
    expect(`${problem?.reason} ${problem?.fix}`).not.toMatch(/no-sandbox/);
  });

  it('names the helper beside the executable when the message does not, and knows "No usable sandbox!"', () => {
    const problem = sandboxProblem('[1:2:FATAL:zygote_host_impl_linux.cc(128)] No usable sandbox! ...\n', executable);
    expect(problem?.fix).toContain(`sudo chown root:root ${helper}`);
  });

  it('as root: run as a normal user', () => {
    const problem = sandboxProblem(
      '[1:2:FATAL:electron_main_delegate.cc(294)] Running as root without --no-sandbox is not supported. See https://crbug.com/638180.\n',
      executable,
    );
    expect(problem).toEqual({
      reason: 'Electron does not run as root with its sandbox on',
      fix: 'run `npm start` as a normal user (or use browser mode, `npm run web`)',
    });
  });

  it('leaves other failures to the general reason', () => {
    expect(sandboxProblem('Missing X server or $DISPLAY\n', executable)).toBeUndefined();
  });
});
