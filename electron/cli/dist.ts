/**
 * `npm run dist`: builds the app, then its installers for this platform with
 * electron-builder (electron-builder.yml): AppImage + deb on Linux, NSIS
 * installer + portable exe on Windows, dmg on macOS.
 *
 *   npm run dist                      release installers for this platform (fuses on)
 *   npm run dist -- --test            an unpacked test build (fuses off, so Playwright can drive it),
 *                                     e.g. dist/linux-unpacked
 *   npm run dist -- --win nsis ...    anything else goes to electron-builder as is
 *
 * Builds are unsigned unless signing variables (CSC_LINK / CSC_NAME, WIN_CSC_LINK)
 * are set: without them, certificate auto-discovery is turned off so a developer's
 * keychain identity is never picked up by surprise.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron, buildRenderer, projectRoot } from './build';

export const releaseConfig = join(projectRoot, 'electron-builder.yml');
export const testConfig = join(projectRoot, 'electron', 'electron-builder.test.yml');

export interface DistPlan {
  /** electron-builder's command-line arguments. */
  readonly args: readonly string[];
  /** Variables set on top of the caller's environment. */
  readonly env: Readonly<Record<string, string>>;
}

const signingVariables = ['CSC_LINK', 'CSC_NAME', 'WIN_CSC_LINK'];

/** What electron-builder is asked to do for `npm run dist -- <argv>`. */
export function distPlan(argv: readonly string[], env: NodeJS.ProcessEnv): DistPlan {
  const test = argv.includes('--test');
  const rest = argv.filter((arg) => arg !== '--test');
  const args = [
    '--config',
    test ? testConfig : releaseConfig,
    '--publish',
    'never',
    ...(test ? ['--dir'] : []),
    ...rest,
  ];
  const extra: Record<string, string> = {};
  if (!signingVariables.some((name) => env[name])) extra.CSC_IDENTITY_AUTO_DISCOVERY = 'false';
  return { args, env: extra };
}

async function runDist(argv: readonly string[]): Promise<number> {
  await buildRenderer({ quiet: true });
  await buildElectron();
  const plan = distPlan(argv, process.env);
  const cli = join(projectRoot, 'node_modules', 'electron-builder', 'cli.js');
  const child = spawn(process.execPath, [cli, ...plan.args], {
    cwd: projectRoot,
    env: { ...process.env, ...plan.env },
    stdio: 'inherit',
  });
  return new Promise((resolve) => {
    child.once('error', (error) => {
      console.error(`npm run dist: could not run electron-builder: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runDist(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`npm run dist: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
