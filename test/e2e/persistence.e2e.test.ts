/**
 * Persistent vs non-persistent HTTP end to end in browser mode: the HTTP tool's experiment
 * run from its region with a 50 ms link, the four modes' totals ordered as the textbook
 * predicts, each beside its prediction; and the web server's own Emulated link group.
 *
 * SCREENSHOT_DIR=/some/dir also saves persistence-1280.png there.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { skipWithoutChromium } from './support/browser';
import { browserPages } from './support/pages';

async function openHttp(page: Page): Promise<void> {
  await page.getByRole('contentinfo', { name: 'Status bar' }).getByText('Connected', { exact: true }).waitFor();
  await page.getByRole('navigation', { name: 'Tools' }).getByRole('link', { name: 'HTTP' }).click();
  await page.getByRole('textbox', { name: 'Raw request' }).waitFor();
}

describe.skipIf(skipWithoutChromium('persistence end-to-end spec'))('persistent vs non-persistent', () => {
  const pages = browserPages({ width: 1280, height: 800 });

  it('runs the four modes over a 50 ms link: totals ordered as the textbook predicts, predictions beside them', async () => {
    const { page, problems } = await pages.open();
    await openHttp(page);
    // The web server panel has the link group too.
    const webServer = page.getByRole('region', { name: 'Web server' });
    const group = webServer.getByRole('group', { name: 'Emulated link' });
    await expect(group.getByRole('textbox', { name: 'Delay (ms)' }).isVisible()).resolves.toBe(true);
    await expect(group.getByRole('textbox', { name: 'Loss (%)' }).isDisabled()).resolves.toBe(true);
    await expect(group.getByRole('textbox', { name: 'Bandwidth (bytes/s)' }).isVisible()).resolves.toBe(true);

    const region = page.getByRole('region', { name: 'Persistent vs non-persistent' });
    await expect(region.getByRole('textbox', { name: 'Delay (ms)' }).inputValue()).resolves.toBe('50');
    await region.getByRole('button', { name: 'Run' }).click();
    const rows = region.locator('tbody tr');
    await rows.nth(3).waitFor({ timeout: 30_000 });
    await region.getByRole('button', { name: 'Run' }).and(page.locator(':enabled')).waitFor();

    const read = async (mode: string) => {
      const row = region.locator(`tr[data-mode="${mode}"]`);
      const measured = Number(await row.locator('[data-measured-ms]').getAttribute('data-measured-ms'));
      const predicted = Number(await row.locator('[data-predicted-ms]').getAttribute('data-predicted-ms'));
      const cells = await row.locator('td').allInnerTexts();
      return { measured, predicted, connections: Number(cells[2]), perConnection: cells[3] };
    };
    const serial = await read('serial');
    const parallel = await read('parallel');
    const persistent = await read('persistent');
    const pipelined = await read('pipelined');
    // N = 5, k = 2, RTT ≈ 100 ms: 12, 8, 7 and 3 RTT by the textbook.
    expect(serial.predicted).toBeGreaterThan(1150);
    expect(pipelined.predicted).toBeLessThan(350);
    const rtt = 100;
    expect(serial.measured).toBeGreaterThan(parallel.measured + rtt);
    // One RTT apart by the textbook; half an RTT of tolerance for a loaded machine.
    expect(parallel.measured).toBeGreaterThan(persistent.measured + rtt / 2);
    expect(persistent.measured).toBeGreaterThan(pipelined.measured + 2 * rtt);
    for (const mode of [serial, parallel, persistent, pipelined]) {
      expect(Math.abs(mode.measured - mode.predicted)).toBeLessThan(Math.max(150, mode.predicted * 0.35));
    }
    expect([serial.connections, parallel.connections, persistent.connections, pipelined.connections]).toEqual([
      6, 6, 1, 1,
    ]);
    expect(persistent.perConnection).toBe('6');
    await expect(region.getByText(/2 RTT \+ 1 RTT for all N/).count()).resolves.toBe(1);
    await expect(region.getByText(/Measured RTT \d+\.\d ms/).count()).resolves.toBe(1);
    await expect(region.getByRole('button', { name: 'Copy as CSV' }).isVisible()).resolves.toBe(true);

    const dir = process.env.SCREENSHOT_DIR;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      await region.getByRole('button', { name: 'Run' }).evaluate((run) => run.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(dir, 'persistence-1280.png') });
    }
    expect(problems.all).toEqual([]);
  }, 90_000);
});
