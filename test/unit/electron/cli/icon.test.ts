/**
 * The app icon for every platform: electron-builder's own icon resolver must take
 * the checked-in .ico (Windows), .icns (macOS) and .png (Linux) as they are, with
 * no converter to download, and each file must hold real images of the right sizes.
 * The files are read here with parsers written from the formats, independent of
 * electron/cli/iconFiles.ts, which wrote them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../../electron/cli/build';
import { releaseConfig } from '../../../../electron/cli/dist';
import { type IconImage, icnsFile, icoFile, icoSizes, linuxIconSizes } from '../../../../electron/cli/iconFiles';
import { builderRequire, linuxTargetHelper, loadBuilderConfig } from './builderHarness';

const yaml = builderRequire('js-yaml') as { load(text: string): unknown };
const { convertIcon } = builderRequire('./out/util/iconConverter.js') as {
  convertIcon(options: {
    sources: string[];
    fallbackSources: string[];
    roots: string[];
    format: 'ico' | 'icns' | 'set';
    outDir: string;
  }): Promise<{ icons: Array<{ file: string; size: number }>; isFallback: boolean }>;
};

interface IconConfig {
  icon: string;
  directories: { buildResources: string };
  win: { icon?: string };
  mac: { icon?: string };
  linux: { icon?: string };
}
const config = yaml.load(readFileSync(releaseConfig, 'utf8')) as IconConfig;

let temp: string;
let toolsetBefore: string | undefined;

beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'pp-icons-'));
  // An empty toolset folder: a conversion would fail at once here instead of downloading one.
  toolsetBefore = process.env.ELECTRON_BUILDER_ICONS_TOOLSET_DIR;
  process.env.ELECTRON_BUILDER_ICONS_TOOLSET_DIR = temp;
});

afterAll(() => {
  if (toolsetBefore === undefined) delete process.env.ELECTRON_BUILDER_ICONS_TOOLSET_DIR;
  else process.env.ELECTRON_BUILDER_ICONS_TOOLSET_DIR = toolsetBefore;
  rmSync(temp, { recursive: true, force: true });
});

/** What a platform packager's getOrConvertIcon asks the resolver: the platform's icon, else the top-level one. */
function resolveAs(platformIcon: string | undefined, format: 'ico' | 'icns' | 'set') {
  return convertIcon({
    sources: [platformIcon ?? config.icon],
    fallbackSources: [],
    roots: [resolve(projectRoot, config.directories.buildResources), projectRoot],
    format,
    outDir: join(temp, `.icon-${format}`),
  });
}

interface PngHeader {
  width: number;
  height: number;
  colourType: number;
}

function pngHeader(bytes: Uint8Array): PngHeader | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!buffer.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))) return undefined;
  if (buffer.subarray(12, 16).toString('latin1') !== 'IHDR') return undefined;
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20), colourType: buffer.readUInt8(25) };
}

interface IcoEntry {
  size: number;
  bitCount: number;
  data: Buffer;
}

function icoEntries(file: Buffer): IcoEntry[] {
  expect([file.readUInt16LE(0), file.readUInt16LE(2)]).toEqual([0, 1]);
  const entries: IcoEntry[] = [];
  let end = 6 + 16 * file.readUInt16LE(4);
  for (let index = 0; index < file.readUInt16LE(4); index++) {
    const at = 6 + 16 * index;
    const width = file.readUInt8(at) || 256;
    expect(file.readUInt8(at + 1) || 256).toBe(width);
    const length = file.readUInt32LE(at + 8);
    const offset = file.readUInt32LE(at + 12);
    // Entries follow the directory one after another, inside the file.
    expect(offset).toBe(end);
    end = offset + length;
    expect(end).toBeLessThanOrEqual(file.length);
    entries.push({ size: width, bitCount: file.readUInt16LE(at + 6), data: file.subarray(offset, end) });
  }
  expect(end).toBe(file.length);
  return entries;
}

