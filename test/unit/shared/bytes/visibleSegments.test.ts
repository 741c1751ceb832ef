import { describe, expect, it } from 'vitest';
import {
  countInvalidUtf8,
  describeControl,
  mergeTextSegments,
  segmentsToEscapedText,
  segmentsToOriginalText,
  toVisibleSegments,
  toVisibleString,
  utf8SequenceAt,
  type VisibleSegment,
} from '../../../../shared/bytes';
import { randomBytes, seededRandom } from '../../../support/random';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Segments without their byte views, for readable expectations. */
function shape(segments: VisibleSegment[]) {
  return segments.map((segment) =>
    segment.kind === 'control'
      ? { kind: segment.kind, text: segment.text, bytes: [...segment.bytes], lineBreak: segment.lineBreak }
      : { kind: segment.kind, text: segment.text, bytes: [...segment.bytes] },
  );
}

describe('toVisibleSegments', () => {
  it('shows CR, LF, TAB, NUL, DEL and other C0 controls as Control Pictures', () => {
    expect(shape(toVisibleSegments('hi\r\n\tx\0\x7f\x1b\x01'))).toEqual([
      { kind: 'text', text: 'hi', bytes: [0x68, 0x69] },
      { kind: 'control', text: '␍', bytes: [0x0d], lineBreak: false },
      { kind: 'control', text: '␊', bytes: [0x0a], lineBreak: true },
      { kind: 'control', text: '␉', bytes: [0x09], lineBreak: false },
      { kind: 'text', text: 'x', bytes: [0x78] },
      { kind: 'control', text: '␀', bytes: [0x00], lineBreak: false },
      { kind: 'control', text: '␡', bytes: [0x7f], lineBreak: false },
      { kind: 'control', text: '␛', bytes: [0x1b], lineBreak: false },
      { kind: 'control', text: '␁', bytes: [0x01], lineBreak: false },
    ]);
    for (let c = 0; c < 0x20; c++) {
      const [segment] = toVisibleSegments(Uint8Array.of(c));
      expect(segment).toMatchObject({ kind: 'control', text: String.fromCharCode(0x2400 + c), codePoint: c });
    }
  });

  it('keeps printable text, including multi-byte characters, in one segment', () => {
    expect(shape(toVisibleSegments('straße 😀 中文 café'))).toEqual([
      { kind: 'text', text: 'straße 😀 中文 café', bytes: [...utf8('straße 😀 中文 café')] },
    ]);
    expect(toVisibleSegments(new Uint8Array(0))).toEqual([]);
  });

  it('shows invalid UTF-8 as \\xNN per maximal subpart, never as a silent U+FFFD', () => {
    expect(shape(toVisibleSegments(Uint8Array.of(0x61, 0xff, 0xe2, 0x82, 0x41, 0xc0, 0xaf, 0xf0, 0x9f, 0x98)))).toEqual(
      [
        { kind: 'text', text: 'a', bytes: [0x61] },
        { kind: 'invalid', text: '\\xFF', bytes: [0xff] },
        { kind: 'invalid', text: '\\xE2\\x82', bytes: [0xe2, 0x82] },
        { kind: 'text', text: 'A', bytes: [0x41] },
        { kind: 'invalid', text: '\\xC0', bytes: [0xc0] },
        { kind: 'invalid', text: '\\xAF', bytes: [0xaf] },
        { kind: 'invalid', text: '\\xF0\\x9F\\x98', bytes: [0xf0, 0x9f, 0x98] },
      ],
    );
  });

  it('rejects overlongs, surrogates and code points above U+10FFFF as UTF-8 requires', () => {
    const kinds = (bytes: number[]) => toVisibleSegments(Uint8Array.from(bytes)).map((s) => [s.kind, s.bytes.length]);
    expect(kinds([0xe0, 0x80, 0x80])).toEqual([
      ['invalid', 1],
      ['invalid', 1],
      ['invalid', 1],
    ]);
    expect(kinds([0xed, 0xa0, 0x80])).toEqual([
      ['invalid', 1],
      ['invalid', 1],
      ['invalid', 1],
    ]);
    expect(kinds([0xf4, 0x90, 0x80, 0x80])).toEqual([
      ['invalid', 1],
      ['invalid', 1],
      ['invalid', 1],
      ['invalid', 1],
    ]);
    expect(kinds([0xf5])).toEqual([['invalid', 1]]);
    expect(kinds([0xed, 0x9f, 0xbf, 0xf4, 0x8f, 0xbf, 0xbf])).toEqual([['text', 7]]);
  });

  it('shows C1 controls and invisible or bidi-reordering characters as \\uXXXX controls', () => {
    expect(shape(toVisibleSegments('a\u0085b\u202ec\ufeff\u200b'))).toEqual([
      { kind: 'text', text: 'a', bytes: [0x61] },
      { kind: 'control', text: '\\u0085', bytes: [0xc2, 0x85], lineBreak: false },
      { kind: 'text', text: 'b', bytes: [0x62] },
      { kind: 'control', text: '\\u202E', bytes: [0xe2, 0x80, 0xae], lineBreak: false },
      { kind: 'text', text: 'c', bytes: [0x63] },
      { kind: 'control', text: '\\uFEFF', bytes: [0xef, 0xbb, 0xbf], lineBreak: false },
      { kind: 'control', text: '\\u200B', bytes: [0xe2, 0x80, 0x8b], lineBreak: false },
    ]);
    // Joiners stay text: emoji sequences and Persian need them.
    expect(toVisibleSegments('👨\u200d👩 a\u200cb').map((s) => s.kind)).toEqual(['text']);
  });

  it('keeps views into the input rather than copies', () => {
    const input = utf8('ab\r\ncd');
    const segments = toVisibleSegments(input);
    expect(segments.every((segment) => segment.bytes.buffer === input.buffer)).toBe(true);
  });

  it('UTF-8 encodes string input (a lone surrogate becomes U+FFFD, as TextEncoder does)', () => {
    expect(shape(toVisibleSegments('a\ud800b'))).toEqual([
      { kind: 'text', text: 'a\ufffdb', bytes: [0x61, 0xef, 0xbf, 0xbd, 0x62] },
    ]);
  });
});

