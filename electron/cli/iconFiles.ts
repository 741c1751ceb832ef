/**
 * Windows .ico and macOS .icns files from square renderings of the app icon.
 * Checked in beside icon.png so electron-builder uses them as they are: given only
 * a PNG it converts with a toolset it downloads on the first Windows or macOS
 * build, which a lab's build machine may not be able to fetch.
 */

/** One square rendering: the PNG file and its straight (not premultiplied) RGBA pixels, top row first. */
export interface IconImage {
  readonly size: number;
  readonly png: Uint8Array;
  readonly rgba: Uint8Array;
}

/** Explorer, the taskbar, Start and the NSIS installer pick from these; 256 is the largest an .ico holds. */
export const icoSizes = [16, 24, 32, 48, 64, 128, 256] as const;

/**
 * The PNG-bearing icns types (macOS 10.7+), largest first. 16 px comes from
 * scaling ic11: the 16/32 px `icp4`/`icp5` types are not read reliably as PNG.
 */
export const icnsTypes = [
  { type: 'ic10', size: 1024 },
  { type: 'ic14', size: 512 },
  { type: 'ic09', size: 512 },
  { type: 'ic13', size: 256 },
  { type: 'ic08', size: 256 },
  { type: 'ic07', size: 128 },
  { type: 'ic12', size: 64 },
  { type: 'ic11', size: 32 },
] as const;

/**
 * Linux menus look icons up in the hicolor theme, whose index lists sizes up to
 * 512×512 only: a lone 1024 px PNG would be installed where no menu finds it.
 */
export const linuxIconSizes = [16, 24, 32, 48, 64, 128, 256, 512] as const;

/** Every size the icon files need, smallest first. */
export const iconSizes = [
  ...new Set([...icoSizes, ...icnsTypes.map(({ size }) => size), ...linuxIconSizes, 1024]),
].sort((a, b) => a - b);

/** File name → PNG for the Linux icon folder; electron-builder reads each size from its name. */
export function linuxIconSet(images: readonly IconImage[]): Map<string, Uint8Array> {
  return new Map(linuxIconSizes.map((size) => [`${size}x${size}.png`, imageOfSize(images, size).png]));
}

/**
 * An .ico with one entry per icoSizes: 256 px as PNG (the only size Windows expects
 * compressed), smaller ones as 32-bit BMPs, which every Windows tool reads (NSIS, rcedit).
 */
export function icoFile(images: readonly IconImage[]): Uint8Array {
  const entries = icoSizes.map((size) => {
    const image = imageOfSize(images, size);
    return { size, data: size >= 256 ? image.png : icoBitmap(image) };
  });
  const headerBytes = 6 + 16 * entries.length;
  const file = new Uint8Array(headerBytes + entries.reduce((sum, { data }) => sum + data.length, 0));
  const view = new DataView(file.buffer);
  view.setUint16(2, 1, true); // type 1: icon
  view.setUint16(4, entries.length, true);
  let offset = headerBytes;
  entries.forEach(({ size, data }, index) => {
    const at = 6 + 16 * index;
    // 0 stands for 256 in the one-byte width and height.
    file[at] = size % 256;
    file[at + 1] = size % 256;
    view.setUint16(at + 4, 1, true); // colour planes
    view.setUint16(at + 6, 32, true); // bits per pixel
    view.setUint32(at + 8, data.length, true);
    view.setUint32(at + 12, offset, true);
    file.set(data, offset);
    offset += data.length;
  });
  return file;
}

/** An .icns holding every icnsTypes entry as PNG. */
export function icnsFile(images: readonly IconImage[]): Uint8Array {
  const chunks = icnsTypes.map(({ type, size }) => ({ type, data: imageOfSize(images, size).png }));
  const length = 8 + chunks.reduce((sum, { data }) => sum + 8 + data.length, 0);
  const file = new Uint8Array(length);
  const view = new DataView(file.buffer);
  file.set(ascii('icns'), 0);
  view.setUint32(4, length);
  let offset = 8;
  for (const { type, data } of chunks) {
    file.set(ascii(type), offset);
    view.setUint32(offset + 4, 8 + data.length);
    file.set(data, offset + 8);
    offset += 8 + data.length;
  }
  return file;
}

/**
 * An .ico entry as a device-independent bitmap: BITMAPINFOHEADER, BGRA rows bottom
 * up, then the 1-bit AND mask (set where fully transparent, for readers that ignore alpha).
 */
function icoBitmap({ size, rgba }: IconImage): Uint8Array {
  const pixelBytes = size * size * 4;
  const maskRowBytes = Math.ceil(size / 32) * 4;
  const bitmap = new Uint8Array(40 + pixelBytes + maskRowBytes * size);
  const view = new DataView(bitmap.buffer);
  view.setUint32(0, 40, true);
  view.setInt32(4, size, true);
  view.setInt32(8, size * 2, true); // colour rows plus mask rows
  view.setUint16(12, 1, true);
  view.setUint16(14, 32, true);
  view.setUint32(20, pixelBytes + maskRowBytes * size, true);
  for (let y = 0; y < size; y++) {
    const row = size - 1 - y;
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = 40 + (row * size + x) * 4;
      bitmap[to] = rgba[from + 2] ?? 0;
      bitmap[to + 1] = rgba[from + 1] ?? 0;
      bitmap[to + 2] = rgba[from] ?? 0;
      bitmap[to + 3] = rgba[from + 3] ?? 0;
      if (rgba[from + 3] === 0) {
        const maskByte = 40 + pixelBytes + row * maskRowBytes + (x >> 3);
        bitmap[maskByte] = (bitmap[maskByte] ?? 0) | (0x80 >> (x & 7));
      }
    }
  }
  return bitmap;
}

function imageOfSize(images: readonly IconImage[], size: number): IconImage {
  const image = images.find((candidate) => candidate.size === size);
  if (!image)
    throw new Error(`no ${size}×${size} rendering of the icon (have ${images.map((i) => i.size).join(', ')})`);
  if (image.rgba.length !== size * size * 4) {
    throw new Error(`the ${size}×${size} rendering has ${image.rgba.length} bytes of pixels, not ${size * size * 4}`);
  }
  return image;
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}
