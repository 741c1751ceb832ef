/**
 * Renders electron/assets/icon.svg to the 1024×1024 icon.png electron-builder
 * starts from (it derives the Windows .ico and macOS .icns from it). Run after
 * editing the SVG and commit both:
 *
 *   npx tsx electron/cli/icon.ts
 *
 * Chromium draws the SVG exactly as the app would; CHROMIUM_PATH picks another binary.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { projectRoot } from './build';

export const iconSvg = join(projectRoot, 'electron', 'assets', 'icon.svg');
export const iconPng = join(projectRoot, 'electron', 'assets', 'icon.png');
export const iconSize = 1024;

async function renderIcon(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    timeout: 30_000,
  });
  try {
    const page = await browser.newPage({ viewport: { width: iconSize, height: iconSize }, deviceScaleFactor: 1 });
    const svg = readFileSync(iconSvg, 'utf8');
    await page.setContent(
      `<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block}</style>${svg}`,
    );
    // Transparent corners: the tile is rounded and inset.
    await page.screenshot({
      path: iconPng,
      omitBackground: true,
      clip: { x: 0, y: 0, width: iconSize, height: iconSize },
    });
  } finally {
    await browser.close();
  }
}

renderIcon().then(
  () => console.log(`wrote ${iconPng}`),
  (error: unknown) => {
    console.error(`could not render the icon: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
