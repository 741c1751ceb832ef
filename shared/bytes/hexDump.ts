import { hexByte } from './hex';

export interface HexDumpOptions {
  /** Bytes per row. Default 16. */
  width?: number;
  /** Bytes per space-separated group within a row. Default 2, as xxd. */
  group?: number;
  /** Offset shown for the first byte, e.g. where this chunk starts in the stream. Default 0. */
  offset?: number;
  /** First row to produce and how many (for virtualised views of large bodies). Default: all rows. */
  firstRow?: number;
  rowCount?: number;
}

export interface HexDumpRow {
  /** Offset of the row's first byte (options.offset included). */
  offset: number;
  /** The offset as xxd prints it: at least 8 lower-case hex digits. */
  offsetText: string;
  /** Hex digits in groups, padded with spaces to a full row so that columns line up. */
  hex: string;
  /** Printable ASCII as itself, every other byte as ".". */
  ascii: string;
  /** The row's bytes (a view into the input). */
  bytes: Uint8Array;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`hexDump: ${name} must be a whole number ≥ 1, got ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`hexDump: ${name} must be a whole number ≥ 0, got ${value}`);
  return value;
}

export function hexDumpRowCount(byteLength: number, width = 16): number {
  return Math.ceil(byteLength / positiveInteger('width', width));
}

/** Rows like `xxd` prints them: `00000000: 4865 6c6c 6f0d 0a  Hello..`. */
export function hexDump(bytes: Uint8Array, options: HexDumpOptions = {}): HexDumpRow[] {
  const width = positiveInteger('width', options.width ?? 16);
  const group = positiveInteger('group', options.group ?? 2);
  const baseOffset = nonNegativeInteger('offset', options.offset ?? 0);
  const totalRows = hexDumpRowCount(bytes.length, width);
  const firstRow = Math.min(nonNegativeInteger('firstRow', options.firstRow ?? 0), totalRows);
  const lastRow = Math.min(totalRows, firstRow + nonNegativeInteger('rowCount', options.rowCount ?? totalRows));
  const hexWidth = width * 2 + Math.ceil(width / group) - 1;
  const rows: HexDumpRow[] = [];
  for (let row = firstRow; row < lastRow; row++) {
    const start = row * width;
    const rowBytes = bytes.subarray(start, Math.min(start + width, bytes.length));
    let hex = '';
    let ascii = '';
    for (let i = 0; i < rowBytes.length; i++) {
      const b = rowBytes[i] as number;
      if (i > 0 && i % group === 0) hex += ' ';
      hex += hexByte(b);
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    const offset = baseOffset + start;
    rows.push({
      offset,
      offsetText: offset.toString(16).padStart(8, '0'),
      hex: hex.padEnd(hexWidth, ' '),
      ascii,
      bytes: rowBytes,
    });
  }
  return rows;
}

/** The whole dump as text (for copying), one `offset: hex  ascii` line per row, as xxd. */
export function formatHexDump(bytes: Uint8Array, options: HexDumpOptions = {}): string {
  return hexDump(bytes, options)
    .map((row) => `${row.offsetText}: ${row.hex}  ${row.ascii}`)
    .join('\n');
}
