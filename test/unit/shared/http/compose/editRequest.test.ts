import { describe, expect, it } from 'vitest';
import {
  type EditResult,
  lintRequest,
  parseResponses,
  removeHeader,
  requestBody,
  requestTemplate,
  requestTemplateKinds,
  setConditionalHeaders,
  setContentLengthFromBody,
  setCookieHeader,
  setHeader,
  setHostFromUrl,
  setTargetFromUrl,
  validatorsFrom,
} from '../../../../../shared/http';

function ok(result: EditResult) {
  if (!result.ok) throw new Error(result.message);
  return result;
}

/** The change applied to the old text gives the new text, and the range points into the new text. */
function checkConsistent(before: string, result: EditResult) {
  const r = ok(result);
  expect(before.slice(0, r.change.from) + r.change.insert + before.slice(r.change.to)).toBe(r.text);
  expect(r.range.from).toBeGreaterThanOrEqual(0);
  expect(r.range.to).toBeLessThanOrEqual(r.text.length);
  return r;
}

const GET = 'GET /index.html HTTP/1.1\r\nHost: old.example\r\nAccept: */*\r\n\r\n';

describe('setHeader', () => {
  it('replaces the value of an existing header in place, keeping its spelling', () => {
    const r = checkConsistent(GET, setHeader(GET, 'host', 'new.example'));
    expect(r.text).toBe('GET /index.html HTTP/1.1\r\nHost: new.example\r\nAccept: */*\r\n\r\n');
    expect(r.text.slice(r.range.from, r.range.to)).toBe('Host: new.example');
    expect(r.change).toEqual({ from: 26, to: 43, insert: 'Host: new.example' });
  });

  it('adds a missing header after the others, with the text’s own line ending', () => {
    const r = checkConsistent(GET, setHeader(GET, 'Connection', 'close'));
    expect(r.text).toBe('GET /index.html HTTP/1.1\r\nHost: old.example\r\nAccept: */*\r\nConnection: close\r\n\r\n');
    expect(r.text.slice(r.range.from, r.range.to)).toBe('Connection: close');
    const lf = 'GET / HTTP/1.1\nAccept: */*\n\n';
    expect(ok(setHeader(lf, 'Host', 'h', { placement: 'after-request-line' })).text).toBe(
      'GET / HTTP/1.1\nHost: h\nAccept: */*\n\n',
    );
  });

  it('ends an unfinished last line before adding', () => {
    const r = checkConsistent('GET / HTTP/1.1', setHeader('GET / HTTP/1.1', 'Host', 'h'));
    expect(r.text).toBe('GET / HTTP/1.1\r\nHost: h');
    expect(r.text.slice(r.range.from, r.range.to)).toBe('Host: h');
  });

  it('does not look into the body', () => {
    const text = 'POST / HTTP/1.1\r\nHost: h\r\n\r\nContent-Length: 99';
    expect(ok(setHeader(text, 'Content-Length', '18')).text).toBe(
      'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 18\r\n\r\nContent-Length: 99',
    );
  });

  it('refuses header injection and empty text', () => {
    expect(setHeader(GET, 'X', 'a\r\nEvil: 1')).toMatchObject({ ok: false });
    expect(setHeader(GET, 'Bad Name', 'x')).toMatchObject({ ok: false });
    expect(setHeader('', 'Host', 'h')).toMatchObject({ ok: false, message: expect.stringContaining('request line') });
  });
});

