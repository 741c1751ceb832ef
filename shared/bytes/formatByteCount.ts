/** Thousands separators, fixed to "," so that transcripts, tests and exports read the same everywhere. */
export function groupThousands(n: number): string {
  const [whole = '', fraction] = Math.abs(n).toString().split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

const units = ['MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * "1 byte", "2,048 bytes", "65,507 bytes", "1.5 MiB". Exact below 1 MiB,
 * because students count bytes (recv(1024), the 65,507-byte datagram limit);
 * above, binary units with one decimal below 100 ("1.5 MiB", "64.0 MiB", "512 MiB").
 */
export function formatByteCount(n: number): string {
  if (!Number.isFinite(n)) return `${n} bytes`;
  const count = Math.round(n);
  const size = Math.abs(count);
  if (size < 1024 * 1024) return `${groupThousands(count)} ${size === 1 ? 'byte' : 'bytes'}`;
  let value = size / (1024 * 1024);
  let unit = 0;
  // Compare what will be shown, so 1,023.97 MiB reads "1.0 GiB" rather than "1,024 MiB".
  while (unit < units.length - 1 && roundForDisplay(value) >= 1024) {
    value /= 1024;
    unit++;
  }
  const rounded = roundForDisplay(value);
  const shown = rounded < 100 ? rounded.toFixed(1) : groupThousands(rounded);
  return `${count < 0 ? '-' : ''}${shown} ${units[unit]}`;
}

function roundForDisplay(value: number): number {
  return value < 100 ? Math.round(value * 10) / 10 : Math.round(value);
}
