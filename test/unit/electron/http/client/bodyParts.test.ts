import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockPool } from '../../../../../electron/http/client/bodyBlocks';
import { BodyStore } from '../../../../../electron/http/client/bodyStore';
import { decodeBody } from '../../../../../electron/http/client/decodeBody';
import { splitRequests } from '../../../../../electron/http/client/splitRequests';
import { createResponseParser } from '../../../../../shared/http/parse/responseParser';

const bytes = (text: string) => new TextEncoder().encode(text);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  const smallBlocks = (blockBytes = 8) => new BlockPool({ blockBytes, maxIdleBytes: 8 * blockBytes, idleMs: 60_000 });

  it('reads any slice across the blocks it copied into, one piece per block however the bytes came', () => {
    const store = new BodyStore(smallBlocks());
    const all = Buffer.from('abcdefghijklmnopqrstuvwxyz');
    for (let i = 0; i < all.length; i += 5) store.append(all.subarray(i, i + 5));
    expect(store.size).toBe(26);
    expect(store.chunks().map((piece) => piece.length)).toEqual([8, 8, 8, 2]);
    for (let offset = 0; offset <= 26; offset++) {
      for (const length of [0, 1, 4, 5, 7, 8, 9, 30]) {
        expect(Buffer.from(store.read(offset, length)).toString()).toBe(
          all.subarray(offset, offset + length).toString(),
        );
      }
    }
  });

  it('keeps a copy: the buffer appended from may be reused (the socket reads into one), and a read is a copy too', () => {
    const store = new BodyStore(smallBlocks());
    const reused = new Uint8Array([1, 2, 3, 4, 5]);
    store.append(reused);
    reused.fill(9);
    store.append(reused.subarray(0, 2));
    const slice = store.read(0, 7);
    expect([...slice]).toEqual([1, 2, 3, 4, 5, 9, 9]);
    slice.fill(0);
    expect([...store.read(0, 3)]).toEqual([1, 2, 3]);
  });

  it('a sealed body holds only its bytes: its partly used last block goes back to the pool', () => {
    const pool = smallBlocks(64 * 1024);
    const store = new BodyStore(pool);
    store.append(new Uint8Array(64 * 1024 + 10).fill(7));
    store.seal();
    expect(store.chunks().map((piece) => piece.buffer.byteLength)).toEqual([64 * 1024, 10]);
    expect(pool.idleBytes).toBe(64 * 1024);
    expect([...store.read(64 * 1024 + 8, 5)]).toEqual([7, 7]);
  });

  it('clearing gives the blocks back for the next body, except while a decode still borrows them', () => {
    const pool = smallBlocks();
    const first = new BodyStore(pool);
    first.append(new Uint8Array(20));
    first.clear();
    expect(pool.idleBytes).toBe(24);
    const second = new BodyStore(pool);
    second.append(new Uint8Array(20).fill(1));
    expect(pool.idleBytes).toBe(0);
    const borrowed = second.chunks();
    const giveBack = second.borrow();
    second.clear();
    expect(pool.idleBytes).toBe(0);
    giveBack();
    expect(borrowed.every((piece) => piece.every((byte) => byte === 1))).toBe(true);
  });
  it('bytes a socket read put into the lent space are kept where they are; framing bytes between are closed up', () => {
    const pool = smallBlocks(16);
    const store = new BodyStore(pool);
    store.append(bytes('ab'));
    const space = store.lend();
    expect(space.length).toBe(14);
    // One read: body bytes, a chunk-size line, more body bytes.
    space.set(bytes('cd\r\n2\r\nef'));
    store.append(space.subarray(0, 2));
    store.append(space.subarray(7, 9));
    store.endLend();
    expect(Buffer.from(store.read(0, 10)).toString()).toBe('abcdef');
    expect(store.chunks().length).toBe(1);
    expect(store.chunks()[0]?.buffer).toBe(space.buffer);
  });

  it('while lent, copies go to a new block, a seal waits for the lend to end, and a clear leaves the lent block to the GC', () => {
    const pool = smallBlocks(16);
    const store = new BodyStore(pool);
    store.append(bytes('ab'));
    const space = store.lend();
    store.append(bytes('cd'));
    expect(store.chunks().map((piece) => piece.buffer === space.buffer)).toEqual([true, false]);
    space.fill(0x7a);
    expect(Buffer.from(store.read(0, 4)).toString()).toBe('abcd');
    store.seal();
    store.endLend();
    expect(store.chunks().map((piece) => piece.buffer.byteLength)).toEqual([16, 2]);
    expect(pool.idleBytes).toBe(16);

    const sealedWhileLent = new BodyStore(pool);
    sealedWhileLent.append(bytes('ab'));
    const lentSpace = sealedWhileLent.lend();
    lentSpace.set(bytes('cd'));
    sealedWhileLent.append(lentSpace.subarray(0, 2));
    sealedWhileLent.seal();
    // The socket may still read into the lent space (a polite close waits for the server's FIN).
    expect(pool.idleBytes).toBe(0);
    sealedWhileLent.endLend();
    expect(pool.idleBytes).toBe(16);
    expect(sealedWhileLent.chunks().map((piece) => piece.buffer.byteLength)).toEqual([4]);
    expect(Buffer.from(sealedWhileLent.read(0, 4)).toString()).toBe('abcd');

    const other = new BodyStore(pool);
    other.append(bytes('x'));
    const lentBlock = other.lend();
    other.clear();
    expect(pool.idleBytes).toBe(0);
    expect(pool.take().buffer).not.toBe(lentBlock.buffer);
  });
});

