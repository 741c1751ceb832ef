import { describe, expect, it } from 'vitest';
import { type CollectedStream, parseRequests } from '../../../../../shared/http/parse/collect';
import type { RequestHead } from '../../../../../shared/http/parse/events';
import { createRequestParser } from '../../../../../shared/http/parse/requestParser';
import { canonical, everyChunkSize, latin1, randomCuts, runRequests, splitAt, text } from './harness';
import { codes } from './responseFixtures';

interface RequestFixture {
  name: string;
  input: string;
  closed?: boolean;
  check(result: CollectedStream<RequestHead>): void;
}

const fixtures: RequestFixture[] = [
  {
    name: 'a GET with Host',
    input: 'GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nAccept: text/html\r\n\r\n',
    check(result) {
      const m = result.messages[0];
      expect(m?.head).toMatchObject({ method: 'GET', target: '/index.html', version: { major: 1, minor: 1 } });
      expect(m?.head.framing).toEqual({ kind: 'none', because: 'no-length' });
      expect(m?.head.persistent).toBe(true);
      expect(m?.complete).toBe(true);
      expect(m?.diagnostics).toEqual([]);
    },
  },
  {
    name: 'pipelined requests come out in order',
    input: 'GET /a HTTP/1.1\r\nHost: h\r\n\r\nHEAD /b HTTP/1.1\r\nHost: h\r\n\r\nGET /c HTTP/1.0\r\n\r\n',
    check(result) {
      expect(result.messages.map((m) => [m.head.index, m.head.method, m.head.target, m.head.versionText])).toEqual([
        [0, 'GET', '/a', 'HTTP/1.1'],
        [1, 'HEAD', '/b', 'HTTP/1.1'],
        [2, 'GET', '/c', 'HTTP/1.0'],
      ]);
      expect(result.messages[2]?.head.persistent).toBe(false);
    },
  },
  {
    name: 'a POST body by Content-Length, then the next request',
    input:
      'POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\nname=Ada&x=GET / HTTP/1.1\r\nHost: h\r\n\r\n',
    check(result) {
      expect(text(result.messages[0]?.body ?? null)).toBe('name=Ada&x=');
      expect(result.messages[1]?.head.target).toBe('/');
    },
  },
  {
    name: 'a chunked upload with trailers',
    input: 'PUT /f HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\nDigest: x\r\n\r\n',
    check(result) {
      expect(text(result.messages[0]?.body ?? null)).toBe('Wiki');
      expect(result.messages[0]?.trailers.map((f) => f.name)).toEqual(['Digest']);
    },
  },
  {
    name: 'empty lines before a request line are skipped and noted',
    input: '\r\n\nGET / HTTP/1.1\r\nHost: h\r\n\r\n',
    check(result) {
      expect(result.messages[0]?.head.offset).toBe(3);
      expect(codes(result.messages[0]?.diagnostics ?? [])).toEqual(['leading-empty-line@0']);
      expect(result.messages[0]?.diagnostics[0]).toMatchObject({ length: 3, severity: 'info' });
    },
  },
  {
    name: 'not a request line: fatal at the first line, not after a head that never ends',
    input: 'hello\r\n',
    closed: false,
    check(result) {
      expect(codes(result.diagnostics)).toEqual(['malformed-request-line@0']);
      expect(result.diagnostics[0]?.fatal).toBe(true);
      expect(result.unparsed).toEqual([{ reason: 'error', offset: 0, length: 7 }]);
    },
  },
  {
    name: 'an HTTP/0.9 request line',
    input: 'GET /\r\n',
    check(result) {
      expect(codes(result.diagnostics)).toEqual(['http09-request@0']);
      expect(result.diagnostics[0]?.message).toContain('GET / HTTP/1.1');
    },
  },
  {
    name: 'a TLS ClientHello on the plain port',
    input: '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
    check(result) {
      expect(codes(result.diagnostics)).toEqual(['tls-bytes@0']);
    },
  },
  {
    name: 'HTTP/2.0 and a malformed version',
    input: 'GET / HTTP/2.0\r\nHost: h\r\n\r\nGET / HTTP1.1\r\nHost: h\r\n\r\n',
    check(result) {
      expect(codes(result.messages[0]?.diagnostics ?? [])).toEqual(['unsupported-version@6']);
      expect(result.messages[1]?.head.version).toBeNull();
      expect(codes(result.messages[1]?.diagnostics ?? [])).toEqual(['malformed-version@33']);
    },
  },
  {
    name: 'conflicting Content-Length: fatal, the rest cannot be framed',
    input: 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nabGET / HTTP/1.1\r\n\r\n',
    check(result) {
      expect(result.messages).toHaveLength(1);
      expect(result.messages[0]?.complete).toBe(false);
      expect(codes(result.messages[0]?.diagnostics ?? [])).toEqual(['conflicting-content-length@45']);
      expect(result.unparsed).toEqual([{ reason: 'error', offset: 66, length: 20 }]);
    },
  },
  {
    name: 'Transfer-Encoding without chunked in a request is fatal',
    input: 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\nxx',
    check(result) {
      expect(codes(result.messages[0]?.diagnostics ?? [])).toEqual(['transfer-encoding-not-chunked@26']);
      expect(result.messages[0]?.diagnostics[0]?.fatal).toBe(true);
    },
  },
  {
    name: 'request-target problems: a space, a backslash, a missing slash',
    input:
      'GET /my file.html HTTP/1.1\r\nHost: h\r\n\r\nGET \\index.html HTTP/1.1\r\nHost: h\r\n\r\nGET index.html HTTP/1.1\r\nHost: h\r\n\r\n',
    check(result) {
      expect(result.messages.map((m) => [m.head.target, codes(m.diagnostics)])).toEqual([
        ['/my file.html', ['invalid-target@4']],
        ['\\index.html', ['backslash-in-target@43']],
        ['index.html', ['invalid-target@80']],
      ]);
    },
  },
  {
    name: 'a lowercase method and extra spaces',
    input: 'get  / HTTP/1.1\r\nHost: h\r\n\r\n',
    check(result) {
      expect(codes(result.messages[0]?.diagnostics ?? [])).toEqual(['lowercase-method@0', 'extra-whitespace@3']);
    },
  },
  {
    name: 'OPTIONS *, CONNECT authority form and absolute form are valid targets',
    input:
      'OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\nCONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nGET http://h/x HTTP/1.1\r\nHost: h\r\n\r\n',
    check(result) {
      expect(result.messages.map((m) => m.diagnostics)).toEqual([[], [], []]);
    },
  },
];

