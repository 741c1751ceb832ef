import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BodyStore } from '../../electron/http/bodyStore';
import { decodeBody } from '../../electron/http/decodeBody';
import { splitRequests } from '../../electron/http/splitRequests';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('splitRequests', () => {
  it('pipelined requests with bodies, by the same framing a server uses', () => {
    const one = 'POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\na=b&c';
    const two = 'HEAD / HTTP/1.1\r\nHost: x\r\n\r\n';
    const three = 'PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n';
    const split = splitRequests(bytes(one + two + three));
    expect(split).toEqual([
      { method: 'POST', target: '/form', offset: 0, length: one.length, complete: true },
      { method: 'HEAD', target: '/', offset: one.length, length: two.length, complete: true },
      { method: 'PUT', target: '/c', offset: one.length + two.length, length: three.length, complete: true },
    ]);
  });

  it('empty lines between requests belong to the one before; leading ones to the first', () => {
    const split = splitRequests(bytes('\r\nGET /a HTTP/1.1\r\n\r\n\r\n\r\nGET /b HTTP/1.1\r\n\r\n\r\n'));
    expect(split.map((r) => [r.target, r.offset, r.length])).toEqual([
      ['/a', 0, 25],
      ['/b', 25, 21],
    ]);
  });

  it('an unfinished head, a body shorter than announced, garbage: still one exchange each, not complete', () => {
    expect(splitRequests(bytes('GET / HTTP/1.1\r\nHost: x\r\n'))).toEqual([
      { method: 'GET', target: '/', offset: 0, length: 25, complete: false },
    ]);
    expect(splitRequests(bytes('POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc'))).toEqual([
      expect.objectContaining({ method: 'POST', complete: false, length: 42 }),
    ]);
    expect(splitRequests(bytes('GET / HTTP/1.1\r\n\r\nhello there'))).toEqual([
      expect.objectContaining({ method: 'GET', complete: true, length: 18 }),
      { method: 'hello', target: 'there', offset: 18, length: 11, complete: false },
    ]);
    expect(splitRequests(bytes('\u00ff\u00fe'))).toEqual([expect.objectContaining({ method: '', complete: false })]);
  });
});

describe('BodyStore', () => {
  it('reads any slice across the pieces it was given, without joining them on append', () => {
    const store = new BodyStore();
    const all = Buffer.from('abcdefghijklmnopqrstuvwxyz');
    for (let i = 0; i < all.length; i += 5) store.append(all.subarray(i, i + 5));
    expect(store.size).toBe(26);
    expect(store.chunks().length).toBe(6);
    for (let offset = 0; offset <= 26; offset++) {
      for (const length of [0, 1, 4, 5, 7, 30]) {
        expect(Buffer.from(store.read(offset, length)).toString()).toBe(
          all.subarray(offset, offset + length).toString(),
        );
      }
    }
  });

  it('copies a small view so the big buffer behind it is not kept', () => {
    const store = new BodyStore();
    const big = new Uint8Array(64 * 1024);
    store.append(big.subarray(0, 10));
    expect(store.chunks()[0]?.buffer.byteLength).toBe(10);
  });
});

describe('decodeBody', () => {
  const text = 'decode me '.repeat(1000);

  it('undoes stacked codings last first', async () => {
    const twice = zlib.brotliCompressSync(zlib.gzipSync(text));
    const decoded = await decodeBody([twice], ['gzip', 'br'], 1 << 20, true);
    expect(Buffer.concat(decoded.pieces).toString()).toBe(text);
    expect(decoded.error).toBeUndefined();
  });

  it('raw deflate (no zlib wrapper) is accepted too', async () => {
    const decoded = await decodeBody([zlib.deflateRawSync(text)], ['deflate'], 1 << 20, true);
    expect(Buffer.concat(decoded.pieces).toString()).toBe(text);
  });

  it('output is bounded (a zip bomb stays small) and the cut is said', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024));
    const decoded = await decodeBody([bomb], ['gzip'], 1000, true);
    expect(decoded.length).toBe(1000);
    expect(decoded.error).toMatch(/larger than/);
  });

  it('an incomplete body decodes as far as it goes', async () => {
    const gz = zlib.gzipSync(text);
    const decoded = await decodeBody([gz.subarray(0, gz.length - 20)], ['gzip'], 1 << 20, false);
    expect(decoded.length).toBeGreaterThan(0);
    expect(text.startsWith(Buffer.concat(decoded.pieces).toString())).toBe(true);
    expect(decoded.error).toMatch(/not complete/);
  });

  it('an unknown coding is named', async () => {
    const decoded = await decodeBody([bytes('x')], ['zstd'], 1000, true);
    expect(decoded.error).toMatch(/"zstd"/);
  });
});