/** A BMP entry's pixel at (x, y) counted from the top, as RGBA, and whether its AND-mask bit is set. */
function bitmapPixel(data: Buffer, size: number, x: number, y: number) {
  const row = size - 1 - y;
  const at = 40 + (row * size + x) * 4;
  const maskAt = 40 + size * size * 4 + row * Math.ceil(size / 32) * 4 + (x >> 3);
  return {
    rgba: [data[at + 2], data[at + 1], data[at], data[at + 3]] as number[],
    masked: ((data[maskAt] ?? 0) & (0x80 >> (x & 7))) !== 0,
  };
}

describe('the app icon on every platform', () => {
  it('Windows: electron-builder takes icon.ico as it is (nothing converted, nothing downloaded)', async () => {
    expect(config.win.icon).toBe('electron/assets/icon.ico');
    const result = await resolveAs(config.win.icon, 'ico');
    expect(result).toEqual({
      icons: [{ file: join(projectRoot, 'electron/assets/icon.ico'), size: 256 }],
      isFallback: false,
    });
  });

  it('macOS: electron-builder takes icon.icns as it is', async () => {
    expect(config.mac.icon).toBe('electron/assets/icon.icns');
    const result = await resolveAs(config.mac.icon, 'icns');
    expect(result.isFallback).toBe(false);
    expect(result.icons.map(({ file }) => file)).toEqual([join(projectRoot, 'electron/assets/icon.icns')]);
  });

  it('Linux: the menu icons are the checked-in 16 to 512 px PNGs, each as big as its name says', async () => {
    expect(config.linux.icon).toBe('electron/assets/icons');
    const icons = await linuxTargetHelper(await loadBuilderConfig(releaseConfig), temp).icons;
    // Installed as hicolor/NxN/apps/protocol-playground.png; the hicolor theme lists sizes up to 512.
    expect(icons).toEqual(
      linuxIconSizes.map((size) => ({ file: join(projectRoot, `electron/assets/icons/${size}x${size}.png`), size })),
    );
    for (const { file, size } of icons) {
      expect(pngHeader(readFileSync(file)), file).toEqual({ width: size, height: size, colourType: 6 });
    }
  });

  it('Linux without linux.icon would take its menu icon from mac.icon, and need the converter', async () => {
    const loaded = await loadBuilderConfig(releaseConfig);
    const withoutLinuxIcon = { ...loaded, linux: { ...loaded.linux, icon: undefined } };
    await expect(linuxTargetHelper(withoutLinuxIcon, temp).icons).rejects.toThrow(/icon-tool\.js|Icons tool/);
  });

  it('the default icon.png is the full 1024×1024 drawing', () => {
    expect(pngHeader(readFileSync(join(projectRoot, config.icon)))).toEqual({
      width: 1024,
      height: 1024,
      colourType: 6,
    });
  });

  it('without the checked-in files the same resolver would need its converter (the check above is not a no-op)', async () => {
    await expect(resolveAs('electron/assets/icon.png', 'ico')).rejects.toThrow(/icon-tool\.js|Icons tool/);
  });

  it('icon.ico holds 16 to 256 px: 32-bit bitmaps the right way up, and a 256 px PNG', () => {
    const entries = icoEntries(readFileSync(join(projectRoot, 'electron/assets/icon.ico')));
    expect(entries.map(({ size }) => size)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const { size, bitCount, data } of entries) {
      expect(bitCount, `${size} px`).toBe(32);
      if (size === 256) {
        expect(pngHeader(data)).toEqual({ width: 256, height: 256, colourType: 6 });
        continue;
      }
      // BITMAPINFOHEADER: twice the height (colour rows, then mask rows), 32 bits, uncompressed.
      expect([data.readUInt32LE(0), data.readInt32LE(4), data.readInt32LE(8)]).toEqual([40, size, size * 2]);
      expect([data.readUInt16LE(12), data.readUInt16LE(14), data.readUInt32LE(16)]).toEqual([1, 32, 0]);
      expect(data.length).toBe(40 + size * size * 4 + Math.ceil(size / 32) * 4 * size);
      // A transparent corner, masked; an opaque blue tile whose gradient is lighter at the top.
      expect(bitmapPixel(data, size, 0, 0)).toEqual({ rgba: [0, 0, 0, 0], masked: true });
      // Mid-width, between the tile's edge and the arrows, where even 16 px has whole tile pixels.
      const top = bitmapPixel(data, size, size / 2, Math.round(size * 0.2));
      const bottom = bitmapPixel(data, size, size / 2, Math.round(size * 0.8));
      for (const pixel of [top, bottom]) {
        const [red = 0, , blue = 0, alpha] = pixel.rgba;
        expect(pixel.masked).toBe(false);
        expect(alpha).toBe(255);
        expect(blue).toBeGreaterThan(red + 60);
      }
      expect(top.rgba[2] ?? 0).toBeGreaterThan(bottom.rgba[2] ?? 0);
    }
  });

  it('the resource editor electron-builder writes the .exe icon with (resedit) reads every image of icon.ico', () => {
    const { Data } = builderRequire('resedit') as {
      Data: {
        IconFile: {
          from(bytes: Buffer): { icons: Array<{ bitCount: number; data: { width: number; height: number } }> };
        };
      };
    };
    const icons = Data.IconFile.from(readFileSync(join(projectRoot, 'electron/assets/icon.ico'))).icons;
    expect(icons.map(({ bitCount, data }) => [data.width, data.height, bitCount])).toEqual(
      icoSizes.map((size) => [size, size, 32]),
    );
  });

  it('icon.icns holds PNGs from 32 to 1024 px under the types macOS reads them from', () => {
    const file = readFileSync(join(projectRoot, 'electron/assets/icon.icns'));
    expect(file.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(file.readUInt32BE(4)).toBe(file.length);
    const chunks: Array<{ type: string; image: PngHeader | undefined }> = [];
    for (let at = 8; at < file.length;) {
      const length = file.readUInt32BE(at + 4);
      expect(length).toBeGreaterThan(8);
      expect(at + length).toBeLessThanOrEqual(file.length);
      chunks.push({
        type: file.subarray(at, at + 4).toString('latin1'),
        image: pngHeader(file.subarray(at + 8, at + length)),
      });
      at += length;
    }
    const square = (size: number) => ({ width: size, height: size, colourType: 6 });
    expect(chunks).toEqual([
      { type: 'ic10', image: square(1024) },
      { type: 'ic14', image: square(512) },
      { type: 'ic09', image: square(512) },
      { type: 'ic13', image: square(256) },
      { type: 'ic08', image: square(256) },
      { type: 'ic07', image: square(128) },
      { type: 'ic12', image: square(64) },
      { type: 'ic11', image: square(32) },
    ]);
  });

  it('the writers name a missing or wrong-sized rendering instead of writing a broken file', () => {
    const image = (size: number, pixels = size * size * 4): IconImage => ({
      size,
      png: new Uint8Array(8),
      rgba: new Uint8Array(pixels),
    });
    const all = [16, 24, 32, 48, 64, 128, 256, 512, 1024].map((size) => image(size));
    expect(() => icoFile(all.filter(({ size }) => size !== 48))).toThrow(/no 48×48 rendering/);
    expect(() => icnsFile(all.filter(({ size }) => size !== 1024))).toThrow(/no 1024×1024 rendering/);
    expect(() => icoFile(all.map((one) => (one.size === 16 ? image(16, 100) : one)))).toThrow(
      /16×16 rendering has 100 bytes of pixels, not 1024/,
    );
    expect(icoEntries(Buffer.from(icoFile(all))).map(({ size }) => size)).toEqual([...icoSizes]);
  });
});
