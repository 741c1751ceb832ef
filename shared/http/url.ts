/**
 * The composer's target: an http:// or https:// URL, read without the URL
 * global (shared/ runs where only ES2023 is promised). Enough for what a
 * request needs: where to connect, what goes in Host, what goes in the
 * request line.
 */
export interface HttpTarget {
  scheme: 'http' | 'https';
  /** As it goes in Host: lowercase name, IPv4, or [IPv6]. */
  host: string;
  /** For connecting: IPv6 without brackets. */
  hostname: string;
  port: number;
  /** The port was not written, or is the scheme's default. */
  defaultPort: boolean;
  /** Path and query for the request line, percent-encoded where needed; at least "/". */
  path: string;
  /** The Host header value: host, plus ":port" unless default. */
  hostHeader: string;
  /** scheme://host[:port], the cookie jar's key. */
  origin: string;
}

export type UrlResult = { ok: true; target: HttpTarget } | { ok: false; message: string };

const DEFAULT_PORTS = { http: 80, https: 443 } as const;

function fail(message: string): UrlResult {
  return { ok: false, message };
}

const encoder = new TextEncoder();

/** Percent-encodes what may not appear raw in a request target: spaces, controls, non-ASCII, and "<>`. */
export function encodeTarget(path: string): string {
  let out = '';
  for (const char of path) {
    const c = char.codePointAt(0) as number;
    if (c > 0x20 && c < 0x7f && !'"<>`'.includes(char)) out += char;
    else for (const b of encoder.encode(char)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function parseHttpUrl(input: string): UrlResult {
  const text = input.trim();
  if (text === '') return fail('Enter a URL such as http://localhost:8080/index.html.');
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (!schemeMatch) {
    return /^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)/.test(text) && !/^[^:]+:\d/.test(text)
      ? fail(`"${text}" is not a web URL: start it with http:// or https://.`)
      : fail(`Start the URL with http:// or https:// (e.g. http://${text}).`);
  }
  const scheme = (schemeMatch[1] as string).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    return fail(`${scheme}:// is not HTTP: use an http:// or https:// URL.`);
  }
  const rest = text.slice(schemeMatch[0].length);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  let pathPart = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  if (authority.includes('@')) {
    return fail('User names and passwords in the URL (user@host) are not sent by HTTP/1.1: remove the "…@" part.');
  }
  let host: string;
  let hostname: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === -1) return fail('An IPv6 address in a URL needs its closing "]", e.g. http://[::1]:8080/.');
    hostname = authority.slice(1, close).toLowerCase();
    if (!/^[0-9a-f:.]+$/.test(hostname) || !hostname.includes(':')) {
      return fail(`"${hostname}" is not an IPv6 address.`);
    }
    host = `[${hostname}]`;
    const after = authority.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return fail('Only ":port" may follow "]" in the URL.');
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colon = authority.lastIndexOf(':');
    hostname = (colon === -1 ? authority : authority.slice(0, colon)).toLowerCase();
    portText = colon === -1 ? undefined : authority.slice(colon + 1);
    host = hostname;
    if (hostname === '') return fail('The URL has no host name: write it as http://host/path.');
    if (/[^\x21-\x7e]/.test(hostname)) {
      return [...hostname].some((c) => c.charCodeAt(0) > 0x7f)
        ? fail(`"${hostname}" has non-ASCII letters: HTTP needs the name in ASCII (punycode, xn--…).`)
        : fail(`"${hostname}" is not a host name: no spaces or control characters.`);
    }
    if (!/^[a-z0-9._-]+$/.test(hostname))
      return fail(`"${hostname}" is not a host name (letters, digits, "-" and "." only).`);
  }
  let port: number = DEFAULT_PORTS[scheme];
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      return fail(`"${portText}" is not a port: use a number from 1 to 65535 after the colon.`);
    }
    port = Number(portText);
  }
  const hash = pathPart.indexOf('#');
  // The fragment stays in the browser: it is never sent.
  if (hash !== -1) pathPart = pathPart.slice(0, hash);
  if (pathPart === '' || pathPart.startsWith('?')) pathPart = `/${pathPart}`;
  const defaultPort = port === DEFAULT_PORTS[scheme];
  const hostHeader = defaultPort ? host : `${host}:${port}`;
  return {
    ok: true,
    target: {
      scheme,
      host,
      hostname,
      port,
      defaultPort,
      path: encodeTarget(pathPart),
      hostHeader,
      origin: `${scheme}://${hostHeader}`,
    },
  };
}

/**
 * A reference (a Location header, an img src) resolved against the URL it came from,
 * as RFC 3986 §5.2 does it: absolute, scheme-relative ("//host/x"), absolute-path
 * ("/x"), query-only ("?q") or relative ("x", "../x"). The fragment is dropped (never
 * sent). Undefined when the result is not an http(s) URL.
 */
export function resolveReference(base: string, reference: string): string | undefined {
  const ref = reference.trim().replace(/#.*$/s, '');
  const parsedBase = parseHttpUrl(base);
  if (!parsedBase.ok) return undefined;
  const { scheme, hostHeader, path: basePath } = parsedBase.target;
  let url: string;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(ref)) url = ref;
  else if (ref.startsWith('//')) url = `${scheme}:${ref}`;
  else {
    const origin = `${scheme}://${hostHeader}`;
    const baseOnly = basePath.replace(/\?.*$/s, '');
    let path: string;
    if (ref === '') path = basePath;
    else if (ref.startsWith('?')) path = `${baseOnly}${ref}`;
    else if (ref.startsWith('/')) path = ref;
    else path = `${baseOnly.slice(0, baseOnly.lastIndexOf('/') + 1)}${ref}`;
    url = `${origin}${removeDotSegments(path)}`;
  }
  const parsed = parseHttpUrl(url);
  return parsed.ok ? `${parsed.target.origin}${parsed.target.path}` : undefined;
}

function removeDotSegments(path: string): string {
  const query = path.indexOf('?');
  const [pathPart, rest] = query === -1 ? [path, ''] : [path.slice(0, query), path.slice(query)];
  const out: string[] = [];
  const segments = pathPart.split('/');
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (segment === '.') {
      if (last) out.push('');
    } else if (segment === '..') {
      if (out.length > 1) out.pop();
      if (last) out.push('');
    } else out.push(segment);
  }
  const joined = out.join('/');
  return (joined.startsWith('/') ? joined : `/${joined}`) + rest;
}
