import { describe, expect, it } from 'vitest';
import { formatHex, formatHexDump, hexByte, hexDump, hexDumpRowCount, parseHex } from '../../../../shared/bytes';
import { randomBytes, randomInt, seededRandom } from '../../../support/random';

const utf8 = (text: string) => new TextEncoder().encode(text);

function bytesOf(text: string): number[] {
  const result = parseHex(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.error.message}`);
  return [...result.bytes];
}

function errorOf(text: string) {
  const result = parseHex(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
  return result.error;
}

describe('parseHex', () => {
  it('accepts what people paste: spaces, newlines, 0x and \\x prefixes, colons, commas, dashes', () => {
    const hello = [0x48, 0x65, 0x6c, 0x6c, 0x6f];
    expect(bytesOf('48 65 6c 6c 6f')).toEqual(hello);
    expect(bytesOf('48656C6c6F')).toEqual(hello);
    expect(bytesOf('0x48, 0x65, 0x6c, 0x6c, 0x6f')).toEqual(hello);
    expect(bytesOf('0X48656c 6c6f')).toEqual(hello);
    expect(bytesOf('48:65:6c:6c:6f')).toEqual(hello);
    expect(bytesOf('48-65-6c-6c-6f')).toEqual(hello);
    expect(bytesOf('\\x48\\x65\\x6c\\x6c\\x6f')).toEqual(hello);
    expect(bytesOf('4865\r\n6c6c\n\t6f\n')).toEqual(hello);
    expect(bytesOf('')).toEqual([]);
    expect(bytesOf('  \n ')).toEqual([]);
  });

  it('rejects an odd digit count, pointing at the run', () => {
    expect(errorOf('48 6 5c')).toEqual({
      message:
        'odd number of hex digits in "6": every byte takes two digits (write 06 for a single-digit byte) (at column 4)',
      index: 3,
      length: 1,
      line: 1,
      column: 4,
    });
    expect(errorOf('486')).toMatchObject({ index: 0, length: 3 });
    expect(errorOf('0x4')).toMatchObject({ index: 0, length: 3, message: expect.stringMatching(/write 04/) });
    expect(errorOf('48 65\n6c 6')).toMatchObject({ index: 9, line: 2, column: 4 });
    expect(errorOf('48 65\n6c 6').message).toMatch(/\(at line 2, column 4\)$/);
  });

  it('rejects characters that are not hex digits', () => {
    expect(errorOf('48 zz')).toMatchObject({
      index: 3,
      length: 1,
      message: '"z" is not a hex digit (use 0-9 and a-f, bytes separated by spaces if you like) (at column 4)',
    });
    expect(errorOf('48g')).toMatchObject({ index: 2 });
    expect(errorOf('48 ß')).toMatchObject({ index: 3, length: 1 });
    expect(errorOf('48 😀')).toMatchObject({ index: 3, length: 2 });
    expect(errorOf('48\u000b').message).toMatch(/^U\+000B is not a hex digit/);
    expect(errorOf('0x')).toMatchObject({
      index: 0,
      length: 2,
      message: expect.stringMatching(/^0x must be followed/),
    });
    expect(errorOf('\\x4865')).toMatchObject({ message: expect.stringMatching(/exactly two hex digits/) });
  });
});

describe('formatHex', () => {
  const bytes = utf8('Hello\r\n');

  it('groups bytes', () => {
    expect(formatHex(bytes)).toBe('48 65 6c 6c 6f 0d 0a');
    expect(formatHex(bytes, { group: 2 })).toBe('4865 6c6c 6f0d 0a');
    expect(formatHex(bytes, { group: 0 })).toBe('48656c6c6f0d0a');
    expect(formatHex(bytes, { uppercase: true })).toBe('48 65 6C 6C 6F 0D 0A');
    expect(formatHex(new Uint8Array(0))).toBe('');
    expect(hexByte(0xd)).toBe('0d');
    expect(() => formatHex(bytes, { group: -1 })).toThrow(RangeError);
  });

  it('round-trips through parseHex whatever the grouping', () => {
    const random = seededRandom(0x4e7);
    for (let round = 0; round < 1000; round++) {
      const input = randomBytes(random, 40);
      const text = formatHex(input, { group: randomInt(random, 5), uppercase: random() < 0.5 });
      const parsed = parseHex(text);
      expect(parsed.ok && [...parsed.bytes], text).toEqual([...input]);
    }
  });
});

describe('hexDump', () => {
  // Produced by `printf 'Hello\r\n\x00\xff world, this is a test' | xxd`.
  const sample = Uint8Array.of(...utf8('Hello\r\n\x00'), 0xff, ...utf8(' world, this is a test'));
  const xxd = [
    '00000000: 4865 6c6c 6f0d 0a00 ff20 776f 726c 642c  Hello.... world,',
    '00000010: 2074 6869 7320 6973 2061 2074 6573 74     this is a test',
  ].join('\n');

  it('prints like xxd', () => {
    expect(formatHexDump(sample)).toBe(xxd);
  });

  it('gives rows with offsets, padded hex, ASCII and the row bytes', () => {
    const rows = hexDump(sample);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({
      offset: 16,
      offsetText: '00000010',
      hex: '2074 6869 7320 6973 2061 2074 6573 74  ',
      ascii: ' this is a test',
    });
    expect(rows.every((row) => row.hex.length === rows[0]?.hex.length)).toBe(true);
    expect([...(rows[1]?.bytes ?? [])]).toEqual([...sample.subarray(16)]);
  });

  it('honours width, group, a starting offset and a window of rows', () => {
    const bytes = Uint8Array.from({ length: 20 }, (_, i) => i + 0x41);
    expect(formatHexDump(bytes, { width: 8, group: 1, offset: 0x1000 })).toBe(
      [
        '00001000: 41 42 43 44 45 46 47 48  ABCDEFGH',
        '00001008: 49 4a 4b 4c 4d 4e 4f 50  IJKLMNOP',
        '00001010: 51 52 53 54              QRST',
      ].join('\n'),
    );
    const window = hexDump(bytes, { width: 4, firstRow: 2, rowCount: 2 });
    expect(window.map((row) => row.offset)).toEqual([8, 12]);
    expect(hexDump(bytes, { width: 4, firstRow: 4, rowCount: 10 }).map((row) => row.ascii)).toEqual(['QRST']);
    expect(hexDump(bytes, { firstRow: 99 })).toEqual([]);
    expect(hexDump(new Uint8Array(0))).toEqual([]);
    expect(hexDumpRowCount(20, 4)).toBe(5);
    expect(hexDumpRowCount(0)).toBe(0);
    expect(hexDumpRowCount(17)).toBe(2);
    expect(hexDump(Uint8Array.of(0x1f, 0x20, 0x7e, 0x7f, 0x80))[0]?.ascii).toBe('. ~..');
  });

  it('refuses nonsensical options with a RangeError naming the option', () => {
    expect(() => hexDump(sample, { width: 0 })).toThrow(/width must be a whole number ≥ 1, got 0/);
    expect(() => hexDump(sample, { group: 1.5 })).toThrow(RangeError);
    expect(() => hexDump(sample, { offset: -1 })).toThrow(/offset/);
  });
});