describe('toVisibleString and copying', () => {
  it('gives the display form, optionally breaking lines after LF', () => {
    const bytes = Uint8Array.of(...utf8('GET / HTTP/1.1\r\nHost: a\r\n'), 0xff);
    expect(toVisibleString(bytes)).toBe('GET / HTTP/1.1␍␊Host: a␍␊\\xFF');
    expect(toVisibleString(bytes, { lineBreaks: true })).toBe('GET / HTTP/1.1␍␊\nHost: a␍␊\n\\xFF');
    expect(toVisibleString(toVisibleSegments('x\ty'))).toBe('x␉y');
  });

  it('copies the original characters, or an escaped form that parses back to the bytes', () => {
    const segments = toVisibleSegments(Uint8Array.of(...utf8('a\\b\r\n\u0085'), 0xfe));
    expect(segmentsToOriginalText(segments)).toBe('a\\b\r\n\u0085\ufffd');
    expect(segmentsToEscapedText(segments)).toBe('a\\\\b\\r\\n\\u0085\\xFE');
  });

  it('is lossless: the segments hold every input byte, in order', () => {
    const random = seededRandom(0x5e6);
    for (let round = 0; round < 2000; round++) {
      const bytes = randomBytes(random, 48);
      const segments = toVisibleSegments(bytes);
      expect(segments.flatMap((segment) => [...segment.bytes])).toEqual([...bytes]);
      // Neighbouring text segments never occur; each control is one character.
      for (let i = 1; i < segments.length; i++) {
        expect(segments[i - 1]?.kind === 'text' && segments[i]?.kind === 'text').toBe(false);
      }
    }
  });

  it('agrees with TextDecoder on what is valid: each invalid subpart is where it puts one U+FFFD', () => {
    const random = seededRandom(0xdec0de);
    const decoder = new TextDecoder();
    for (let round = 0; round < 3000; round++) {
      const bytes = randomBytes(random, 48);
      const segments = toVisibleSegments(bytes);
      expect(segmentsToOriginalText(segments)).toBe(decoder.decode(bytes));
      const invalid = segments.filter((segment) => segment.kind === 'invalid');
      expect(invalid.reduce((sum, segment) => sum + segment.bytes.length, 0)).toBe(countInvalidUtf8(bytes));
    }
  });
});

describe('mergeTextSegments', () => {
  it('joins neighbouring text segments and leaves the rest alone', () => {
    const merged = mergeTextSegments([
      ...toVisibleSegments('ab'),
      ...toVisibleSegments('cß'),
      ...toVisibleSegments('\n'),
      ...toVisibleSegments('d'),
    ]);
    expect(shape(merged)).toEqual([
      { kind: 'text', text: 'abcß', bytes: [...utf8('abcß')] },
      { kind: 'control', text: '␊', bytes: [0x0a], lineBreak: true },
      { kind: 'text', text: 'd', bytes: [0x64] },
    ]);
  });
});

describe('utf8SequenceAt', () => {
  it('tells valid, invalid (with subpart length) and incomplete apart', () => {
    const at = (bytes: number[], end = bytes.length) => utf8SequenceAt(Uint8Array.from(bytes), 0, end);
    expect(at([0x41])).toBe(1);
    expect(at([0xc3, 0x9f])).toBe(2);
    expect(at([0xe4, 0xb8, 0xad])).toBe(3);
    expect(at([0xf0, 0x9f, 0x98, 0x80])).toBe(4);
    expect(at([0xf0, 0x9f, 0x98])).toBe(0);
    expect(at([0xf0, 0x9f, 0x98, 0x41])).toBe(-3);
    expect(at([0xc3, 0x9f], 1)).toBe(0);
    expect(at([0x80])).toBe(-1);
    expect(at([0xc1, 0xbf])).toBe(-1);
  });
});

describe('describeControl', () => {
  it('names controls for tooltips', () => {
    expect(describeControl(0x0d)).toBe('U+000D CR (carriage return)');
    expect(describeControl(0x0a)).toBe('U+000A LF (line feed)');
    expect(describeControl(0x01)).toBe('U+0001 SOH');
    expect(describeControl(0x7f)).toBe('U+007F DEL (delete)');
    expect(describeControl(0x85)).toBe('U+0085 C1 control NEL (next line)');
    expect(describeControl(0x202e)).toBe('U+202E RIGHT-TO-LEFT OVERRIDE');
  });
});
