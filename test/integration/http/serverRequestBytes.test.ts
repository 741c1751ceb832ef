import { describe, expect, test } from 'vitest';
import { RequestByteStream } from '../../../electron/http/server/requestBytes';

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

// What the server sees on one connection: requests with and without bodies, pipelined.
const requests = [
  '\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n',
  'POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello=world',
  'PUT /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n',
  'HEAD /style.css HTTP/1.0\r\n\r\n',
];
const stream = Buffer.from(requests.join(''), 'latin1');

/** Feeds the stream in pieces of `size`, taking each request when its head is complete (as Node announces it). */
function cut(size: number, cap = 1024): string[] {
  const bytes = new RequestByteStream(cap);
  const heads = requests.map((request) => {
    const start = stream.indexOf(request);
    return start + request.indexOf('\r\n\r\n', request.startsWith('\r\n') ? 2 : 0) + 4;
  });
  const taken: string[] = [];
  for (let at = 0; at < stream.length; at += size) {
    bytes.push(stream.subarray(at, at + size));
    const seen = Math.min(stream.length, at + size);
    while (taken.length < requests.length && (heads[taken.length] ?? Infinity) <= seen) {
      const next = requests[taken.length] as string;
      const bodyLength = next.startsWith('POST') ? 11 : 0;
      const { raw, total } = bytes.takeRequest(bodyLength);
      taken.push(latin1(raw));
      if (!next.startsWith('PUT')) expect(total).toBe(next.length);
    }
  }
  return taken;
}

describe('each request cut from the connection stream', () => {
  test('whole when all arrives at once', () => {
    expect(cut(stream.length)).toEqual(requests);
  });

  test.each(Array.from({ length: 12 }, (_, i) => i + 1))(
    'in pieces of %i bytes: heads whole, bodies as far as they arrived, nothing of one request in the next',
    (size) => {
      const taken = cut(size);
      expect(taken).toHaveLength(requests.length);
      taken.forEach((raw, i) => {
        const request = requests[i] as string;
        expect(request.startsWith(raw)).toBe(true);
        expect(raw.length).toBeGreaterThanOrEqual(request.indexOf('\r\n\r\n', 2) + 4);
      });
    },
  );

  test('the cap keeps only the start of a large request, and counts it all', () => {
    const bytes = new RequestByteStream(16);
    const big = `GET /${'a'.repeat(100)} HTTP/1.1\r\nHost: a\r\n\r\n`;
    bytes.push(Buffer.from(big, 'latin1'));
    const { raw, total } = bytes.takeRequest(0);
    expect(latin1(raw)).toBe(big.slice(0, 16));
    expect(total).toBe(big.length);
  });

  test('what the parser refused comes out whole with takeRest', () => {
    const bytes = new RequestByteStream(1024);
    bytes.push(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\nGARBAGE\r\n\r\n', 'latin1'));
    expect(latin1(bytes.takeRequest(0).raw)).toBe('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(latin1(bytes.takeRest().raw)).toBe('GARBAGE\r\n\r\n');
  });
});
