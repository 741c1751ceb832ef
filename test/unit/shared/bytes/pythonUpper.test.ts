import { describe, expect, it } from 'vitest';
import { asciiUpperBytes, pythonUpper, upperBytes, upperBytesWithReport } from '../../../../shared/bytes';
// Python 3.11.7's str.upper() for every code point it changes, and for a few
// strings, taken from python3 on the development machine (see "generator").
import python from './python-upper.json' with { type: 'json' };
import { randomText, seededRandom } from '../../../support/random';

const utf8 = (text: string) => new TextEncoder().encode(text);
const fromHex = (codePoints: string) =>
  String.fromCodePoint(...codePoints.split(' ').map((hex) => Number.parseInt(hex, 16)));

/**
 * Where the runtime may differ from Python 3.11 (Unicode 14.0): letters whose
 * capitals arrived in Unicode 15–17 (Python 3.11 keeps them as they are).
 * Every other code point must match exactly.
 */
const newerThanUnicode14 = new Set<number>([
  0x019b,
  0x0264,
  0x1c8a,
  0xa7cd,
  0xa7cf,
  0xa7d3,
  0xa7d5,
  0xa7db,
  ...Array.from({ length: 0x10d85 - 0x10d70 + 1 }, (_, i) => 0x10d70 + i), // Garay (Unicode 16)
  ...Array.from({ length: 0x16ed3 - 0x16ebb + 1 }, (_, i) => 0x16ebb + i), // Beria Erfe (Unicode 17)
]);

describe('pythonUpper', () => {
  it('matches Python on the fixtures, special casing included', () => {
    for (const [input, expected] of python.strings) expect(pythonUpper(input as string), input).toBe(expected);
    expect(pythonUpper('straße')).toBe('STRASSE');
    expect(pythonUpper('ﬃ')).toBe('FFI');
    expect(pythonUpper('ŉ')).toBe('ʼN');
    expect(pythonUpper('ǅ')).toBe('Ǆ');
    expect(pythonUpper('ΐ')).toBe('\u0399\u0308\u0301');
    expect(pythonUpper('ὀδυσσεύς')).toBe('ὈΔΥΣΣΕΎΣ');
  });

  it('is locale-independent: Turkish dotless and dotted i are not special', () => {
    expect(pythonUpper('i ı İ')).toBe('I I İ');
  });

  it(`matches Python ${python.python} (Unicode ${python.unicode}) on every code point but the newer letters`, () => {
    const table = python.upper as Record<string, string>;
    const differences: string[] = [];
    for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const char = String.fromCodePoint(codePoint);
      const mapped = table[codePoint.toString(16).toUpperCase()];
      const expected = mapped === undefined ? char : fromHex(mapped);
      if (pythonUpper(char) !== expected && !newerThanUnicode14.has(codePoint)) {
        differences.push(`U+${codePoint.toString(16).toUpperCase()}: ${pythonUpper(char)} vs Python ${expected}`);
      }
    }
    expect(differences).toEqual([]);
    // The known differences really are "Python leaves it alone".
    for (const codePoint of newerThanUnicode14) expect(table[codePoint.toString(16).toUpperCase()]).toBeUndefined();
  });

  it('maps each code point on its own, like Python (no context, no final-sigma rule)', () => {
    const random = seededRandom(0x0b5e55);
    for (let round = 0; round < 500; round++) {
      const text = randomText(random, 24);
      expect(pythonUpper(text)).toBe([...text].map((char) => pythonUpper(char)).join(''));
    }
  });
});

describe('upperBytes', () => {
  it('upper-cases UTF-8, which can make the reply longer', () => {
    const reply = upperBytes(utf8('straße'));
    expect(new TextDecoder().decode(reply)).toBe('STRASSE');
    expect(reply.length).toBe(7);
    expect([...upperBytes(utf8('hello\r\n'))]).toEqual([...utf8('HELLO\r\n')]);
    expect([...upperBytes(new Uint8Array(0))]).toEqual([]);
  });

  it('passes invalid bytes through unchanged and counts them, where Python would raise', () => {
    expect(upperBytesWithReport(Uint8Array.of(0x61, 0xff, 0xc3, 0x9f, 0x62, 0xe2, 0x82))).toEqual({
      bytes: Uint8Array.of(0x41, 0xff, 0x53, 0x53, 0x42, 0xe2, 0x82),
      invalidBytes: 3,
    });
    // A recv(1024) that cut a character in half: the halves stay as they were.
    const cut = utf8('aé').subarray(0, 2);
    expect(upperBytesWithReport(cut)).toEqual({ bytes: Uint8Array.of(0x41, 0xc3), invalidBytes: 1 });
  });

  it('equals decode → pythonUpper → encode for valid text, and never aliases its input', () => {
    const random = seededRandom(0x00fe);
    for (let round = 0; round < 500; round++) {
      const text = randomText(random, 24);
      expect(new TextDecoder().decode(upperBytes(utf8(text)))).toBe(pythonUpper(text));
    }
    const input = utf8('ABC');
    upperBytes(input)[0] = 0;
    expect(input[0]).toBe(0x41);
  });
});

describe('asciiUpperBytes', () => {
  it("changes only a-z, like Python's bytes.upper()", () => {
    expect([...asciiUpperBytes(Uint8Array.of(...utf8('az AZ ß{`'), 0xff))]).toEqual([...utf8('AZ AZ ß{`'), 0xff]);
  });
});
