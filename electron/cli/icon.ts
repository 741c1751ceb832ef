/**
 * Renders electron/assets/icon.svg to the icon files electron-builder uses as they
 * are: icons/NxN.png (Linux), icon.ico (Windows), icon.icns (macOS), and icon.png
 * (1024×1024, the default for anything else). Run after editing the SVG and commit them all:
 *
 *   npx tsx electron/cli/icon.ts
 *
 * Chromium draws the SVG exactly as the app would; CHROMIUM_PATH picks another binary.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { projectRoot } from './build';
import { icnsFile, icoFile, type IconImage, iconSizes, linuxIconSet } from './iconFiles';

const assets = join(projectRoot, 'electron', 'assets');
export const iconSvg = join(assets, 'icon.svg');
export const iconPng = join(assets, 'icon.png');
export const iconIco = join(assets, 'icon.ico');
export const iconIcns = join(assets, 'icon.icns');
export const linuxIcons = join(assets, 'icons');

/**
 * Runs in the page, handed over as source text: electron/ type-checks without the
 * DOM. Draws the SVG at `sizes` and returns each as PNG bytes and straight RGBA pixels.
 */
const drawInCanvas = `async (svg, sizes) => {
  // A blob: URL of the page's own origin, so the canvas stays readable.
  const image = new Image();
  image.src = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  await image.decode();
  return Promise.all(sizes.map(async (size) => {
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0, size, size);
    const png = await new Promise((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no PNG'))), 'image/png'));
    return {
      size,
      png: new Uint8Array(await png.arrayBuffer()),
      rgba: new Uint8Array(context.getImageData(0, 0, size, size).data.buffer),
    };
  }));
}`;

/** Each size drawn from the vector (not scaled down from one bitmap), so small icons stay sharp. */
async function renderSizes(svg: string, sizes: readonly number[]): Promise<IconImage[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    timeout: 30_000,
  });
  try {
    const page = await browser.newPage();
    // Playwright carries typed arrays across as they are.
    return (await page.evaluate(`(${drawInCanvas})(${JSON.stringify(svg)}, ${JSON.stringify(sizes)})`)) as IconImage[];
  } finally {
    await browser.close();
  }
}

async function renderIcons(): Promise<void> {
  const images = await renderSizes(readFileSync(iconSvg, 'utf8'), iconSizes);
  const largest = images.find(({ size }) => size === 1024);
  if (!largest) throw new Error('no 1024×1024 rendering');
  writeFileSync(iconPng, largest.png);
  writeFileSync(iconIco, icoFile(images));
  writeFileSync(iconIcns, icnsFile(images));
  mkdirSync(linuxIcons, { recursive: true });
  for (const [name, png] of linuxIconSet(images)) writeFileSync(join(linuxIcons, name), png);
}

renderIcons().then(
  () => console.log(`wrote ${[iconPng, iconIco, iconIcns, linuxIcons].join(', ')}`),
  (error: unknown) => {
    console.error(`could not render the icons: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
