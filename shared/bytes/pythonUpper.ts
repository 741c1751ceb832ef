import { concatBytes, decodeValidUtf8, encodeUtf8, utf8SequenceAt } from './utf8';

/**
 * Python 3's `str.upper()`: full Unicode case mapping with the unconditional
 * SpecialCasing entries (`ß` → `SS`, `ŉ` → `ʼN`, `ﬃ` → `FFI`, `ΐ` → `Ϊ́`), no
 * locale (`i` → `I`, `ı` → `I`, never Turkish `İ`), no context: every code
 * point is mapped on its own. That is also exactly what the locale-independent
 * `String.prototype.toUpperCase` specifies, so this delegates to it.
 *
 * Checked against every code point (test/unit/shared/bytes/pythonUpper.test.ts with
 * a table taken from Python): Node 20.20 (ICU 78, Unicode 17.0) and Python
 * 3.11.7 (Unicode 14.0) agree on every character both versions assign. The
 * only differences are letters newer than Unicode 14 — Garay, Beria Erfe,
 * Cyrillic TJE and a few Latin additions (ƛ U+019B → U+A7DC, ɤ U+0264 →
 * U+A7CB, ꟓ U+A7D3, ꟕ U+A7D5 gained capitals) — which Python 3.11 leaves
 * unchanged. We follow the runtime's newer Unicode there, as newer Pythons do
 * (3.14 has Unicode 16), rather than pin an old table: students run many
 * Python versions, and these characters are vanishingly rare in the lab.
 */
export function pythonUpper(text: string): string {
  return text.toUpperCase();
}

export interface UpperBytesResult {
  bytes: Uint8Array;
  /** Bytes that were not valid UTF-8 and were passed through unchanged. */
  invalidBytes: number;
}

/**
 * The uppercase server's reply: UTF-8 decode, pythonUpper, encode. The
 * textbook's `message.decode().upper().encode()` raises UnicodeDecodeError on
 * invalid UTF-8 and the Python server dies; ours must not, so every invalid
 * byte (and a character cut off at the end of a `recv(1024)`) is passed through
 * unchanged and counted, for the server log to mention. Since upper-casing
 * has no context, mapping the valid runs apart gives the same text Python
 * would give for them. The reply can be longer than the request (`ß` → `SS`).
 */
export function upperBytesWithReport(input: Uint8Array): UpperBytesResult {
  const parts: Uint8Array[] = [];
  let invalidBytes = 0;
  let runStart = 0;
  let ascii = true;
  const flushRun = (end: number): void => {
    if (end > runStart) {
      const run = input.subarray(runStart, end);
      parts.push(ascii ? asciiUpperBytes(run) : encodeUtf8(pythonUpper(decodeValidUtf8(run))));
    }
    ascii = true;
  };
  let i = 0;
  while (i < input.length) {
    if ((input[i] as number) < 0x80) {
      i++;
      continue;
    }
    const length = utf8SequenceAt(input, i, input.length);
    if (length > 0) {
      ascii = false;
      i += length;
      continue;
    }
    const invalidLength = length === 0 ? input.length - i : -length;
    flushRun(i);
    parts.push(input.slice(i, i + invalidLength));
    invalidBytes += invalidLength;
    i += invalidLength;
    runStart = i;
  }
  flushRun(input.length);
  return { bytes: parts.length === 0 ? new Uint8Array(0) : concatBytes(parts), invalidBytes };
}

export function upperBytes(input: Uint8Array): Uint8Array {
  return upperBytesWithReport(input).bytes;
}

/**
 * Python's `bytes.upper()` (and Python 2's `str.upper()` in the original
 * textbook code): only a–z change, every other byte is kept.
 */
export function asciiUpperBytes(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const b = input[i] as number;
    out[i] = b >= 0x61 && b <= 0x7a ? b - 0x20 : b;
  }
  return out;
}
