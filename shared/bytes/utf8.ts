/**
 * The one UTF-8 validator every byte view shares, so that the transcript, the
 * escaped form and the upper-casing servers agree on which bytes are text.
 *
 * Invalid input is split into "maximal subparts" (Unicode ch. 3, U+FFFD
 * substitution best practice, also what the WHATWG TextDecoder does): a lead
 * byte plus the continuation bytes that still fit it. Each subpart is exactly
 * what TextDecoder would replace by one U+FFFD, which the tests use as an oracle.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes bytes already known to be valid UTF-8 (anything else becomes U+FFFD). */
export function decodeValidUtf8(bytes: Uint8Array): string {
  // Short ASCII runs are common between CR/LF glyphs; building them directly
  // avoids TextDecoder's per-call overhead.
  if (bytes.length <= 32) {
    let ascii = true;
    for (let i = 0; i < bytes.length; i++) {
      if ((bytes[i] as number) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode(...bytes);
  }
  return decoder.decode(bytes);
}

/**
 * Classifies the sequence starting at `bytes[index]` (which must be < `end`):
 * - `n > 0`: a valid character of `n` bytes;
 * - `n < 0`: invalid; the first `-n` bytes are one maximal subpart to report;
 * - `0`: a valid but incomplete prefix running into `end` (a stream decoder
 *   waits for more bytes; at the end of input it is a subpart of `end - index`).
 */
export function utf8SequenceAt(bytes: Uint8Array, index: number, end: number): number {
  const lead = bytes[index] as number;
  if (lead < 0x80) return 1;
  let continuations: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    continuations = 1;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    continuations = 2;
    if (lead === 0xe0)
      low = 0xa0; // overlong
    else if (lead === 0xed) high = 0x9f; // UTF-16 surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    continuations = 3;
    if (lead === 0xf0)
      low = 0x90; // overlong
    else if (lead === 0xf4) high = 0x8f; // above U+10FFFF
  } else {
    return -1; // stray continuation byte, C0/C1 overlong lead, or F5..FF
  }
  for (let k = 1; k <= continuations; k++) {
    if (index + k >= end) return 0;
    const b = bytes[index + k] as number;
    if (b < low || b > high) return -k;
    low = 0x80;
    high = 0xbf;
  }
  return continuations + 1;
}

/** Code point of a valid sequence of `length` bytes at `index` (as returned by utf8SequenceAt). */
export function codePointAt(bytes: Uint8Array, index: number, length: number): number {
  const b0 = bytes[index] as number;
  if (length === 1) return b0;
  const b1 = (bytes[index + 1] as number) & 0x3f;
  if (length === 2) return ((b0 & 0x1f) << 6) | b1;
  const b2 = (bytes[index + 2] as number) & 0x3f;
  if (length === 3) return ((b0 & 0x0f) << 12) | (b1 << 6) | b2;
  const b3 = (bytes[index + 3] as number) & 0x3f;
  return ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3;
}

/** Number of bytes that are not part of any valid UTF-8 character. */
export function countInvalidUtf8(bytes: Uint8Array): number {
  let invalid = 0;
  let i = 0;
  while (i < bytes.length) {
    if ((bytes[i] as number) < 0x80) {
      i++;
      continue;
    }
    const n = utf8SequenceAt(bytes, i, bytes.length);
    if (n > 0) {
      i += n;
    } else {
      const k = n === 0 ? bytes.length - i : -n;
      invalid += k;
      i += k;
    }
  }
  return invalid;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
