/**
 * The shell's layout on a lab monitor (1280×800) and a small one (1024×768): on every
 * tool the header, navigation and status bar stay put and only the tool's own area
 * scrolls, whatever the wheel is over.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { skipWithoutChromium } from './support/browser';
import { findCutOffText, statusBarLines } from './support/cutOff';
import { browserPages } from './support/pages';

const tools = ['', 'udp', 'tcp', 'http', 'smtp', 'dns'];
const sizes = [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
];

async function documentScroll(page: Page) {
  return page.evaluate(() => ({
    scrollY: window.scrollY,
    scrollHeight: document.scrollingElement?.scrollHeight ?? 0,
    innerHeight: window.innerHeight,
  }));
}

describe.skipIf(skipWithoutChromium('Layout end-to-end spec'))('the shell stays put', () => {
  for (const viewport of sizes) {
    describe(`at ${viewport.width}×${viewport.height}`, () => {
      const { open } = browserPages(viewport);

      it('never scrolls the document on any tool; the wheel over the shell moves nothing', async () => {
        const { app, page, problems } = await open();
        const statusBar = page.getByRole('contentinfo', { name: 'Status bar' });
        await statusBar.getByText('Connected', { exact: true }).waitFor({ timeout: 15_000 });
        for (const tool of tools) {
          await page.goto(`${app.origin}/#/${tool}`);
          await page.getByRole('heading', { level: 1 }).waitFor();
          const before = await documentScroll(page);
          expect(before.scrollHeight, `#/${tool}: the document is taller than the window`).toBeLessThanOrEqual(
            before.innerHeight,
          );
          for (const region of [page.getByRole('navigation', { name: 'Tools' }), page.getByRole('banner'), statusBar]) {
            const box = await region.boundingBox();
            if (!box) throw new Error(`#/${tool}: a shell region is not shown`);
            await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
            await page.mouse.wheel(0, 2000);
          }
          await page.waitForTimeout(100);
          expect((await documentScroll(page)).scrollY, `#/${tool}: the wheel scrolled the document`).toBe(0);
          const bar = await statusBar.boundingBox();
          expect(bar && Math.round(bar.y + bar.height), `#/${tool}: the status bar left the bottom`).toBe(
            viewport.height,
          );
          expect((await page.getByRole('banner').boundingBox())?.y).toBe(0);
          expect(await findCutOffText(page), `#/${tool}: text cut off`).toEqual([]);
          expect(await statusBarLines(page), `#/${tool}: the status bar wraps`).toBe(1);
        }
        expect(problems.all).toEqual([]);
      });
    });
  }
});
