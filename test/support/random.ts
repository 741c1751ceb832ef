// Seeded, bounded randomness for the property-style loops: failures reproduce.
import { seededRandom } from '../../shared/net/link';

export { seededRandom };

export function randomInt(random: () => number, below: number): number {
  return Math.floor(random() * below);
}

const encoder = new TextEncoder();

function randomCodePoint(random: () => number): number {
  const ranges: [number, number][] = [
    [0x80, 0x7ff],
    [0x800, 0xd7ff],
    [0xe000, 0xffff],
    [0x10000, 0x10ffff],
    [0x80, 0x9f], // C1 controls
    [0x2028, 0x206f], // separators, bidi and invisible format characters
  ];
  const [low, high] = ranges[randomInt(random, ranges.length)] as [number, number];
  return low + randomInt(random, high - low + 1);
}

/**
 * Bytes that hit every path of the byte views: printable ASCII, C0 controls,
 * backslashes and escape-looking text, valid multi-byte characters, stray
 * high bytes, and characters cut short.
 */
export function randomBytes(random: () => number, maxLength: number): Uint8Array {
  const out: number[] = [];
  const target = randomInt(random, maxLength + 1);
  while (out.length < target) {
    const kind = randomInt(random, 8);
    if (kind === 0) out.push(0x20 + randomInt(random, 0x5f));
    else if (kind === 1) out.push(randomInt(random, 0x20), 0x7f);
    else if (kind === 2)
      out.push(...encoder.encode(['\\', '\\x', '\\x4', '\\u{', '0x', '\r\n', '\\0', '7'][randomInt(random, 8)]));
    else if (kind === 3 || kind === 4) out.push(...encoder.encode(String.fromCodePoint(randomCodePoint(random))));
    else if (kind === 5) out.push(0x80 + randomInt(random, 0x80));
    else if (kind === 6) {
      const full = encoder.encode(String.fromCodePoint(randomCodePoint(random)));
      out.push(...full.subarray(0, 1 + randomInt(random, full.length - 1)));
    } else out.push(randomInt(random, 256));
  }
  return Uint8Array.from(out.slice(0, target));
}

/** A string of random code points (no lone surrogates), biased towards letters with case. */
export function randomText(random: () => number, maxLength: number): string {
  let text = '';
  const length = randomInt(random, maxLength + 1);
  for (let i = 0; i < length; i++) {
    const pick = randomInt(random, 4);
    if (pick === 0) text += String.fromCharCode(0x20 + randomInt(random, 0x5f));
    else if (pick === 1)
      text += String.fromCodePoint(0xc0 + randomInt(random, 0x5b0 - 0xc0)); // Latin, Greek, Cyrillic
    else text += String.fromCodePoint(randomCodePoint(random));
  }
  return text;
}
