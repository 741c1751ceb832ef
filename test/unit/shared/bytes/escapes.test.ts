import { describe, expect, it } from 'vitest';
import { formatEscapes, parseEscapes } from '../../../../shared/bytes';
import { randomBytes, seededRandom } from '../../../support/random';

const utf8 = (text: string) => new TextEncoder().encode(text);

function bytesOf(text: string): number[] {
  const result = parseEscapes(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.error.message}`);
  return [...result.bytes];
}

function errorOf(text: string) {
  const result = parseEscapes(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
  return result.error;
}

describe('parseEscapes', () => {
  it('turns the composer escapes into bytes', () => {
    expect(bytesOf('\\r\\n\\t\\0\\\\')).toEqual([0x0d, 0x0a, 0x09, 0x00, 0x5c]);
    expect(bytesOf('\\a\\b\\f\\v\\\'\\"')).toEqual([0x07, 0x08, 0x0c, 0x0b, 0x27, 0x22]);
    expect(bytesOf('GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n')).toEqual([...utf8('GET / HTTP/1.1\r\nHost: x\r\n\r\n')]);
  });

  it('reads \\xNN as one raw byte, not as a character', () => {
    expect(bytesOf('\\xff\\xFF\\x00\\x7f')).toEqual([0xff, 0xff, 0x00, 0x7f]);
    expect(bytesOf('\\xc3\\x9f')).toEqual([...utf8('ß')]);
    expect(bytesOf('\\x412')).toEqual([0x41, 0x32]);
  });

  it('reads \\uXXXX, \\u{...} and \\UXXXXXXXX as UTF-8 encoded characters', () => {
    expect(bytesOf('\\u00e9\\u00C9')).toEqual([...utf8('éÉ')]);
    expect(bytesOf('\\u{1F600}\\u{41}\\U0001f600')).toEqual([...utf8('😀A😀')]);
    expect(bytesOf('\\u{10FFFF}')).toEqual([...utf8('\u{10ffff}')]);
    expect(bytesOf('\\u0000')).toEqual([0]);
  });

  it('UTF-8 encodes everything else, including literal line breaks and astral characters', () => {
    expect(bytesOf('straße 😀 中文\nnext')).toEqual([...utf8('straße 😀 中文\nnext')]);
    expect(bytesOf('')).toEqual([]);
  });

  it('keeps \\0 for NUL only when no digit follows', () => {
    expect(bytesOf('\\0a\\0')).toEqual([0x00, 0x61, 0x00]);
    expect(bytesOf('\\x001')).toEqual([0x00, 0x31]);
    expect(errorOf('\\01').message).toMatch(/octal/);
    expect(errorOf('\\08')).toMatchObject({
      index: 0,
      length: 2,
      message: '\\0 followed by a digit reads as octal in Python: write \\x008 for NUL then 8 (at column 1)',
    });
  });

  it('names the exact position of a bad \\x, as index/length and in the message', () => {
    expect(errorOf('hello \\x4')).toEqual({
      message: '\\x must be followed by two hex digits, e.g. \\x0d or \\xff (at column 7)',
      index: 6,
      length: 3,
      line: 1,
      column: 7,
    });
    expect(errorOf('\\xg0')).toMatchObject({ index: 0, length: 2 });
    expect(errorOf('ab\\x')).toMatchObject({ index: 2, length: 2, column: 3 });
  });

  it('counts columns in characters and reports lines in multi-line text', () => {
    expect(errorOf('straße 😀 \\q')).toMatchObject({ index: 10, line: 1, column: 10 });
    const error = errorOf('line one\r\nline two\nab\\z');
    expect(error).toMatchObject({ index: 21, length: 2, line: 3, column: 3 });
    expect(error.message).toMatch(/\(at line 3, column 3\)$/);
    expect(errorOf('a\rb\\z')).toMatchObject({ line: 2, column: 2 });
  });

  it('rejects unknown escapes instead of keeping them silently', () => {
    expect(errorOf('\\q').message).toBe(
      '\\q is not an escape sequence: write \\\\ for a backslash (supported: \\r \\n \\t \\0 \\xNN \\u{...} \\\\) (at column 1)',
    );
    expect(errorOf('\\e[0m').message).toMatch(/^\\e is not an escape here .*write \\x1b for ESC/);
    expect(errorOf('\\N{BULLET}').message).toMatch(/names are not supported/);
    expect(errorOf('\\9').message).toMatch(/^\\9 is not an escape sequence/);
    expect(errorOf('\\ x').message).toMatch(/^\\ followed by U\+0020 is not an escape sequence/);
    expect(errorOf('\\😀')).toMatchObject({ index: 0, length: 3 });
    expect(errorOf('a\\\nb').message).toMatch(/not a line continuation/);
  });

  it('rejects a lone backslash at the end', () => {
    expect(errorOf('abc\\')).toMatchObject({
      index: 3,
      length: 1,
      message: 'a lone \\ at the end: write \\\\ for a backslash (at column 4)',
    });
  });

  it('explains octal escapes with the \\x spelling to use', () => {
    expect(errorOf('\\012').message).toBe(
      'octal escapes like \\012 are not supported: write \\x0a (or \\x0012 for NUL then 12) (at column 1)',
    );
    expect(errorOf('x\\101')).toMatchObject({ index: 1, length: 4 });
    expect(errorOf('\\101').message).toMatch(/write \\x41\b/);
    expect(errorOf('\\777').message).toMatch(/write \\u01ff/);
  });

  it('rejects bad \\u escapes: too few digits, surrogates, beyond U+10FFFF', () => {
    expect(errorOf('\\u12')).toMatchObject({ length: 4 });
    expect(errorOf('\\u12')).toMatchObject({ message: expect.stringMatching(/\\u must be followed by 4 hex digits/) });
    expect(errorOf('\\U1F600').message).toMatch(/\\U must be followed by 8 hex digits/);
    expect(errorOf('\\u{}').message).toMatch(/1 to 6 hex digits/);
    expect(errorOf('\\u{1234567}').message).toMatch(/1 to 6 hex digits/);
    expect(errorOf('\\u{12')).toMatchObject({ index: 0 });
    expect(errorOf('\\uD83D\\uDE00').message).toMatch(/^\\uD83D is half of a UTF-16 surrogate pair/);
    expect(errorOf('\\u{110000}').message).toMatch(/beyond the last Unicode code point/);
    expect(errorOf('\\U00110000')).toMatchObject({ length: 10 });
  });
});

describe('formatEscapes', () => {
  it('shows bytes as one escaped line', () => {
    expect(formatEscapes(utf8('hello\r\n'))).toBe('hello\\r\\n');
    expect(formatEscapes(Uint8Array.from([0x5c, 0x00, 0x31, 0x09, 0x1b, 0x7f]))).toBe('\\\\\\x001\\t\\x1B\\x7F');
    expect(formatEscapes(Uint8Array.from([0x61, 0xff, 0xc3, 0x9f, 0xe2, 0x82]))).toBe('a\\xFFß\\xE2\\x82');
    expect(formatEscapes('C1 \u0085, bidi \u202e, BOM \ufeff')).toBe('C1 \\u0085, bidi \\u202E, BOM \\uFEFF');
    expect(formatEscapes('straße 😀')).toBe('straße 😀');
  });

  it('round-trips any bytes through parseEscapes, including invalid UTF-8', () => {
    const random = seededRandom(0xe5ca9e);
    for (let round = 0; round < 3000; round++) {
      const bytes = randomBytes(random, 40);
      const escaped = formatEscapes(bytes);
      const parsed = parseEscapes(escaped);
      if (!parsed.ok) throw new Error(`round ${round}: ${escaped} → ${parsed.error.message}`);
      expect([...parsed.bytes], escaped).toEqual([...bytes]);
      expect([...escaped].some((char) => char < ' ' || char === '\x7f')).toBe(false);
    }
  });

  it('round-trips every single byte value', () => {
    for (let b = 0; b < 256; b++) {
      const parsed = parseEscapes(formatEscapes(Uint8Array.of(b)));
      expect(parsed.ok && [...parsed.bytes]).toEqual([b]);
    }
  });
});
