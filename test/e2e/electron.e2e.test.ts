/**
 * The real Electron app through Playwright's `_electron`, when an Electron binary
 * is available (a normal online `npm install`, or ELECTRON_OVERRIDE_DIST_PATH).
 * Found the same way `npm start` finds it; skipped with the reason otherwise.
 */
import { type ElectronApplication, _electron as electron, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appVersion } from '../../electron/app/version';
import { buildElectron, buildRenderer, projectRoot, rendererIsStale } from '../../electron/cli/build';
import { findElectronBinary } from '../../electron/cli/electronBinary';
import { missingDisplay } from '../../electron/cli/start';

const binary = findElectronBinary();
const unavailable = binary.found ? missingDisplay(process.env, process.platform) : binary.reason;
if (unavailable) console.log(`Electron end-to-end spec skipped: ${unavailable}.`);

describe.skipIf(unavailable !== undefined)('the Electron app', () => {
  let app: ElectronApplication | undefined;
  let page: Page;

  beforeAll(async () => {
    if (!binary.found) return;
    if (rendererIsStale()) await buildRenderer({ quiet: true });
    await buildElectron();
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    app = await electron.launch({
      executablePath: binary.executablePath,
      // Chromium refuses to run as root (CI containers) with its OS sandbox on.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), projectRoot],
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
});
