import { positionAt } from '../../bytes/textParseResult';

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  // Lone surrogates are encoded as U+FFFD, three bytes, like TextEncoder does.
  if (codePoint < 0x10000) return 3;
  return 4;
}

/**
 * UTF-16 indices (what editors select by) for byte offsets into the UTF-8
 * encoding of `text`. An offset inside a multi-byte character maps to the
 * character's start, or with `roundUp` to its end, so a range never cuts one.
 */
export function byteOffsetsToIndices(text: string, offsets: readonly number[], roundUp = false): number[] {
  const order = offsets.map((offset, i) => [offset, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(offsets.length).fill(text.length);
  let index = 0;
  let byte = 0;
  let k = 0;
  while (k < order.length) {
    const [target, slot] = order[k] as readonly [number, number];
    if (index >= text.length) {
      out[slot] = text.length;
      k++;
      continue;
    }
    const codePoint = text.codePointAt(index) as number;
    const units = codePoint > 0xffff ? 2 : 1;
    const bytes = utf8Length(codePoint);
    if (target === byte) {
      out[slot] = index;
      k++;
    } else if (target < byte + bytes) {
      out[slot] = roundUp ? index + units : index;
      k++;
    } else {
      index += units;
      byte += bytes;
    }
  }
  return out;
}

/** 1-based line and byte column; lines break at LF, CRLF and a lone CR, as in positionAt. */
export function bytePosition(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.max(0, Math.min(offset, bytes.length));
  for (let i = 0; i < end; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export { positionAt };