describe('request parser fixtures', () => {
  for (const fixture of fixtures) {
    const bytes = latin1(fixture.input);
    const options = { closed: fixture.closed ?? true };
    it(fixture.name, () => {
      fixture.check(parseRequests(bytes, options));
    });
    it(`${fixture.name}: same events for every chunk size and random cuts`, () => {
      const whole = canonical(runRequests([bytes], options));
      for (let size = 1; size <= bytes.length; size++) {
        if (canonical(runRequests(everyChunkSize(bytes, size), options)) !== whole) {
          expect.fail(`chunk size ${size} differs`);
        }
      }
      for (let seed = 1; seed <= 30; seed++) {
        const cuts = randomCuts(bytes, seed);
        if (canonical(runRequests(splitAt(bytes, cuts), options)) !== whole) expect.fail(`cuts ${cuts} differ`);
      }
    });
  }
});

describe('createRequestParser', () => {
  it('hands a server the head before the body arrives (for Expect: 100-continue)', () => {
    const parser = createRequestParser();
    const events = parser.push(
      latin1('PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n'),
    );
    expect(events.map((e) => e.type)).toEqual(['head']);
    expect(parser.state).toBe('length');
    expect(parser.push(latin1('abc')).map((e) => e.type)).toEqual(['body', 'end']);
    expect(parser.state).toBe('head');
  });

  it('a client that closes between requests leaves nothing to report', () => {
    const parser = createRequestParser();
    parser.push(latin1('GET / HTTP/1.1\r\nHost: h\r\n\r\n'));
    expect(parser.end()).toEqual([]);
  });
});
