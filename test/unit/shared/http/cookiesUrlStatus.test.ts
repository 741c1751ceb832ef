import { describe, expect, it } from 'vitest';
import {
  cookieHeaderValue,
  cookieJarSchema,
  cookiePathMatches,
  cookiesFor,
  defaultCookiePath,
  deleteCookie,
  describeStatus,
  emptyCookieJar,
  parseCookieDate,
  parseHttpUrl,
  parseResponses,
  parseSetCookie,
  pruneExpired,
  putCookie,
  statusCodes,
  storeResponseCookies,
  storeSetCookie,
} from '../../../../shared/http';

describe('parseSetCookie', () => {
  it('reads name, value and attributes in order', () => {
    const result = parseSetCookie(
      'sid=abc123; Path=/app; Domain=.Example.com; Max-Age=3600; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Secure; HttpOnly; SameSite=lax; Priority=High',
    );
    expect(result).toEqual({
      ok: true,
      notes: [],
      cookie: {
        name: 'sid',
        value: 'abc123',
        path: '/app',
        domain: 'example.com',
        maxAge: 3600,
        expires: Date.UTC(2015, 9, 21, 7, 28, 0),
        secure: true,
        httpOnly: true,
        sameSite: 'Lax',
        attributes: [
          { name: 'Path', value: '/app' },
          { name: 'Domain', value: '.Example.com' },
          { name: 'Max-Age', value: '3600' },
          { name: 'Expires', value: 'Wed, 21 Oct 2015 07:28:00 GMT' },
          { name: 'Secure' },
          { name: 'HttpOnly' },
          { name: 'SameSite', value: 'lax' },
          { name: 'Priority', value: 'High' },
        ],
      },
    });
  });

  it('keeps an "=" inside the value and quotes as sent', () => {
    expect(parseSetCookie('token="a=b=c"')).toMatchObject({ ok: true, cookie: { name: 'token', value: '"a=b=c"' } });
  });

  it('rejects what is not name=value and notes attributes it ignores', () => {
    expect(parseSetCookie('justaword')).toMatchObject({ ok: false });
    expect(parseSetCookie('=v')).toMatchObject({ ok: false });
    const odd = parseSetCookie('a=1; Max-Age=soon; Expires=someday; SameSite=Maybe');
    expect(odd.ok && odd.notes).toHaveLength(3);
  });

  it('parses the cookie date formats servers send', () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(parseCookieDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(expected);
    expect(parseCookieDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(expected);
    expect(parseCookieDate('Sun Nov  6 08:49:37 1994')).toBe(expected);
    expect(parseCookieDate('tomorrow')).toBeNull();
  });
});

describe('cookie jar', () => {
  const now = Date.UTC(2024, 0, 1);
  const site = 'http://localhost:8080/shop/cart.html';

  it('stores per origin, sends by path, replaces and deletes', () => {
    const stored = storeSetCookie(emptyCookieJar(), site, 'cart=3', now);
    const notes = stored.notes;
    let jar = stored.jar;
    expect(notes).toEqual(['Stored cookie cart=3 for http://localhost:8080/shop.']);
    jar = storeSetCookie(jar, site, 'user=ada; Path=/', now + 1).jar;
    expect(Object.keys(jar.origins)).toEqual(['http://localhost:8080']);
    expect(cookiesFor(jar, 'http://localhost:8080/shop/x', now).map((c) => c.name)).toEqual(['cart', 'user']);
    expect(cookiesFor(jar, 'http://localhost:8080/', now).map((c) => c.name)).toEqual(['user']);
    expect(cookiesFor(jar, 'http://localhost:9090/shop/x', now)).toEqual([]);
    expect(cookieHeaderValue(cookiesFor(jar, 'http://localhost:8080/shop/', now))).toBe('cart=3; user=ada');

    const replaced = storeSetCookie(jar, site, 'cart=4', now + 2);
    expect(replaced.notes[0]).toMatch(/^Replaced/);
    expect(cookiesFor(replaced.jar, 'http://localhost:8080/shop/', now).map((c) => c.value)).toEqual(['4', 'ada']);

    const deleted = storeSetCookie(replaced.jar, site, 'cart=; Max-Age=0', now + 3);
    expect(deleted.notes).toEqual(['Cookie cart deleted (its expiry is in the past).']);
    expect(cookiesFor(deleted.jar, 'http://localhost:8080/shop/', now).map((c) => c.name)).toEqual(['user']);
  });

  it('expiry, Secure over http, Domain kept to the origin', () => {
    const expiring = storeSetCookie(emptyCookieJar(), site, 'a=1; Max-Age=60', now).jar;
    expect(cookiesFor(expiring, site, now + 59_000)).toHaveLength(1);
    expect(cookiesFor(expiring, site, now + 60_000)).toHaveLength(0);
    expect(pruneExpired(expiring, now + 60_000)).toEqual(emptyCookieJar());

    const secure = storeSetCookie(emptyCookieJar(), site, 's=1; Secure', now);
    expect(secure.jar).toEqual(emptyCookieJar());
    expect(secure.notes[0]).toContain('Secure');
    const overTls = storeSetCookie(emptyCookieJar(), 'https://h/', 's=1; Secure', now).jar;
    expect(cookiesFor(overTls, 'https://h/', now)).toHaveLength(1);

    const domain = storeSetCookie(emptyCookieJar(), site, 'd=1; Domain=example.com', now);
    expect(domain.notes[0]).toContain('stays with http://localhost:8080');
  });

  it('takes every Set-Cookie of a parsed response', () => {
    const response = parseResponses(
      new TextEncoder().encode(
        'HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2; Path=/\r\nContent-Length: 0\r\n\r\n',
      ),
      { method: 'GET' },
    ).messages[0];
    const { jar } = storeResponseCookies(emptyCookieJar(), 'http://h/', response?.head.fields ?? [], now);
    expect(cookiesFor(jar, 'http://h/', now).map((c) => `${c.name}=${c.value}`)).toEqual(['a=1', 'b=2']);
  });

  it('the user edits it; it saves as JSON and loads back through the schema', () => {
    let jar = putCookie(emptyCookieJar(), 'http://h', {
      name: 'x',
      value: '1',
      path: '/',
      secure: false,
      httpOnly: false,
      expiresAt: null,
      createdAt: now,
    });
    const first = jar.origins['http://h']?.[0];
    if (!first) throw new Error('not stored');
    jar = putCookie(jar, 'http://h', { ...first, value: '2' });
    expect(jar.origins['http://h']).toHaveLength(1);
    const loaded = cookieJarSchema.parse(JSON.parse(JSON.stringify(jar)));
    expect(loaded).toEqual(jar);
    expect(deleteCookie(loaded, 'http://h', 'x')).toEqual(emptyCookieJar());
    expect(cookieJarSchema.safeParse({ version: 2, origins: {} }).success).toBe(false);
  });

  it('default path and path matching (RFC 6265 §5.1.4)', () => {
    expect(defaultCookiePath('/')).toBe('/');
    expect(defaultCookiePath('/a')).toBe('/');
    expect(defaultCookiePath('/a/b/c?x=/y')).toBe('/a/b');
    expect(cookiePathMatches('/a', '/a/b')).toBe(true);
    expect(cookiePathMatches('/a', '/ab')).toBe(false);
    expect(cookiePathMatches('/a/', '/a/b')).toBe(true);
  });
});

describe('parseHttpUrl', () => {
  it('reads what the composer needs', () => {
    expect(parseHttpUrl(' http://Example.com:8080/a/b?c=d#top ')).toEqual({
      ok: true,
      target: {
        scheme: 'http',
        host: 'example.com',
        hostname: 'example.com',
        port: 8080,
        defaultPort: false,
        path: '/a/b?c=d',
        hostHeader: 'example.com:8080',
        origin: 'http://example.com:8080',
      },
    });
    expect(parseHttpUrl('https://h')).toMatchObject({ ok: true, target: { port: 443, path: '/', hostHeader: 'h' } });
    expect(parseHttpUrl('http://h?x=1')).toMatchObject({ ok: true, target: { path: '/?x=1' } });
    expect(parseHttpUrl('http://[::1]:3000/')).toMatchObject({ ok: true, target: { hostname: '::1', host: '[::1]' } });
  });

  it('says what is wrong', () => {
    for (const [url, hint] of [
      ['', 'Enter a URL'],
      ['example.com/x', 'http://example.com/x'],
      ['ftp://h/', 'not HTTP'],
      ['http://user:pw@h/', 'user@host'],
      ['http://h:0/', 'port'],
      ['http://h:70000/', 'port'],
      ['http://bücher.de/', 'punycode'],
      ['http:///x', 'no host'],
      ['http://[::1/', 'closing'],
    ]) {
      const result = parseHttpUrl(url as string);
      expect(result.ok, url).toBe(false);
      if (!result.ok) expect(result.message, url).toContain(hint);
    }
  });
});

describe('status codes', () => {
  it('has a plain meaning for every code the course and the server use', () => {
    for (const code of [
      200, 201, 204, 206, 301, 302, 303, 304, 307, 308, 400, 401, 403, 404, 405, 411, 413, 414, 415, 426, 500, 501, 502,
      503, 505,
    ]) {
      const info = statusCodes.get(code);
      expect(info?.reason, String(code)).toBeTruthy();
      expect(info?.meaning.length).toBeGreaterThan(15);
    }
    expect(describeStatus(301)).toMatchObject({ reason: 'Moved Permanently', class: 'redirection' });
    expect(describeStatus(301).meaning).toContain('Location');
  });

  it('falls back to the class for codes it does not list', () => {
    expect(describeStatus(299)).toMatchObject({ reason: '', class: 'success' });
    expect(describeStatus(799).class).toBe('unknown');
  });

  it('200 promises the object in the body, except to HEAD', () => {
    expect(describeStatus(200).meaning).toContain('in the body');
    expect(describeStatus(200, 'HEAD').meaning).toMatch(/HEAD.*no body/);
    expect(describeStatus(200, 'GET').meaning).toBe(describeStatus(200).meaning);
    expect(describeStatus(404, 'HEAD').meaning).toBe(describeStatus(404).meaning);
  });
});
