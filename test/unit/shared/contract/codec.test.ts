import { describe, expect, it } from 'vitest';
import { CodecError, decodeFrame, encodeFrame } from '../../../../shared/contract/codec';
import type { Frame } from '../../../../shared/contract/frames';

const roundTrip = (frame: unknown) => decodeFrame(encodeFrame(frame));

/** Builds a frame by hand: version byte, head JSON, then the given blocks. */
function rawFrame(head: string, blocks: Uint8Array[] = [], options: { version?: number; count?: number } = {}) {
  const headBytes = new TextEncoder().encode(head);
  const parts: number[] = [options.version ?? 1, ...u32(headBytes.byteLength), ...headBytes];
  parts.push(...u32(options.count ?? blocks.length));
  for (const block of blocks) parts.push(...u32(block.byteLength), ...block);
  return new Uint8Array(parts);
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function expectCodecError(input: Uint8Array, message?: RegExp) {
  let thrown: unknown;
  try {
    decodeFrame(input);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CodecError);
  if (message) expect((thrown as Error).message).toMatch(message);
}

describe('codec round trip', () => {
  const bytes = new Uint8Array([0, 1, 2, 13, 10, 255]);
  const frames: Array<[string, Frame]> = [
    ['request', { kind: 'request', id: 1, method: 'app.ping', payload: { data: bytes } }],
    ['cancel', { kind: 'cancel', id: 7 }],
    ['response ok', { kind: 'response', id: 2, ok: true, result: { data: bytes, receivedAt: 123.5 } }],
    [
      'response error',
      {
        kind: 'response',
        id: 3,
        ok: false,
        error: { code: 'E_BAD_REQUEST', message: 'payload.port: too big', field: 'payload.port', details: { max: 1 } },
      },
    ],
    ['event', { kind: 'event', name: 'clock.tick', payload: { now: 1, seq: 0 } }],
  ];

  for (const [name, frame] of frames) {
    it(`keeps a ${name} frame intact`, () => {
      expect(roundTrip(frame)).toEqual(frame);
    });
  }

  it('carries bytes as Uint8Array: empty, 1 MiB, several, nested in arrays and objects', () => {
    const big = new Uint8Array(1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const payload = {
      empty: new Uint8Array(0),
      big,
      list: [new Uint8Array([1]), { inner: new Uint8Array([2, 3]) }, [new Uint8Array([4, 5, 6])]],
    };
    const decoded = roundTrip({ kind: 'event', name: 'x', payload }) as { payload: typeof payload };
    expect(decoded.payload.empty).toBeInstanceOf(Uint8Array);
    expect(decoded.payload.empty.byteLength).toBe(0);
    expect(decoded.payload.big).toBeInstanceOf(Uint8Array);
    // Buffer#equals: a deep toEqual over a million elements takes seconds.
    expect(Buffer.from(decoded.payload.big).equals(big)).toBe(true);
    expect(decoded.payload.list).toEqual(payload.list);
    expect((decoded.payload.list[1] as { inner: Uint8Array }).inner).toBeInstanceOf(Uint8Array);
  });

  it('copies decoded bytes out of the input, so they do not alias the message buffer', () => {
    const encoded = encodeFrame({ data: new Uint8Array([9, 9, 9]) });
    const decoded = decodeFrame(encoded) as { data: Uint8Array };
    encoded.fill(0);
    expect(decoded.data).toEqual(new Uint8Array([9, 9, 9]));
  });

  it('with viewBlocks, hands out views of the input instead (the page owns each message buffer)', () => {
    const encoded = encodeFrame({ data: new Uint8Array([9, 9, 9]), more: [new Uint8Array([7])] });
    const decoded = decodeFrame(encoded, { viewBlocks: true }) as { data: Uint8Array; more: Uint8Array[] };
    expect(decoded.data).toEqual(new Uint8Array([9, 9, 9]));
    expect(decoded.more[0]).toEqual(new Uint8Array([7]));
    expect(decoded.data.buffer).toBe(encoded.buffer);
  });

  it('decodes from a view with an offset into a larger buffer (as ws hands out)', () => {
    const encoded = encodeFrame({ data: new Uint8Array([1, 2, 3]), text: 'hi' });
    const host = new Uint8Array(encoded.byteLength + 16);
    host.set(encoded, 7);
    expect(decodeFrame(host.subarray(7, 7 + encoded.byteLength))).toEqual({
      data: new Uint8Array([1, 2, 3]),
      text: 'hi',
    });
  });

  it('keeps user keys that start with $ (including one that looks like a byte marker)', () => {
    const payload = { $b: 0, $$b: 'x', $: [1], $$$: { $b: 1 }, plain: '$b' };
    expect(roundTrip({ kind: 'event', name: 'x', payload })).toEqual({ kind: 'event', name: 'x', payload });
    expect(roundTrip({ $b: 0 })).toEqual({ $b: 0 });
  });

  it('keeps a "__proto__" key as data instead of letting it replace the prototype', () => {
    const payload = JSON.parse('{"__proto__": {"kind": "request"}, "a": 1}') as Record<string, unknown>;
    const decoded = roundTrip(payload) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value).toEqual({ kind: 'request' });
    expect(decoded.kind).toBeUndefined();

    const crafted = decodeFrame(rawFrame('{"__proto__":{"kind":"request","id":1}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(crafted)).toBe(Object.prototype);
    expect(crafted.kind).toBeUndefined();
  });

  it('keeps text with CR/LF, NUL and non-ASCII characters exactly', () => {
    const text = 'HELO x\r\n\0 é 日本 🙂';
    expect(roundTrip({ text })).toEqual({ text });
  });

  it('refuses to encode values JSON would silently change', () => {
    expect(() => encodeFrame({ n: Number.NaN })).toThrow(CodecError);
    expect(() => encodeFrame({ n: Number.POSITIVE_INFINITY })).toThrow(CodecError);
    expect(() => encodeFrame({ n: 1n })).toThrow(CodecError);
  });
});

describe('codec rejects malformed input with CodecError', () => {
  const good = encodeFrame({ kind: 'request', id: 1, method: 'app.ping', payload: { data: new Uint8Array([1, 2]) } });

  it('rejects empty input', () => expectCodecError(new Uint8Array(0), /truncated/));

  it('rejects every truncation of a valid frame', () => {
    for (let length = 0; length < good.byteLength; length++) expectCodecError(good.subarray(0, length));
  });

  it('rejects stray bytes after the last block', () => {
    const longer = new Uint8Array(good.byteLength + 1);
    longer.set(good);
    expectCodecError(longer, /stray/);
  });

  it('rejects an unknown version', () => expectCodecError(rawFrame('{}', [], { version: 2 }), /version/));

  it('rejects a head that is not JSON or not UTF-8', () => {
    expectCodecError(rawFrame('{not json'), /JSON/);
    const bad = rawFrame('"ab"');
    bad[6] = 0xff; // inside the head: an invalid UTF-8 byte
    expectCodecError(bad, /UTF-8/);
  });

  it('rejects a head length beyond the input', () => {
    const frame = rawFrame('{}');
    frame.set(u32(0xffffffff), 1);
    expectCodecError(frame, /truncated/);
  });

  it('rejects a block count larger than the input could hold', () => {
    expectCodecError(rawFrame('{}', [], { count: 0xffffffff }), /more blocks/);
    expectCodecError(rawFrame('{}', [new Uint8Array([1])], { count: 2 }));
  });

  it('rejects a block length beyond the input', () => {
    const frame = rawFrame('{"$b":0}', [new Uint8Array([1, 2, 3])]);
    frame.set(u32(1000), frame.byteLength - 3 - 4);
    expectCodecError(frame, /truncated/);
  });

  it('rejects markers that point nowhere or are not integers', () => {
    expectCodecError(rawFrame('{"$b":0}'), /missing block/);
    expectCodecError(rawFrame('{"$b":1}', [new Uint8Array([1])]), /missing block/);
    expectCodecError(rawFrame('{"$b":-1}', [new Uint8Array([1])]), /missing block/);
    expectCodecError(rawFrame('{"$b":0.5}', [new Uint8Array([1])]), /missing block/);
    expectCodecError(rawFrame('{"$b":"0"}', [new Uint8Array([1])]), /missing block/);
  });

  it('rejects unescaped $ keys that are not a lone marker', () => {
    expectCodecError(rawFrame('{"$x":1}'), /marker key/);
    expectCodecError(rawFrame('{"$b":0,"other":1}', [new Uint8Array([1])]), /marker key/);
  });

  it('rejects nesting deeper than the codec allows', () => {
    expectCodecError(rawFrame(`${'['.repeat(100)}${']'.repeat(100)}`), /deep/);
    expectCodecError(rawFrame(`${'['.repeat(200_000)}${']'.repeat(200_000)}`));
  });

  it('throws only CodecError on random bytes and on mutated valid frames', () => {
    // A fixed-seed generator keeps the loop bounded and any failure reproducible.
    let seed = 0x2545f491;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    let decoded = 0;
    for (let round = 0; round < 3000; round++) {
      let input: Uint8Array;
      if (round % 2 === 0) {
        input = new Uint8Array(next() % 64);
        for (let i = 0; i < input.length; i++) input[i] = next() & 0xff;
        if (input.length > 0 && round % 4 === 0) input[0] = 1; // get past the version check
      } else {
        input = good.slice();
        for (let flips = 1 + (next() % 3); flips > 0; flips--) input[next() % input.length] = next() & 0xff;
      }
      try {
        decodeFrame(input);
        decoded++;
      } catch (error) {
        if (!(error instanceof CodecError))
          throw new Error(`non-CodecError for ${Array.from(input)}: ${error}`, { cause: error });
      }
    }
    // Some single-byte changes (inside the JSON strings or the bytes) still decode.
    expect(decoded).toBeGreaterThan(0);
  });
});
