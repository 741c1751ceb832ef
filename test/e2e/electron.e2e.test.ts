/**
 * The real Electron app through Playwright's `_electron`, when an Electron binary
 * is available (once `npm start` or `npx install-electron` downloaded it, or
 * ELECTRON_OVERRIDE_DIST_PATH). Skipped with the reason otherwise.
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
import { connect } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { type ElectronApplication, _electron as electron, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appVersion, productName } from '../../electron/app/version';
import { buildElectron, buildRenderer, projectRoot, rendererIsStale } from '../../electron/cli/build';
import { findElectronBinary } from '../../electron/cli/electronBinary';
import { missingDisplay } from '../../electron/cli/start';
import { freeTcpPort } from '../support/ports';

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

/** The TCP tool with its built-in server started, line by line, on a free port. */
async function startLineServer(page: Page): Promise<number> {
  await page.getByRole('navigation', { name: 'Tools' }).getByRole('link', { name: 'TCP' }).click();
  const server = page.getByRole('region', { name: 'TCP server' });
  const options = await server.getByLabel('Mode').locator('option').allTextContents();
  const lineMode = options.find((text) => /line/i.test(text));
  if (!lineMode) throw new Error(`no line-by-line mode among ${options.join(' | ')}`);
  await server.getByLabel('Mode').selectOption({ label: lineMode });
  const port = await freeTcpPort();
  await server.getByLabel('Port', { exact: true }).fill(String(port));
  await server.getByRole('button', { name: 'Start' }).click();
  await server.getByText(`Listening on 127.0.0.1:${port}`, { exact: true }).waitFor();
  return port;
}

/** True when 127.0.0.1:`port` accepts a TCP connection. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
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
    if (binary.found) return { kind: 'dev', executablePath: binary.executablePath };
    // This spec only looks; it never downloads.
    const hint = binary.packageDir ? '; `npx install-electron` (or `npm start`) downloads it' : '';
    return { kind: 'unavailable', reason: `${binary.reason}${hint}` };
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
  /** The TCP server the Copy spec started, still running for the link spec. */
  let serverPort = 0;

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

  it('Copy as text puts a transcript on the system clipboard (the one permission the page has)', async () => {
    serverPort = await startLineServer(page);
    const port = serverPort;
    const client = page.getByRole('region', { name: 'TCP client' });
    await client.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await client.getByLabel('Port', { exact: true }).fill(String(port));
    await client.getByRole('button', { name: 'Connect', exact: true }).click();
    await client.getByRole('button', { name: 'Disconnect' }).waitFor();
    await client.getByLabel('Message').fill('hello\\n');
    await client.getByRole('button', { name: 'Send', exact: true }).click();
    const transcript = client.getByRole('log', { name: 'Transcript' });
    await expect.poll(() => transcript.textContent()).toContain('HELLO');

    await app?.evaluate(({ clipboard }) => clipboard.writeText(''));
    await client.getByRole('button', { name: 'Copy as text' }).click();
    await expect.poll(() => app?.evaluate(({ clipboard }) => clipboard.readText())).toContain('HELLO');
    expect(await client.locator('.copy-status').first().getAttribute('class')).not.toContain('is-error');
  });

  it('keeps a running server and connection through a link the user declines to open', async () => {
    // The page stays put whatever happens here: answer the "open in your browser?" question with Cancel.
    await app?.evaluate(({ dialog }) => {
      const asked: string[] = [];
      Object.assign(globalThis, { askedToOpen: asked });
      dialog.showMessageBox = (async (...args: Array<{ detail?: string }>) => {
        asked.push(args.at(-1)?.detail ?? '');
        return { response: 1, checkboxChecked: false };
      }) as unknown as typeof dialog.showMessageBox;
    });
    const port = serverPort || (await startLineServer(page));
    const nowhere = `http://127.0.0.1:${await freeTcpPort()}/`;
    await page.evaluate((url) => {
      window.location.href = url;
    }, nowhere);
    await expect
      .poll(() => app?.evaluate(() => (globalThis as unknown as { askedToOpen: string[] }).askedToOpen))
      .toEqual([nowhere]);
    expect(page.url()).toMatch(/^app:\/\/playground\//);
    // The page's session lives on: its server still accepts, its client is still connected.
    expect(await accepts(port)).toBe(true);
    await page.getByRole('region', { name: 'TCP client' }).getByRole('button', { name: 'Disconnect' }).waitFor();
    await page.getByRole('region', { name: 'TCP client' }).getByRole('button', { name: 'Disconnect' }).click();
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
