import { describe, expect, it } from 'vitest';
import { type LintDiagnostic, lintRequest } from '../../../../../shared/http';

/** code line:column [offset,+length] "covered text", the compact form of one finding. */
function show(text: string, found: LintDiagnostic[]): string[] {
  return found.map(
    (d) =>
      `${d.code} ${d.line}:${d.column} [${d.offset},+${d.length}] ${JSON.stringify(text.slice(d.offset, d.offset + d.length))}`,
  );
}

const lint = (text: string) => show(text, lintRequest(text));

describe('lintRequest', () => {
  it('has nothing to say about a correct request', () => {
    expect(lintRequest('GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nConnection: keep-alive\r\n\r\n')).toEqual(
      [],
    );
    expect(lintRequest('POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello')).toEqual([]);
    expect(lintRequest('GET / HTTP/1.0\r\n\r\n')).toEqual([]);
  });

  it('flags every line that ends in a bare LF', () => {
    expect(lint('GET / HTTP/1.1\nHost: h\n\n')).toEqual([
      'bare-lf 1:15 [14,+1] "\\n"',
      'bare-lf 2:8 [22,+1] "\\n"',
      'bare-lf 3:1 [23,+1] "\\n"',
    ]);
  });

  it('flags a line that ends in a bare CR, and still lints the rest', () => {
    const found = lintRequest('GET / HTTP/1.1\rAccept: */*\r\n\r\n');
    expect(show('GET / HTTP/1.1\rAccept: */*\r\n\r\n', found)).toEqual([
      'missing-host 1:1 [0,+14] "GET / HTTP/1.1"',
      'bare-cr 1:15 [14,+1] "\\r"',
    ]);
    expect(found[1]?.severity).toBe('error');
  });

  it('a missing empty line after the headers, or a missing line end', () => {
    expect(lint('GET / HTTP/1.1\r\nHost: h\r\n')).toEqual(['missing-blank-line 3:1 [25,+0] ""']);
    expect(lint('GET / HTTP/1.1\r\nHost: h')).toEqual(['missing-line-end 2:8 [23,+0] ""']);
    expect(lint('GET / HTTP/1.1')).toEqual([
      'missing-host 1:1 [0,+14] "GET / HTTP/1.1"',
      'missing-line-end 1:15 [14,+0] ""',
    ]);
  });

  it('HTTP/1.1 without Host; duplicate and URL-shaped Host values', () => {
    expect(lint('GET / HTTP/1.1\r\nAccept: */*\r\n\r\n')).toEqual(['missing-host 1:1 [0,+14] "GET / HTTP/1.1"']);
    expect(lint('GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n')).toEqual([
      'duplicate-host 3:1 [25,+9] "Host: b\\r\\n"',
    ]);
    const found = lintRequest('GET / HTTP/1.1\r\nHost: http://example.com/x\r\n\r\n');
    expect(show('GET / HTTP/1.1\r\nHost: http://example.com/x\r\n\r\n', found)).toEqual([
      'invalid-host 2:7 [22,+20] "http://example.com/x"',
    ]);
    expect(found[0]?.message).toContain('Host: example.com');
    expect(lint('GET / HTTP/1.1\r\nHost: h:99999\r\n\r\n')).toEqual(['invalid-host 2:7 [22,+7] "h:99999"']);
  });

  it('Content-Length larger or smaller than the body', () => {
    const short = 'POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nhello';
    const found = lintRequest(short);
    expect(show(short, found)).toEqual(['content-length-mismatch 3:17 [43,+2] "10"']);
    expect(found[0]?.message).toContain('Set Content-Length to 5');
    const long = 'POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nhello';
    expect(lint(long)).toEqual(['content-length-mismatch 3:17 [43,+1] "3"']);
    expect(lintRequest(long)[0]?.message).toContain('"lo"');
  });

  it('counts the body in UTF-8 bytes, not characters', () => {
    const text = 'POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nstraße';
    expect(lintRequest(text)[0]?.message).toContain('Set Content-Length to 7');
    expect(lintRequest('POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\n\r\nstraße')).toEqual([]);
  });

  it('a body without Content-Length is read as the next request', () => {
    const text = 'POST /f HTTP/1.1\r\nHost: h\r\n\r\nname=Ada';
    expect(lint(text)).toEqual(['body-without-length 4:1 [29,+8] "name=Ada"']);
    expect(lintRequest(text)[0]?.message).toContain('Content-Length: 8');
  });

  it('POST without a body or a length may get 411', () => {
    expect(lint('POST /f HTTP/1.1\r\nHost: h\r\n\r\n')).toEqual(['length-required 1:1 [0,+4] "POST"']);
  });

  it('a body on GET', () => {
    expect(lint('GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi')).toEqual([
      'body-with-get 5:1 [46,+2] "hi"',
    ]);
  });

  it('malformed request lines', () => {
    expect(lint('GET /index.html\r\nHost: h\r\n\r\n')).toEqual(['http09-request 1:1 [0,+15] "GET /index.html"']);
    expect(lint('GET  /x HTTP/1.1\r\nHost: h\r\n\r\n')).toEqual(['extra-whitespace 1:4 [3,+2] "  "']);
    expect(lint('GET /a b HTTP/1.1\r\nHost: h\r\n\r\n')).toEqual(['invalid-target 1:5 [4,+4] "/a b"']);
    expect(lint('GET index.html HTTP/1.1\r\nHost: h\r\n\r\n')).toEqual(['invalid-target 1:5 [4,+10] "index.html"']);
    expect(lint('GET \\index.html HTTP/1.1\r\nHost: h\r\n\r\n')).toEqual(['backslash-in-target 1:5 [4,+1] "\\\\"']);
    expect(lint('get / HTTP/1.1\r\nHost: h\r\n\r\n')).toEqual(['lowercase-method 1:1 [0,+3] "get"']);
    expect(lint('G(T / HTTP/1.1\r\nHost: h\r\n\r\n')).toEqual(['invalid-method 1:2 [1,+1] "("']);
    expect(lint('GET / HTTP/1.1 \r\nHost: h\r\n\r\n')).toEqual(['extra-whitespace 1:15 [14,+1] " "']);
    expect(lint('GET / HTTP1.1\r\nHost: h\r\n\r\n')).toEqual(['malformed-version 1:7 [6,+7] "HTTP1.1"']);
    expect(lint('GET / http/1.1\r\nHost: h\r\n\r\n')).toEqual(['lowercase-version 1:7 [6,+4] "http"']);
    expect(lint('FETCH / HTTP/1.1\r\nHost: h\r\n\r\n')).toEqual(['unknown-method 1:1 [0,+5] "FETCH"']);
  });

  it('an HTTP version that is not spoken as text', () => {
    const found = lintRequest('GET / HTTP/2.0\r\nHost: h\r\n\r\n');
    expect(show('GET / HTTP/2.0\r\nHost: h\r\n\r\n', found)).toEqual(['unsupported-version 1:7 [6,+8] "HTTP/2.0"']);
    expect(found[0]?.message).toMatch(/binary/);
  });

  it('non-ASCII in the head, positioned in characters for the editor', () => {
    const text = 'GET /café HTTP/1.1\r\nHost: h\r\nX-Émoji: 😀\r\n\r\n';
    expect(lint(text)).toEqual([
      'non-ascii 1:9 [8,+1] "é"',
      'non-ascii 3:3 [31,+1] "É"',
      'invalid-field-name 3:3 [31,+1] "É"',
    ]);
    const found = lintRequest(text);
    expect(found[1]).toMatchObject({ byteOffset: 32, byteLength: 1 });
  });

  it('positions a 4-byte character as two UTF-16 units', () => {
    const text = 'GET /😀 HTTP/1.1\r\nHost: h\r\n\r\n';
    expect(lint(text)).toEqual(['non-ascii 1:6 [5,+2] "😀"']);
  });

  it('header syntax: no colon, space before the colon, obs-fold', () => {
    const text = 'GET / HTTP/1.1\r\nHost: h\r\nAccept text/html\r\nX-A : 1\r\nUser-Agent: a\r\n  b\r\n\r\n';
    expect(lint(text)).toEqual([
      'no-colon 3:1 [25,+16] "Accept text/html"',
      'space-before-colon 4:4 [46,+1] " "',
      'obs-fold 6:1 [67,+5] "  b\\r\\n"',
    ]);
  });

  it('a body without the empty line before it is a header line without colon', () => {
    const found = lintRequest('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nhello\r\n\r\n');
    // Content-Length counts from the empty line the server never sees, so it would also wait for a body.
    expect(found.map((d) => d.code)).toEqual(['content-length-mismatch', 'no-colon']);
    expect(found[1]?.message).toContain('empty line');
  });

  it('Content-Length problems: duplicate, conflicting, invalid, with Transfer-Encoding', () => {
    expect(lint('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx')).toEqual([
      'duplicate-content-length 4:1 [45,+19] "Content-Length: 1\\r\\n"',
    ]);
    expect(lint('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx')).toEqual([
      'conflicting-content-length 4:1 [45,+19] "Content-Length: 2\\r\\n"',
    ]);
    expect(lint('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: five\r\n\r\n')).toEqual([
      'invalid-content-length 3:17 [42,+4] "five"',
    ]);
    expect(
      lint('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'),
    ).toEqual(['transfer-encoding-with-content-length 3:1 [26,+19] "Content-Length: 5\\r\\n"']);
  });

  it('chunked bodies: malformed size, unfinished body, bytes after the end', () => {
    const head = 'PUT /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n';
    expect(lint(`${head}5\r\nhello\r\n0\r\n\r\n`)).toEqual([]);
    expect(lint(`${head}five\r\nhello\r\n0\r\n\r\n`)).toEqual(['invalid-chunk-size 5:1 [56,+6] "five\\r\\n"']);
    expect(lint(`${head}5\r\nhello\r\n`)).toEqual(['truncated-chunked 7:1 [66,+0] ""']);
    expect(lint(`${head}3\r\nhello\r\n0\r\n\r\n`)).toEqual(['missing-chunk-crlf 6:4 [62,+1] "l"']);
    expect(lint(`${head}0\r\n\r\nextra`)).toEqual(['content-length-mismatch 7:1 [61,+5] "extra"']);
  });

  it('pipelined requests are linted each, with their index', () => {
    const text = 'GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\n\r\n';
    const found = lintRequest(text);
    expect(show(text, found)).toEqual(['missing-host 4:1 [28,+15] "GET /b HTTP/1.1"']);
    expect(found[0]?.requestIndex).toBe(1);
  });

  it('an extra empty line after a request is noted as sent', () => {
    const found = lintRequest('GET / HTTP/1.1\r\nHost: h\r\n\r\n\r\n');
    expect(found.map((d) => [d.code, d.severity, d.offset, d.length])).toEqual([['leading-empty-line', 'info', 27, 2]]);
  });

  it('empty text and not-a-request text', () => {
    expect(lint('')).toEqual(['malformed-request-line 1:1 [0,+0] ""']);
    expect(lint('hello\r\n\r\n')).toEqual(['malformed-request-line 1:1 [0,+5] "hello"']);
  });

  it('bytes input: offsets and columns are bytes', () => {
    const bytes = new TextEncoder().encode('GET /é HTTP/1.1\nHost: h\r\n\r\n');
    expect(lintRequest(bytes).map((d) => [d.code, d.offset, d.length, d.line, d.column])).toEqual([
      ['non-ascii', 5, 1, 1, 6],
      ['bare-lf', 16, 1, 1, 17],
    ]);
  });

  it('the lecture slide, as typed', () => {
    const text =
      'GET \\index.html HTTP/1.1\r\nHost: www-net.cs.umass.edu\r\nUser-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X\r\n    10.15; rv:80.0) Gecko/20100101 Firefox/80.0 \r\nAccept: text/html, application/xhtml+xml\r\nConnection: keep-alive\r\n\r\n';
    expect(lintRequest(text).map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual([
      'backslash-in-target@1:5',
      'obs-fold@4:1',
    ]);
  });
});

describe('the request against the URL it is sent to', () => {
  const url = { scheme: 'http' as const, hostHeader: '127.0.0.1:27080', path: '/known.txt' };

  it('says when Host or the target differ, with what the URL would write', () => {
    const text = 'GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n';
    const found = lintRequest(text, { url });
    expect(found.map((d) => [d.code, text.slice(d.offset, d.offset + d.length), d.suggestion])).toEqual([
      ['target-differs-from-url', '/', '/known.txt'],
      ['host-differs-from-url', '127.0.0.1:8080', '127.0.0.1:27080'],
    ]);
    expect(lintRequest('GET /known.txt HTTP/1.1\r\nHost: 127.0.0.1:27080\r\n\r\n', { url })).toEqual([]);
  });

  it('reads Host case-insensitively and with or without the default port', () => {
    const example = { scheme: 'https' as const, hostHeader: 'example.com', path: '/' };
    expect(lintRequest('GET / HTTP/1.1\r\nHost: Example.COM:443\r\n\r\n', { url: example })).toEqual([]);
  });

  it('leaves the targets of pipelined requests alone, and has nothing to say without a URL', () => {
    const two = 'GET /a HTTP/1.1\r\nHost: 127.0.0.1:27080\r\n\r\nGET /b HTTP/1.1\r\nHost: 127.0.0.1:27080\r\n\r\n';
    expect(lintRequest(two, { url })).toEqual([]);
    expect(lintRequest('GET / HTTP/1.1\r\nHost: elsewhere\r\n\r\n')).toEqual([]);
  });
});
