import { parseErrorAt, type TextParseResult } from './textParseResult';

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10;
}

function isSeparator(c: number): boolean {
  // whitespace (incl. newlines), and the ":" "," "-" that MAC addresses, C arrays and Wireshark copies use
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x3a || c === 0x2c || c === 0x2d;
}

/**
 * The composer's hex input mode. Accepts what people paste: `48 65 6c`,
 * `48656c`, `0x48, 0x65`, `48:65:6c`, `\x48\x65`, across several lines.
 * Every run of digits must have an even length: `48 6 5c` is an error rather
 * than a guess at which byte lost a digit.
 */
export function parseHex(text: string): TextParseResult<Uint8Array> {
  const out = new Uint8Array(text.length >> 1);
  let length = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSeparator(c)) {
      i++;
      continue;
    }
    const tokenStart = i;
    const prefixed =
      (c === 0x30 && (text.charCodeAt(i + 1) | 0x20) === 0x78) || (c === 0x5c && text.charCodeAt(i + 1) === 0x78);
    if (prefixed) i += 2;
    const digitsStart = i;
    while (i < text.length && isHexDigit(text.charCodeAt(i))) i++;
    const digits = i - digitsStart;
    if (digits === 0) {
      if (prefixed) {
        const prefix = text.slice(tokenStart, tokenStart + 2);
        return fail(text, tokenStart, 2, `${prefix} must be followed by hex digits, e.g. ${prefix}0d`);
      }
      return fail(text, i, charLength(text, i), notHexProblem(text, i));
    }
    if (digits % 2 === 1) {
      const run = text.slice(digitsStart, i);
      return fail(
        text,
        tokenStart,
        i - tokenStart,
        `odd number of hex digits in "${run}": every byte takes two digits (write 0${run.slice(-1)} for a single-digit byte)`,
      );
    }
    if (c === 0x5c && digits !== 2) {
      return fail(text, tokenStart, i - tokenStart, '\\x must be followed by exactly two hex digits');
    }
    for (let d = digitsStart; d < i; d += 2) {
      out[length++] = (hexValue(text.charCodeAt(d)) << 4) | hexValue(text.charCodeAt(d + 1));
    }
    const next = text.charCodeAt(i);
    if (i < text.length && !isSeparator(next) && !(next === 0x5c && text.charCodeAt(i + 1) === 0x78)) {
      return fail(text, i, charLength(text, i), notHexProblem(text, i));
    }
  }
  return { ok: true, bytes: out.slice(0, length) };
}

function charLength(text: string, index: number): number {
  return (text.codePointAt(index) as number) > 0xffff ? 2 : 1;
}

function notHexProblem(text: string, index: number): string {
  const codePoint = text.codePointAt(index) as number;
  const shown =
    codePoint < 0x20 || codePoint === 0x7f
      ? `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`
      : `"${String.fromCodePoint(codePoint)}"`;
  return `${shown} is not a hex digit (use 0-9 and a-f, bytes separated by spaces if you like)`;
}

function fail(text: string, index: number, length: number, problem: string): TextParseResult<Uint8Array> {
  return { ok: false, error: parseErrorAt(text, index, length, problem) };
}

export interface FormatHexOptions {
  /** Bytes per group, groups separated by a space; 0 for one unbroken string. Default 1 (`48 65 6c`). */
  group?: number;
  /** Upper-case digits. Default false (lower case, as xxd and Wireshark show). */
  uppercase?: boolean;
}

const lowerDigits = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const upperDigits = lowerDigits.map((pair) => pair.toUpperCase());

/** Hex text that parseHex reads back to the same bytes, whatever the grouping. */
export function formatHex(bytes: Uint8Array, options: FormatHexOptions = {}): string {
  const group = options.group ?? 1;
  if (!Number.isInteger(group) || group < 0)
    throw new RangeError(`formatHex: group must be a whole number ≥ 0, got ${group}`);
  const digits = options.uppercase ? upperDigits : lowerDigits;
  const parts: string[] = new Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const pair = digits[bytes[i] as number] as string;
    parts[i] = group > 0 && i > 0 && i % group === 0 ? ` ${pair}` : pair;
  }
  return parts.join('');
}

/** One hex byte, e.g. for a tooltip: `0d`. */
export function hexByte(byte: number, uppercase = false): string {
  return (uppercase ? upperDigits : lowerDigits)[byte & 0xff] as string;
}
