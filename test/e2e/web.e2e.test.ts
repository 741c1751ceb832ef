/**
 * Browser mode end to end: `npm run web -- --no-open --port 0` in its own process,
 * headless Chromium opening the URL it printed, and the real shell talking to the
 * real Node side over the WebSocket.
 *
 * SCREENSHOT_DIR=/some/dir also saves the connected shell as shell.png there.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { skipWithoutChromium } from './support/browser';
import { browserPages } from './support/pages';

const toolLabels = ['UDP', 'TCP', 'HTTP', 'SMTP'];

describe.skipIf(skipWithoutChromium('Browser-mode end-to-end spec'))('browser mode', () => {
  const { open } = browserPages();

  it('opens the printed URL, drops the token from the address, and shows the connected shell', async () => {
    const { app, page, problems } = await open();
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(page.url()).toBe(`${app.origin}/`);

    const statusBar = page.getByRole('contentinfo', { name: 'Status bar' });
    await statusBar.getByText('Connected', { exact: true }).waitFor({ timeout: 15_000 });
    await expect.poll(() => statusBar.textContent()).toContain(`v${packageJson.version}`);
    await expect.poll(() => statusBar.textContent()).toMatch(/App link\s*\d+(\.\d+)? ms/);
    const text = (await statusBar.textContent()) ?? '';
    expect(text).toContain('Browser (WebSocket)');
    expect(text).toContain(`Node ${process.versions.node}`);

    // clock.tick arrives once a second: the shown time must change.
    const clock = statusBar.locator('time');
    await clock.waitFor({ timeout: 5000 });
    const first = await clock.textContent();
    expect(first).toMatch(/^\d\d:\d\d:\d\d$/);
    await expect.poll(() => clock.textContent(), { timeout: 5000, interval: 200 }).not.toBe(first);

    const nav = page.getByRole('navigation', { name: 'Tools' });
    for (const label of toolLabels) {
      const link = nav.getByRole('link', { name: new RegExp(`^${label}\\b`) });
      expect(await link.count()).toBe(1);
      // Every tool has its page now: none says it is coming.
      expect(await link.textContent()).not.toContain('coming');
    }
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Protocol Playground');

    if (process.env.SCREENSHOT_DIR) {
      mkdirSync(process.env.SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, 'shell.png') });
    }
    expect(problems.all).toEqual([]);
  });

  it('is usable from the keyboard: a tool is reached with Tab and Enter, and focus moves to its heading', async () => {
    const { page, problems } = await open();
    await page.getByRole('contentinfo', { name: 'Status bar' }).getByText('Connected', { exact: true }).waitFor();
    const udp = page.getByRole('navigation', { name: 'Tools' }).getByRole('link', { name: /^UDP\b/ });
    for (let i = 0; i < 10 && !(await udp.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    expect(await udp.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).hash).toBe('#/udp');
    const heading = page.getByRole('heading', { level: 1 });
    await expect.poll(() => heading.textContent()).toContain('UDP client and server');
    expect(await heading.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await udp.getAttribute('aria-current')).toBe('page');
    expect(problems.all).toEqual([]);
  });

  it('says it is reconnecting when the host goes away, and the page keeps working', async () => {
    const { app, page, problems } = await open();
    const statusBar = page.getByRole('contentinfo', { name: 'Status bar' });
    await statusBar.getByText('Connected', { exact: true }).waitFor({ timeout: 15_000 });

    await app.stop();
    await statusBar.getByText('Reconnecting…', { exact: true }).waitFor({ timeout: 10_000 });
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('It reconnects by itself');
    await expect.poll(() => statusBar.textContent()).toMatch(/attempt \d+/);

    // Still a working page: navigation needs no host.
    await page
      .getByRole('navigation', { name: 'Tools' })
      .getByRole('link', { name: /^TCP\b/ })
      .click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('TCP client and server');
    // The only complaints allowed are the browser's own about the failing reconnect attempts.
    expect(
      problems.except(
        /WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/ws' failed/,
        /Failed to load resource: net::ERR_CONNECTION_REFUSED/,
      ),
    ).toEqual([]);
  });
});