describe('BodyStore fed by the response parser, as the connection feeds it', () => {
  /** Two pipelined responses, each chunked or with Content-Length, bodies of a known pattern. */
  function wire(bodies: Uint8Array[], chunkSizes: number[], chunked: boolean[]): Uint8Array {
    const parts: Uint8Array[] = [];
    bodies.forEach((body, index) => {
      if (!chunked[index]) {
        parts.push(bytes(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`), body);
        return;
      }
      parts.push(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'));
      for (let at = 0, i = 0; at < body.length; i++) {
        const size = Math.min(body.length - at, chunkSizes[i % chunkSizes.length] as number);
        parts.push(bytes(`${size.toString(16)}\r\n`), body.subarray(at, at + size), bytes('\r\n'));
        at += size;
      }
      parts.push(bytes('0\r\n\r\n'));
    });
    return Buffer.concat(parts);
  }

  it('whatever the read and chunk sizes, bodies read into lent block space or a reused buffer are kept exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 2, maxLength: 2 }),
        fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 150 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
        (sizes, chunkSizes, readSizes, chunked) => {
          const bodies = sizes.map((size, n) => Uint8Array.from({ length: size }, (_, i) => (i * 7 + n * 101) & 0xff));
          const stream = wire(bodies, chunkSizes, chunked);
          const pool = new BlockPool({ blockBytes: 64, maxIdleBytes: 64 * 4, idleMs: 60_000 });
          const stores = bodies.map(() => new BodyStore(pool));
          const parser = createResponseParser({ requests: ['GET', 'GET'] });
          const reused = new Uint8Array(128);
          let inBody: number | undefined;
          let lentTo: BodyStore | undefined;
          for (let at = 0, read = 0; at < stream.length; read++) {
            const space = lentTo ? lentTo.lend() : reused;
            const n = Math.min(readSizes[read % readSizes.length] as number, space.length, stream.length - at);
            space.set(stream.subarray(at, at + n));
            at += n;
            for (const event of parser.push(space.subarray(0, n))) {
              if (event.type === 'head') inBody = event.head.index;
              if (event.type === 'body' && event.data) stores[event.messageIndex]?.append(event.data);
              if (event.type === 'end') {
                stores[event.messageIndex]?.seal();
                inBody = undefined;
              }
            }
            // What the connection does after every read: the lend ends, and the body in progress may borrow again.
            lentTo?.endLend();
            lentTo = inBody === undefined ? undefined : stores[inBody];
          }
          parser.end();
          bodies.forEach((body, index) => {
            const store = stores[index] as BodyStore;
            expect(store.size).toBe(body.length);
            expect(Buffer.from(store.read(0, body.length + 1)).equals(body)).toBe(true);
            // Sealed: whatever the last block held is a copy of its own, the block went back.
            expect(
              store
                .chunks()
                .every((piece) => piece.buffer.byteLength === 64 || piece.length === piece.buffer.byteLength),
            ).toBe(true);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('BlockPool', () => {
  it('reuses given blocks, holds at most its idle limit, and lets them go when unused for its idle time', async () => {
    const pool = new BlockPool({ blockBytes: 4, maxIdleBytes: 8, idleMs: 30 });
    const blocks = [pool.take(), pool.take(), pool.take()];
    for (const block of blocks) pool.give(block);
    expect(pool.idleBytes).toBe(8);
    const again = pool.take();
    expect(blocks).toContain(again);
    pool.give(new Uint8Array(5));
    expect(pool.idleBytes).toBe(4);
    for (let waited = 0; pool.idleBytes > 0 && waited < 2000; waited += 10) await sleep(10);
    expect(pool.idleBytes).toBe(0);
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
