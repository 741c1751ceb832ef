import { describe, expect, it } from 'vitest';
import {
  createStreamDecoder,
  mergeTextSegments,
  toVisibleSegments,
  toVisibleString,
  type VisibleSegment,
} from '../../../../shared/bytes';
import { randomBytes, randomInt, seededRandom } from '../../../support/random';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Comparable form: kinds, display text and bytes as plain arrays, neighbouring text merged. */
function normalise(segments: VisibleSegment[]) {
  return mergeTextSegments(segments).map((segment) => ({
    kind: segment.kind,
    text: segment.text,
    bytes: [...segment.bytes],
    lineBreak: segment.kind === 'control' ? segment.lineBreak : undefined,
  }));
}

function decodeInChunks(bytes: Uint8Array, cuts: number[]): VisibleSegment[] {
  const decoder = createStreamDecoder();
  const out: VisibleSegment[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...decoder.push(bytes.subarray(start, cut)));
    start = cut;
  }
  out.push(...decoder.end());
  return out;
}

const samples: [string, Uint8Array][] = [
  ['straße', utf8('straße')],
  ['emoji (4-byte)', utf8('a😀b🎉\r\n')],
  ['CJK', utf8('中文字符，日本語テキスト')],
  ['mixed invalid', Uint8Array.of(...utf8('ok ß'), 0xff, 0xe2, 0x82, ...utf8('😀'), 0xf0, 0x9f, 0x98, 0x0a, 0xc3)],
  ['controls and C1', utf8('x\u0085y\u202ez\t\0\x7f')],
  ['cut-off character at the end', Uint8Array.of(0x61, 0xf0, 0x9f, 0x98)],
];

describe('createStreamDecoder', () => {
  it('holds a character split across chunks and emits it whole with the next chunk', () => {
    const decoder = createStreamDecoder();
    const bytes = utf8('stra😀');
    expect(toVisibleString(decoder.push(bytes.subarray(0, 5)))).toBe('stra');
    expect(decoder.pendingBytes).toBe(1);
    expect(decoder.push(bytes.subarray(5, 6))).toEqual([]);
    expect(decoder.pendingBytes).toBe(2);
    expect(toVisibleString(decoder.push(bytes.subarray(6)))).toBe('😀');
    expect(decoder.pendingBytes).toBe(0);
    expect(decoder.end()).toEqual([]);
  });

  it('reports a lone 0xFF as \\xFF right away, and an unfinished character at the end', () => {
    const decoder = createStreamDecoder();
    expect(toVisibleString(decoder.push(Uint8Array.of(0x41, 0xff)))).toBe('A\\xFF');
    expect(decoder.push(Uint8Array.of(0xe2, 0x82))).toEqual([]);
    expect(toVisibleString(decoder.push(Uint8Array.of(0x41)))).toBe('\\xE2\\x82A');
    expect(decoder.push(Uint8Array.of(0xc3))).toEqual([]);
    const [last] = decoder.end();
    expect(last).toMatchObject({ kind: 'invalid', text: '\\xC3' });
    expect(decoder.pendingBytes).toBe(0);
  });

  it('can be reused after end()', () => {
    const decoder = createStreamDecoder();
    decoder.push(Uint8Array.of(0xe4));
    decoder.end();
    expect(toVisibleString(decoder.push(utf8('ok')))).toBe('ok');
  });

  for (const [name, bytes] of samples) {
    it(`gives identical output whatever the chunk boundaries: ${name}`, () => {
      const whole = normalise(toVisibleSegments(bytes));
      for (let cut = 0; cut <= bytes.length; cut++) {
        expect(normalise(decodeInChunks(bytes, [cut])), `split at ${cut}`).toEqual(whole);
      }
      for (let a = 0; a <= bytes.length; a++) {
        for (let b = a; b <= bytes.length; b++) {
          expect(normalise(decodeInChunks(bytes, [a, b])), `split at ${a} and ${b}`).toEqual(whole);
        }
      }
      const everyByte = Array.from({ length: bytes.length }, (_, i) => i);
      expect(normalise(decodeInChunks(bytes, everyByte)), 'one byte per chunk').toEqual(whole);
    });
  }

  it('gives identical output for random bytes cut at random places', () => {
    const random = seededRandom(0xc4a1);
    for (let round = 0; round < 1500; round++) {
      const bytes = randomBytes(random, 64);
      const cuts: number[] = [];
      let at = 0;
      while (at < bytes.length) {
        at += 1 + randomInt(random, 6);
        if (at < bytes.length) cuts.push(at);
      }
      expect(normalise(decodeInChunks(bytes, cuts))).toEqual(normalise(toVisibleSegments(bytes)));
    }
  });

  it('skip() holds back exactly what push() would, chunk by chunk, without building segments', () => {
    const random = seededRandom(0x5c1b);
    for (let round = 0; round < 1500; round++) {
      const bytes = randomBytes(random, 64);
      const pushed = createStreamDecoder();
      const skipped = createStreamDecoder();
      let start = 0;
      while (start < bytes.length) {
        const cut = Math.min(bytes.length, start + 1 + randomInt(random, 6));
        const chunk = bytes.subarray(start, cut);
        pushed.push(chunk);
        skipped.skip(chunk);
        expect(skipped.pendingBytes).toBe(pushed.pendingBytes);
        start = cut;
      }
      // What skip() held back ends the stream exactly as push()'s did.
      expect(normalise(skipped.end())).toEqual(normalise(pushed.end()));
    }
  });

  it('merges a completed character into the text that follows it within one push', () => {
    const decoder = createStreamDecoder();
    const bytes = utf8('aßbc');
    decoder.push(bytes.subarray(0, 2));
    const segments = decoder.push(bytes.subarray(2));
    expect(segments.map((segment) => segment.text)).toEqual(['ßbc']);
  });
});
