import { expect } from 'vitest';
import type { CollectedStream } from '../../../../../shared/http/parse/collect';
import type { ResponseHead } from '../../../../../shared/http/parse/events';
import { text } from './harness';

export interface ResponseFixture {
  name: string;
  /** Latin-1: each character is one byte. */
  input: string;
  requests: string[];
  closed?: boolean;
  maxHeadBytes?: number;
  maxBodyBytes?: number;
  check(result: CollectedStream<ResponseHead>): void;
}

/** "code@offset" for every diagnostic of a message or the stream, for compact assertions. */
export function codes(diagnostics: readonly { code: string; offset: number }[]): string[] {
  return diagnostics.map((d) => `${d.code}@${d.offset}`);
}

function message(result: CollectedStream<ResponseHead>, index: number) {
  const found = result.messages[index];
  if (!found) throw new Error(`no message ${index}; got ${result.messages.length}`);
  return found;
}

const OK = 'HTTP/1.1 200 OK\r\n';

export const responseFixtures: ResponseFixture[] = [
  {
    name: 'Content-Length body on a persistent connection',
    input: `${OK}Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello`,
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(m.head).toMatchObject({ status: 200, reason: 'OK', versionText: 'HTTP/1.1', persistent: true });
      expect(m.head.framing).toEqual({ kind: 'length', length: 5 });
      expect(m.head.fields.map((f) => [f.name, f.value])).toEqual([
        ['Content-Type', 'text/plain'],
        ['Content-Length', '5'],
      ]);
      expect(text(m.head.raw)).toBe(`${OK}Content-Type: text/plain\r\nContent-Length: 5\r\n\r\n`);
      expect(text(m.body)).toBe('hello');
      expect(m.complete).toBe(true);
      expect(m.endOffset).toBe(m.head.length + 5);
      expect(m.diagnostics).toEqual([]);
      expect(result.diagnostics).toEqual([]);
    },
  },
  {
    name: 'field positions and raw bytes',
    input: `${OK}Content-Length:  0 \r\n\r\n`,
    requests: ['GET'],
    check(result) {
      const field = message(result, 0).head.fields[0];
      expect(field).toMatchObject({
        name: 'Content-Length',
        value: '0',
        offset: 17,
        length: 21,
        nameOffset: 17,
        nameLength: 14,
        valueOffset: 34,
        valueLength: 1,
      });
      expect(text(field?.raw ?? null)).toBe('Content-Length:  0 \r\n');
    },
  },
  {
    name: 'repeated headers stay separate and in order',
    input: `${OK}Set-Cookie: a=1\r\nServer: x\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n`,
    requests: ['GET'],
    check(result) {
      expect(message(result, 0).head.fields.map((f) => `${f.name}: ${f.value}`)).toEqual([
        'Set-Cookie: a=1',
        'Server: x',
        'Set-Cookie: b=2',
        'Content-Length: 0',
      ]);
    },
  },
  {
    name: 'HTTP/1.0 body delimited by close',
    input: 'HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n',
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(m.head.framing).toEqual({ kind: 'close' });
      expect(m.head.persistent).toBe(false);
      expect(text(m.body)).toBe('<p>hi</p>\r\n');
      expect(m.complete).toBe(true);
      expect(codes(m.diagnostics)).toEqual(['close-delimited@44']);
      expect(m.diagnostics[0]?.severity).toBe('info');
    },
  },
  {
    name: 'HTTP/1.1 without length, still open: the body is not over yet',
    input: `${OK}\r\npartial`,
    requests: ['GET'],
    closed: false,
    check(result) {
      const m = message(result, 0);
      expect(m.head.framing).toEqual({ kind: 'close' });
      expect(text(m.body)).toBe('partial');
      expect(m.complete).toBeNull();
    },
  },
  {
    name: 'reason phrase: empty after the space is fine, a missing space is noted',
    input: 'HTTP/1.1 204 \r\n\r\nHTTP/1.1 204\r\n\r\n',
    requests: ['GET', 'GET'],
    check(result) {
      expect(message(result, 0).head.reason).toBe('');
      expect(message(result, 0).diagnostics).toEqual([]);
      expect(message(result, 1).head.status).toBe(204);
      expect(codes(message(result, 1).diagnostics)).toEqual(['missing-reason-phrase@29']);
    },
  },
  {
    name: 'chunked body with extensions and trailers',
    input: `${OK}Transfer-Encoding: chunked\r\n\r\n5;name=value;flag\r\nhello\r\n7\r\n, world\r\n0\r\nExpires: never\r\nX-Sum: 12\r\n\r\n`,
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(m.head.framing).toEqual({ kind: 'chunked' });
      expect(text(m.body)).toBe('hello, world');
      expect(m.chunks.map((c) => [c.size, c.line, c.extensions])).toEqual([
        [5, '5;name=value;flag', [{ name: 'name', value: 'value' }, { name: 'flag' }]],
        [7, '7', []],
        [0, '0', []],
      ]);
      expect(m.chunks[0]).toMatchObject({ offset: 47, length: 19 });
      expect(m.trailers.map((f) => [f.name, f.value])).toEqual([
        ['Expires', 'never'],
        ['X-Sum', '12'],
      ]);
      expect(m.complete).toBe(true);
      expect(m.diagnostics).toEqual([]);
    },
  },
  {
    name: 'chunked with hex sizes, a quoted extension, bare LF and whitespace after the size',
    input: `${OK}Transfer-Encoding: chunked\r\n\r\na;q="x y"\r\n0123456789\r\nB \r\n0123456789A\n0\r\n\r\n`,
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(text(m.body)).toBe('01234567890123456789A');
      expect(m.chunks.map((c) => c.size)).toEqual([10, 11, 0]);
      expect(m.chunks[0]?.extensions).toEqual([{ name: 'q', value: '"x y"' }]);
      expect(codes(m.diagnostics)).toEqual(['chunk-size-whitespace@71', 'bare-lf@85']);
    },
  },
  {
    name: 'answer to HEAD has no body even with Content-Length; the next response follows at once',
    input: `${OK}Content-Length: 1234\r\n\r\n${OK}Content-Length: 2\r\n\r\nok`,
    requests: ['HEAD', 'GET'],
    check(result) {
      expect(message(result, 0).head.framing).toEqual({ kind: 'none', because: 'head-request' });
      expect(message(result, 0).head.method).toBe('HEAD');
      expect(message(result, 0).bodyLength).toBe(0);
      expect(message(result, 1).head.requestIndex).toBe(1);
      expect(text(message(result, 1).body)).toBe('ok');
      expect(result.diagnostics).toEqual([]);
    },
  },
  {
    name: '204 and 304 have no body',
    input:
      'HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nETag: "x"\r\nContent-Length: 99\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n!',
    requests: ['GET', 'GET', 'GET'],
    check(result) {
      expect(result.messages.map((m) => m.head.framing)).toEqual([
        { kind: 'none', because: 'no-content' },
        { kind: 'none', because: 'not-modified' },
        { kind: 'length', length: 1 },
      ]);
      expect(text(message(result, 2).body)).toBe('!');
    },
  },
  {
    name: '100 Continue and 103 Early Hints before the final response',
    input:
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\nLink: </b.js>; rel=preload\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n',
    requests: ['POST'],
    check(result) {
      expect(result.messages.map((m) => [m.head.status, m.head.interim, m.head.requestIndex])).toEqual([
        [100, true, 0],
        [103, true, 0],
        [201, false, 0],
      ]);
      expect(message(result, 1).head.fields.filter((f) => f.name === 'Link')).toHaveLength(2);
      expect(result.messages.every((m) => m.complete)).toBe(true);
      expect(result.diagnostics).toEqual([]);
    },
  },
  {
    name: '101 Switching Protocols: everything after is opaque',
    input:
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello HTTP/1.1 200 OK\r\n',
    requests: ['GET', 'GET'],
    check(result) {
      expect(result.messages).toHaveLength(1);
      expect(message(result, 0).head.framing).toEqual({ kind: 'switch' });
      expect(result.unparsed).toEqual([{ reason: 'switched', offset: 77, length: 25, messageIndex: 0 }]);
      // The second request can never be answered in HTTP on this connection.
      expect(codes(result.diagnostics)).toEqual(['no-response@102']);
    },
  },
  {
    name: '2xx to CONNECT opens a tunnel',
    input: 'HTTP/1.1 200 Connection Established\r\n\r\n\x16\x03\x01',
    requests: ['CONNECT'],
    check(result) {
      expect(message(result, 0).head.framing).toEqual({ kind: 'switch' });
      expect(result.unparsed).toEqual([{ reason: 'switched', offset: 39, length: 3, messageIndex: 0 }]);
    },
  },
  {
    name: 'pipelined responses are attributed to their requests in order',
    input: `${OK}Content-Length: 1\r\n\r\nA${OK}Content-Length: 1\r\n\r\n${OK}Transfer-Encoding: chunked\r\n\r\n1\r\nC\r\n0\r\n\r\n`,
    requests: ['GET', 'HEAD', 'GET'],
    check(result) {
      expect(result.messages.map((m) => [m.head.requestIndex, m.head.method, text(m.body)])).toEqual([
        [0, 'GET', 'A'],
        [1, 'HEAD', ''],
        [2, 'GET', 'C'],
      ]);
      expect(result.diagnostics).toEqual([]);
    },
  },
  {
    name: 'bytes after a complete response with no request outstanding are idle, not a response',
    input: `${OK}Content-Length: 3\r\n\r\nabcdeHTTP/1.1 200 OK\r\n\r\n`,
    requests: ['GET'],
    check(result) {
      expect(result.messages).toHaveLength(1);
      expect(text(message(result, 0).body)).toBe('abc');
      expect(codes(result.diagnostics)).toEqual(['idle-bytes@41']);
      expect(result.unparsed).toEqual([{ reason: 'idle', offset: 41, length: 21 }]);
    },
  },
  {
    name: 'a response before any request is idle bytes too',
    input: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
    requests: [],
    check(result) {
      expect(result.messages).toEqual([]);
      expect(codes(result.diagnostics)).toEqual(['idle-bytes@0']);
      expect(result.unparsed).toEqual([{ reason: 'idle', offset: 0, length: 51 }]);
    },
  },
  {
    name: 'bare LF line endings everywhere',
    input: 'HTTP/1.1 200 OK\nContent-Length: 2\n\nhi',
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(text(m.body)).toBe('hi');
      expect(codes(m.diagnostics)).toEqual(['bare-lf@15', 'bare-lf@33', 'bare-lf@34']);
      expect(m.diagnostics.every((d) => d.severity === 'warning' && d.length === 1)).toBe(true);
    },
  },
  {
    name: 'bare CR inside a header line is read as a space',
    input: `${OK}X-A: one\rtwo\r\nContent-Length: 0\r\n\r\n`,
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(m.head.fields[0]).toMatchObject({ name: 'X-A', value: 'one two' });
      expect(codes(m.diagnostics)).toEqual(['bare-cr@25']);
    },
  },
  {
    name: 'obs-fold continuation lines join the previous value',
    input: `${OK}Server: Apache/2.4.6 (CentOS)\r\n    PHP/7.4.9\r\n\tmod_perl\r\nContent-Length: 0\r\n\r\n`,
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(m.head.fields).toHaveLength(2);
      expect(m.head.fields[0]).toMatchObject({
        name: 'Server',
        value: 'Apache/2.4.6 (CentOS) PHP/7.4.9 mod_perl',
        folded: true,
        offset: 17,
        length: 57,
      });
      expect(codes(m.diagnostics)).toEqual(['obs-fold@48', 'obs-fold@63']);
    },
  },
  {
    name: 'duplicate Content-Length with the same value is tolerated and noted',
    input: `${OK}Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc`,
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(m.head.framing).toEqual({ kind: 'length', length: 3 });
      expect(codes(m.diagnostics)).toEqual(['duplicate-content-length@36']);
      expect(m.diagnostics[0]?.severity).toBe('warning');
    },
  },
  {
    name: 'a Content-Length list with equal values',
    input: `${OK}Content-Length: 2, 2\r\n\r\nab`,
    requests: ['GET'],
    check(result) {
      expect(message(result, 0).head.framing).toEqual({ kind: 'length', length: 2 });
      expect(codes(message(result, 0).diagnostics)).toEqual(['duplicate-content-length@33']);
    },
  },
  {
    name: 'conflicting Content-Length: read until close',
    input: `${OK}Content-Length: 3\r\nContent-Length: 5\r\n\r\nabcde`,
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(m.head.framing).toEqual({ kind: 'close' });
      expect(text(m.body)).toBe('abcde');
      expect(codes(m.diagnostics)).toEqual(['conflicting-content-length@36']);
      expect(m.diagnostics[0]?.severity).toBe('error');
    },
  },
  {
    name: 'invalid Content-Length',
    input: `${OK}Content-Length: -1\r\n\r\nabc`,
    requests: ['GET'],
    check(result) {
      expect(message(result, 0).head.framing).toEqual({ kind: 'close' });
      expect(codes(message(result, 0).diagnostics)).toEqual(['invalid-content-length@33']);
    },
  },
  {
    name: 'Transfer-Encoding with Content-Length: chunked wins',
    input: `${OK}Content-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n`,
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(m.head.framing).toEqual({ kind: 'chunked' });
      expect(text(m.body)).toBe('ok');
      expect(codes(m.diagnostics)).toEqual(['transfer-encoding-with-content-length@17']);
    },
  },
  {
    name: 'Transfer-Encoding without chunked: read until close',
    input: `${OK}Transfer-Encoding: gzip\r\n\r\n\x1f\x8b`,
    requests: ['GET'],
    check(result) {
      expect(message(result, 0).head.framing).toEqual({ kind: 'close' });
      expect(message(result, 0).bodyLength).toBe(2);
      expect(codes(message(result, 0).diagnostics)).toEqual(['transfer-encoding-not-chunked@17']);
    },
  },
  {
    name: 'chunked in an HTTP/1.0 response is noted',
    input: 'HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    requests: ['GET'],
    check(result) {
      expect(codes(message(result, 0).diagnostics)).toEqual(['transfer-encoding-in-http10@17']);
      expect(message(result, 0).complete).toBe(true);
    },
  },
  {
    name: 'invalid chunk size: the rest is unparsed',
    input: `${OK}Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n`,
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(codes(m.diagnostics)).toEqual(['invalid-chunk-size@47']);
      expect(m.diagnostics[0]?.fatal).toBe(true);
      expect(m.complete).toBe(false);
      expect(result.unparsed).toEqual([{ reason: 'error', offset: 47, length: 16 }]);
    },
  },
  {
    name: 'chunk longer than its size: no CRLF where it should be',
    input: `${OK}Transfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdefXYZ\r\n0\r\n\r\n`,
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(text(m.body)).toBe('0123456789abcdef');
      expect(codes(m.diagnostics)).toEqual(['missing-chunk-crlf@67']);
      expect(m.complete).toBe(false);
      expect(result.unparsed).toEqual([{ reason: 'error', offset: 67, length: 10 }]);
    },
  },
  {
    name: 'truncated Content-Length body at close',
    input: `${OK}Content-Length: 10\r\n\r\nhello`,
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(text(m.body)).toBe('hello');
      expect(m.complete).toBe(false);
      expect(codes(m.diagnostics)).toEqual(['truncated-body@44']);
      expect(m.diagnostics[0]?.message).toContain('5 bytes of the 10 bytes');
    },
  },
  {
    name: 'truncated chunked body at close',
    input: `${OK}Transfer-Encoding: chunked\r\n\r\n5\r\nhel`,
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(text(m.body)).toBe('hel');
      expect(m.complete).toBe(false);
      expect(codes(m.diagnostics)).toEqual(['truncated-chunked@53']);
    },
  },
  {
    name: 'truncated in the trailers at close',
    input: `${OK}Transfer-Encoding: chunked\r\n\r\n0\r\nX: 1\r\n`,
    requests: ['GET'],
    check(result) {
      expect(message(result, 0).complete).toBe(false);
      expect(codes(message(result, 0).diagnostics)).toEqual(['truncated-chunked@50']);
    },
  },
  {
    name: 'truncated head at close',
    input: `${OK}Content-Le`,
    requests: ['GET'],
    check(result) {
      expect(result.messages).toEqual([]);
      expect(codes(result.diagnostics)).toEqual(['truncated-head@0']);
      expect(result.unparsed).toEqual([{ reason: 'incomplete', offset: 0, length: 27 }]);
    },
  },
  {
    name: 'header line without a colon, whitespace before the colon, a bad name',
    input: `${OK}Just some words\r\nContent-Length : 2\r\nBad Name: x\r\n\r\nok`,
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(m.head.fields.map((f) => [f.name, f.value, f.malformed ?? false])).toEqual([
        ['', 'Just some words', true],
        ['Content-Length', '2', false],
        ['Bad Name', 'x', true],
      ]);
      expect(text(m.body)).toBe('ok');
      expect(codes(m.diagnostics)).toEqual(['no-colon@17', 'space-before-colon@48', 'invalid-field-name@57']);
    },
  },
  {
    name: 'non-ASCII bytes and a NUL in the head',
    input: `HTTP/1.1 200 \xc3\x9cberall\r\nX-Name: caf\xc3\xa9\r\nX-Raw: \xff\x00\r\nContent-Length: 0\r\n\r\n`,
    requests: ['GET'],
    check(result) {
      const m = message(result, 0);
      expect(m.head.reason).toBe('Überall');
      expect(m.head.fields[0]?.value).toBe('café');
      expect(m.head.fields[1]?.value).toBe('\ufffd\u0000');
      expect(codes(m.diagnostics)).toEqual(['non-ascii@13', 'non-ascii@34', 'non-ascii@45', 'control-character@46']);
    },
  },
  {
    name: 'HTTP/2.0 over a text connection, HTTP/1.2 and a lowercase version',
    input:
      'HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.2 200 OK\r\nContent-Length: 0\r\n\r\nhttp/1.1 200 OK\r\nContent-Length: 0\r\n\r\n',
    requests: ['GET', 'GET', 'GET'],
    check(result) {
      expect(result.messages.map((m) => [m.head.version, codes(m.diagnostics)])).toEqual([
        [{ major: 1, minor: 1 }, ['unsupported-version@0']],
        [{ major: 1, minor: 1 }, ['unsupported-version@38']],
        [{ major: 1, minor: 1 }, ['lowercase-version@76']],
      ]);
      expect(result.messages[0]?.diagnostics[0]?.severity).toBe('error');
    },
  },
  {
    name: 'the slide\'s "HTTP/1.1200 OK" is read, with the missing space reported',
    input: 'HTTP/1.1200 OK\r\nContent-Length: 0\r\n\r\n',
    requests: ['GET'],
    check(result) {
      expect(message(result, 0).head.status).toBe(200);
      expect(codes(message(result, 0).diagnostics)).toEqual(['malformed-status-line@8']);
    },
  },
  {
    name: 'a status code that is not three digits is fatal',
    input: 'HTTP/1.1 20 OK\r\n\r\n',
    requests: ['GET'],
    check(result) {
      expect(result.messages).toEqual([]);
      expect(codes(result.diagnostics)).toEqual(['malformed-status-line@0']);
      expect(result.unparsed).toEqual([{ reason: 'error', offset: 0, length: 18 }]);
    },
  },
  {
    name: 'not HTTP at all (an SMTP greeting) is reported at once',
    input: '220 mail.example.com ESMTP\r\n',
    requests: ['GET'],
    closed: false,
    check(result) {
      expect(codes(result.diagnostics)).toEqual(['not-http@0']);
      expect(result.diagnostics[0]?.message).toContain('"220 m"');
      expect(result.unparsed).toEqual([{ reason: 'error', offset: 0, length: 28 }]);
    },
  },
  {
    name: 'a TLS alert from an HTTPS port',
    input: '\x15\x03\x03\x00\x02\x02\x46',
    requests: ['GET'],
    check(result) {
      expect(codes(result.diagnostics)).toEqual(['tls-bytes@0']);
    },
  },
  {
    name: 'a short non-HTTP reply before close',
    input: 'NO',
    requests: ['GET'],
    check(result) {
      expect(codes(result.diagnostics)).toEqual(['not-http@0']);
      expect(result.unparsed).toEqual([{ reason: 'error', offset: 0, length: 2 }]);
    },
  },
  {
    name: 'head larger than the limit',
    input: `${OK}X-Big: ${'a'.repeat(200)}\r\n\r\n`,
    requests: ['GET'],
    maxHeadBytes: 128,
    check(result) {
      expect(result.messages).toEqual([]);
      expect(codes(result.diagnostics)).toEqual(['head-too-large@0']);
      expect(result.unparsed).toEqual([{ reason: 'error', offset: 0, length: 228 }]);
    },
  },
  {
    name: 'head exactly at the limit is fine',
    input: `${OK}X: ${'a'.repeat(128 - 17 - 7)}\r\n\r\n`,
    requests: ['GET'],
    maxHeadBytes: 128,
    check(result) {
      expect(message(result, 0).head.length).toBe(128);
    },
  },
  {
    name: 'body above the cap is counted, not kept',
    input: `${OK}Content-Length: 25\r\n\r\n0123456789012345678901234`,
    requests: ['GET'],
    maxBodyBytes: 10,
    check(result) {
      const m = message(result, 0);
      expect(text(m.body)).toBe('0123456789');
      expect(m.bodyLength).toBe(25);
      expect(m.complete).toBe(true);
      expect(codes(m.diagnostics)).toEqual(['body-capped@49']);
    },
  },
  {
    name: 'chunked body above the cap',
    input: `${OK}Transfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n8\r\n89abcdef\r\n0\r\n\r\n`,
    requests: ['GET'],
    maxBodyBytes: 10,
    check(result) {
      const m = message(result, 0);
      expect(text(m.body)).toBe('0123456789');
      expect(m.bodyLength).toBe(16);
      expect(codes(m.diagnostics)).toEqual(['body-capped@65']);
    },
  },
  {
    name: 'an extra CRLF after a body before the next response',
    input: `${OK}Content-Length: 1\r\n\r\nx\r\n${OK}Content-Length: 0\r\n\r\n`,
    requests: ['GET', 'GET'],
    check(result) {
      expect(result.messages).toHaveLength(2);
      expect(codes(message(result, 1).diagnostics)).toEqual(['leading-empty-line@39']);
    },
  },
  {
    name: 'the server closes without answering',
    input: '',
    requests: ['GET'],
    check(result) {
      expect(codes(result.diagnostics)).toEqual(['no-response@0']);
    },
  },
  {
    name: 'pipelined requests, HTTP/1.0 server answers one and closes',
    input: 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi',
    requests: ['GET', 'GET', 'GET'],
    check(result) {
      expect(result.messages).toHaveLength(1);
      expect(message(result, 0).head.persistent).toBe(false);
      expect(result.diagnostics.map((d) => d.message)).toEqual([
        'No response to the 2nd request on this connection (GET): the server closed the connection first.',
        'No response to the 3rd request on this connection (GET): the server closed the connection first.',
      ]);
    },
  },
  {
    name: 'another response after Connection: close',
    input: `${OK}Connection: close\r\nContent-Length: 0\r\n\r\n${OK}Content-Length: 0\r\n\r\n`,
    requests: ['GET', 'GET'],
    check(result) {
      expect(message(result, 0).head.persistent).toBe(false);
      expect(codes(message(result, 1).diagnostics)).toEqual(['after-close@57']);
    },
  },
  {
    name: 'HTTP/1.0 keep-alive stays persistent',
    input: 'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n',
    requests: ['GET'],
    check(result) {
      expect(message(result, 0).head.persistent).toBe(true);
    },
  },
  {
    name: 'whitespace before the first header line',
    input: `${OK}  X: 1\r\nContent-Length: 0\r\n\r\n`,
    requests: ['GET'],
    check(result) {
      expect(message(result, 0).head.fields[0]?.malformed).toBe(true);
      expect(codes(message(result, 0).diagnostics)).toEqual(['whitespace-before-first-field@17']);
    },
  },
];