describe('removeHeader', () => {
  it('removes every line of that name as one change', () => {
    const text = 'GET / HTTP/1.1\r\nCookie: a=1\r\nHost: h\r\nCookie: b=2\r\n\r\n';
    const r = checkConsistent(text, removeHeader(text, 'cookie'));
    expect(r.text).toBe('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    expect(checkConsistent(GET, removeHeader(GET, 'Cookie')).text).toBe(GET);
  });
});

describe('helpers for the composer', () => {
  it('Host from a URL, with a port only when it is not the default', () => {
    expect(ok(setHostFromUrl(GET, 'http://localhost:8080/x')).text).toContain('Host: localhost:8080\r\n');
    expect(ok(setHostFromUrl(GET, 'https://Example.COM:443/')).text).toContain('Host: example.com\r\n');
    expect(ok(setHostFromUrl(GET, 'http://[::1]:8000/')).text).toContain('Host: [::1]:8000\r\n');
    const noHost = 'GET / HTTP/1.1\r\nAccept: */*\r\n\r\n';
    expect(ok(setHostFromUrl(noHost, 'http://h/')).text).toBe('GET / HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n');
    expect(setHostFromUrl(GET, 'example.com')).toMatchObject({
      ok: false,
      message: expect.stringContaining('http://'),
    });
  });

  it('the request target from a URL', () => {
    const r = checkConsistent(GET, setTargetFromUrl(GET, 'http://h/a b/ü?q=1#frag'));
    expect(r.text.startsWith('GET /a%20b/%C3%BC?q=1 HTTP/1.1\r\n')).toBe(true);
  });

  it('Content-Length from the body, in UTF-8 bytes, and then the linter is satisfied', () => {
    const text = 'POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nstraße 😀';
    const r = checkConsistent(text, setContentLengthFromBody(text));
    expect(r.text).toContain('Content-Length: 12\r\n');
    expect(lintRequest(r.text)).toEqual([]);
    expect(requestBody(r.text)).toBe('straße 😀');
    expect(setContentLengthFromBody('POST / HTTP/1.1\r\nHost: h\r\n')).toMatchObject({ ok: false });
  });

  it('If-Modified-Since and If-None-Match from the previous response, as one change', () => {
    const response = parseResponses(
      new TextEncoder().encode(
        'HTTP/1.1 200 OK\r\nLast-Modified: Tue, 01 Mar 2016 18:57:50 GMT\r\nETag: "a5b-52d015789ee9e"\r\nContent-Length: 0\r\n\r\n',
      ),
      { method: 'GET' },
    ).messages[0];
    if (!response) throw new Error('no response');
    const validators = validatorsFrom(response.head);
    expect(validators).toEqual({ lastModified: 'Tue, 01 Mar 2016 18:57:50 GMT', etag: '"a5b-52d015789ee9e"' });
    const r = checkConsistent(GET, setConditionalHeaders(GET, validators));
    expect(r.text).toBe(
      'GET /index.html HTTP/1.1\r\nHost: old.example\r\nAccept: */*\r\nIf-Modified-Since: Tue, 01 Mar 2016 18:57:50 GMT\r\nIf-None-Match: "a5b-52d015789ee9e"\r\n\r\n',
    );
    expect(r.text.slice(r.range.from, r.range.to)).toBe(
      'If-Modified-Since: Tue, 01 Mar 2016 18:57:50 GMT\r\nIf-None-Match: "a5b-52d015789ee9e"\r\n',
    );
    expect(setConditionalHeaders(GET, {})).toMatchObject({ ok: false });
  });

  it('Cookie from a cookie list; an empty list removes it', () => {
    const withCookie = ok(
      setCookieHeader(GET, [
        { name: 'id', value: '42' },
        { name: 'theme', value: 'dark' },
      ]),
    ).text;
    expect(withCookie).toContain('Cookie: id=42; theme=dark\r\n');
    expect(ok(setCookieHeader(withCookie, [])).text).toBe(GET);
  });
});

describe('requestTemplate', () => {
  const now = new Date(Date.UTC(2024, 8, 2, 10, 0, 0));

  it('every template is CRLF text that the linter accepts', () => {
    for (const kind of requestTemplateKinds) {
      for (const version of ['1.0', '1.1'] as const) {
        const result = requestTemplate(kind, { url: 'http://localhost:8080/index.html', version, now });
        if (!result.ok) throw new Error(result.message);
        expect(result.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        expect(lintRequest(result.text), `${kind} ${version}`).toEqual([]);
        expect(
          result.text.startsWith(
            `${kind === 'head' ? 'HEAD' : kind === 'put' ? 'PUT' : kind.startsWith('post') ? 'POST' : 'GET'} /index.html HTTP/${version}\r\nHost: localhost:8080\r\n`,
          ),
        ).toBe(true);
      }
    }
  });

  it('exact texts', () => {
    expect(requestTemplate('get', { url: 'http://example.com/' })).toEqual({
      ok: true,
      text: 'GET / HTTP/1.1\r\nHost: example.com\r\n\r\n',
    });
    expect(requestTemplate('post-json', { url: 'http://example.com/api', body: '{"é":1}' })).toEqual({
      ok: true,
      text: 'POST /api HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n{"é":1}',
    });
    expect(requestTemplate('conditional-get', { url: 'http://example.com/', now })).toEqual({
      ok: true,
      text: 'GET / HTTP/1.1\r\nHost: example.com\r\nIf-Modified-Since: Mon, 02 Sep 2024 10:00:00 GMT\r\n\r\n',
    });
    expect(requestTemplate('conditional-get', { url: 'http://example.com/', etag: '"v1"' })).toMatchObject({
      text: expect.stringContaining('If-None-Match: "v1"\r\n'),
    });
    expect(requestTemplate('get', { url: 'ftp://example.com/' })).toMatchObject({ ok: false });
  });
});
