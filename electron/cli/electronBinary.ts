/**
 * Finds the Electron executable without loading the `electron` package: its
 * index.js downloads Electron when the binary is missing, synchronously and with
 * no time limit. `npm start` runs that download itself when it is needed
 * (electron/cli/installElectron.ts); the e2e spec only looks.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { projectRoot } from './build';

export type ElectronBinary =
  | { found: true; executablePath: string }
  /** `packageDir`: set when Electron's own installer (its install.js) can fetch the binary. */
  | { found: false; reason: string; packageDir?: string };

/** The executable's path inside Electron's dist folder, as the electron package's installer names it. */
export function platformExecutable(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/**
 * Where `electron` would run from: `ELECTRON_OVERRIDE_DIST_PATH` (as the electron
 * package honours it), else node_modules/electron/dist/<path.txt>. The reason
 * says what is missing, in words a student can act on.
 */
export function findElectronBinary(
  options: { root?: string; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform } = {},
): ElectronBinary {
  const { root = projectRoot, env = process.env, platform = process.platform } = options;
  const packageDir = electronPackageDir(root);
  const pathFile = packageDir && join(packageDir, 'path.txt');
  const recorded = pathFile && existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const executable = recorded || platformExecutable(platform);

  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const executablePath = join(override, executable);
    return runnable(executablePath, platform)
      ? { found: true, executablePath }
      : { found: false, reason: `no Electron binary at ${executablePath} (from ELECTRON_OVERRIDE_DIST_PATH)` };
  }
  if (!packageDir) return { found: false, reason: 'the electron package is not installed (run npm install)' };
  const shown = relative(root, join(packageDir, 'dist')) || join(packageDir, 'dist');
  // Since electron 45 npm install downloads nothing: the binary comes on first use.
  if (!recorded) {
    return {
      found: false,
      reason: `no Electron binary in ${shown} yet (Electron downloads it on first use)`,
      packageDir,
    };
  }
  const executablePath = join(packageDir, 'dist', recorded);
  return runnable(executablePath, platform)
    ? { found: true, executablePath }
    : { found: false, reason: `no Electron binary at ${join(shown, recorded)} (an unfinished download)`, packageDir };
}

function electronPackageDir(root: string): string | undefined {
  try {
    // Resolving package.json only finds the folder; it runs nothing.
    return dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

function runnable(path: string, platform: NodeJS.Platform): boolean {
  try {
    accessSync(path, platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
