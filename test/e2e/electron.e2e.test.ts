/**
 * The real Electron app through Playwright's `_electron`, when an Electron binary
 * is available (a normal online `npm install`, or ELECTRON_OVERRIDE_DIST_PATH).
 * Skipped with the reason otherwise.
 *
 * Which app (same specs for both):
 *   PLAYGROUND_ELECTRON_APP unset or `dev`   the development build (npm run build) in the Electron found
 *                                            the way `npm start` finds it
 *   PLAYGROUND_ELECTRON_APP=packaged         the unpacked package from `npm run dist -- --test`
 *                                            (dist/linux-unpacked, dist/win-unpacked or dist/mac*);
 *                                            the test profile leaves the fuses off so Playwright can attach
 *   PLAYGROUND_ELECTRON_APP=<path>           that packaged executable
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { type ElectronApplication, _electron as electron, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appVersion, productName } from '../../electron/app/version';
import { buildElectron, buildRenderer, projectRoot, rendererIsStale } from '../../electron/cli/build';
import { findElectronBinary } from '../../electron/cli/electronBinary';
import { missingDisplay } from '../../electron/cli/start';

type Target =
  | { kind: 'dev'; executablePath: string }
  | { kind: 'packaged'; executablePath: string }
  | { kind: 'unavailable'; reason: string };

/** The packaged executable electron-builder's `--dir` leaves under dist/ for this platform. */
function packagedExecutable(platform: NodeJS.Platform): string | undefined {
  const dist = join(projectRoot, 'dist');
  const candidates =
    platform === 'win32'
      ? [join(dist, 'win-unpacked', `${productName}.exe`)]
      : platform === 'darwin'
        ? ['mac-arm64', 'mac', 'mac-universal'].map((dir) =>
            join(dist, dir, `${productName}.app`, 'Contents', 'MacOS', productName),
          )
        : [join(dist, 'linux-unpacked', 'protocol-playground')];
  return candidates.find((path) => existsSync(path));
}

function chooseTarget(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Target {
  const found = findApp(env, platform);
  const display = found.kind === 'unavailable' ? undefined : missingDisplay(env, platform);
  return display ? { kind: 'unavailable', reason: display } : found;
}

function findApp(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Target {
  const wanted = env.PLAYGROUND_ELECTRON_APP ?? 'dev';
  if (wanted === 'dev') {
    const binary = findElectronBinary({ env, platform });
    return binary.found
      ? { kind: 'dev', executablePath: binary.executablePath }
      : { kind: 'unavailable', reason: binary.reason };
  }
  if (wanted === 'packaged') {
    const executablePath = packagedExecutable(platform);
    return executablePath
      ? { kind: 'packaged', executablePath }
      : {
          kind: 'unavailable',
          reason: 'PLAYGROUND_ELECTRON_APP=packaged but no unpacked build under dist/ (run `npm run dist -- --test`)',
        };
  }
  const executablePath = isAbsolute(wanted) ? wanted : resolve(projectRoot, wanted);
  return existsSync(executablePath)
    ? { kind: 'packaged', executablePath }
    : { kind: 'unavailable', reason: `PLAYGROUND_ELECTRON_APP=${wanted}: no such executable` };
}

const target = chooseTarget(process.env, process.platform);
if (target.kind === 'unavailable') console.log(`Electron end-to-end spec skipped: ${target.reason}.`);
else console.log(`Electron end-to-end spec: the ${target.kind} app (${target.executablePath}).`);

describe.skipIf(target.kind === 'unavailable')('the Electron app', () => {
  let app: ElectronApplication | undefined;
  let page: Page;

  beforeAll(async () => {
    if (target.kind === 'unavailable') return;
    if (target.kind === 'dev') {
      if (rendererIsStale()) await buildRenderer({ quiet: true });
      await buildElectron();
    }
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    app = await electron.launch({
      executablePath: target.executablePath,
      // Chromium refuses to run as root (CI containers) with its OS sandbox on.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ...(target.kind === 'dev' ? [projectRoot] : [])],
      env: env as Record<string, string>,
      timeout: 60_000,
    });
    page = await app.firstWindow();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('shows the version in the status bar, over the Electron transport', async () => {
    const statusBar = page.getByRole('contentinfo', { name: 'Status bar' });
    await expect.poll(() => statusBar.textContent(), { timeout: 30_000 }).toContain(`v${appVersion}`);
    expect(await statusBar.textContent()).toContain('Electron');
  });

  it('gives the page exactly the bridge and no Node', async () => {
    const seen = await page.evaluate(() => {
      const scope = window as unknown as Record<string, unknown>;
      return {
        bridge: Object.keys((scope.playground ?? {}) as object).sort(),
        require: typeof scope.require,
        process: typeof scope.process,
      };
    });
    expect(seen).toEqual({ bridge: ['onFrame', 'send', 'version'], require: 'undefined', process: 'undefined' });
  });

  it('loads the page from app:// with the CSP as a response header', async () => {
    expect(page.url()).toMatch(/^app:\/\/playground\//);
    const csp = await page.evaluate(async () => {
      const response = await fetch('app://playground/index.html');
      return response.headers.get('content-security-policy');
    });
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('opens no windows and does not navigate away', async () => {
    const opened = await page.evaluate(() => window.open('file:///etc/passwd') === null);
    expect(opened).toBe(true);
    await page.evaluate(() => {
      window.location.href = 'file:///etc/passwd';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^app:\/\/playground\//);
    expect(app?.windows()).toHaveLength(1);
  });

  it('denies permission requests', async () => {
    expect(await page.evaluate(() => Notification.requestPermission())).toBe('denied');
  });

  it('has no Reload or DevTools in the menu of a packaged build', async () => {
    const roles = await app?.evaluate(({ Menu }) => {
      const collect = (items: Electron.MenuItem[]): string[] =>
        items.flatMap((item) => [String(item.role ?? '').toLowerCase(), ...collect(item.submenu?.items ?? [])]);
      return collect(Menu.getApplicationMenu()?.items ?? []);
    });
    const developmentRoles = ['reload', 'forcereload', 'toggledevtools'];
    if (target.kind === 'packaged') for (const role of developmentRoles) expect(roles).not.toContain(role);
    else expect(roles).toEqual(expect.arrayContaining(developmentRoles));
  });
});
