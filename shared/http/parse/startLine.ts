import { headText, isDigit, isOws, isTchar, quoteBytes } from './ascii';
import { diagnostic, type HttpDiagnostic } from '../compose/diagnostics';
import type { Line } from './lines';

export interface HttpVersion {
  major: number;
  minor: number;
}

export interface StatusLine {
  version: HttpVersion;
  /** As sent, e.g. "HTTP/1.1". */
  versionText: string;
  status: number;
  /** Possibly empty. */
  reason: string;
}

export interface RequestLine {
  method: string;
  target: string;
  /** null when the version is malformed; framing then follows HTTP/1.1. */
  version: HttpVersion | null;
  versionText: string;
}

const HTTP_SLASH = [0x48, 0x54, 0x54, 0x50, 0x2f];

function looksLikeTls(bytes: Uint8Array, start: number, n: number, firstBytes: readonly number[]): boolean {
  return n >= 2 && firstBytes.includes(bytes[start] as number) && bytes[start + 1] === 0x03;
}

/**
 * Checks the first `n` (≤ 5) bytes of a response against "HTTP/", so that a
 * reply from something else (an SMTP greeting, a TLS alert) is reported at once
 * instead of after a head that will never end. Returns a fatal diagnostic or null.
 */
export function checkStatusPrefix(
  bytes: Uint8Array,
  start: number,
  n: number,
  base: number,
  messageIndex: number,
): HttpDiagnostic | null {
  const count = Math.min(n, 5);
  for (let i = 0; i < count; i++) {
    const b = bytes[start + i] as number;
    const expected = HTTP_SLASH[i] as number;
    if (b === expected || (expected !== 0x2f && b === (expected | 0x20))) continue;
    const at = { messageIndex, fatal: true };
    if (looksLikeTls(bytes, start, count, [0x15, 0x16])) {
      return diagnostic(
        'tls-bytes',
        'error',
        base + start,
        count,
        'The reply is TLS (it starts with a TLS record, 0x15/0x16 0x03): this port speaks HTTPS. Use https:// (TLS on) for it.',
        at,
      );
    }
    return diagnostic(
      'not-http',
      'error',
      base + start,
      count,
      `Not an HTTP response: a response starts with "HTTP/", this one with ${quoteBytes(bytes.subarray(start, start + count))}. Is the server on this port an HTTP server?`,
      at,
    );
  }
  return null;
}

/** A request that starts with a TLS handshake record: a browser or client speaking HTTPS to a plain port. */
export function checkRequestPrefix(
  bytes: Uint8Array,
  start: number,
  n: number,
  base: number,
  messageIndex: number,
): HttpDiagnostic | null {
  if (!looksLikeTls(bytes, start, Math.min(n, 5), [0x16])) return null;
  return diagnostic(
    'tls-bytes',
    'error',
    base + start,
    Math.min(n, 5),
    'The client sent a TLS handshake (0x16 0x03) to a plain HTTP port: it is speaking HTTPS. Use http:// for this server.',
    { messageIndex, fatal: true },
  );
}

interface Word {
  start: number;
  end: number;
}

function words(bytes: Uint8Array, line: Line): { words: Word[]; oddSpacing: Word | null } {
  const out: Word[] = [];
  let oddSpacing: Word | null = null;
  let i = line.start;
  while (i < line.end) {
    const gapStart = i;
    while (i < line.end && isOws(bytes[i] as number)) i++;
    if (i > gapStart && !oddSpacing && (i - gapStart > 1 || bytes[gapStart] !== 0x20 || gapStart === line.start)) {
      oddSpacing = { start: gapStart, end: i };
    }
    if (i >= line.end) break;
    const start = i;
    while (i < line.end && !isOws(bytes[i] as number)) i++;
    out.push({ start, end: i });
  }
  if (!oddSpacing && line.end > line.start && isOws(bytes[line.end - 1] as number)) {
    let s = line.end;
    while (s > line.start && isOws(bytes[s - 1] as number)) s--;
    oddSpacing = { start: s, end: line.end };
  }
  return { words: out, oddSpacing };
}

const VERSION_PATTERN = /^HTTP\/(\d)\.(\d)$/i;

function checkVersion(
  text: string,
  offset: number,
  length: number,
  role: 'request' | 'response',
  at: { messageIndex: number },
  out: HttpDiagnostic[],
): HttpVersion | null {
  const match = VERSION_PATTERN.exec(text);
  if (!match) {
    out.push(
      diagnostic(
        'malformed-version',
        'error',
        offset,
        length,
        `"${text}" is not an HTTP version: write it exactly as HTTP/1.1 or HTTP/1.0 (capital letters, a slash, major.minor).`,
        at,
      ),
    );
    return null;
  }
  if (!text.startsWith('HTTP/')) {
    out.push(
      diagnostic(
        'lowercase-version',
        'warning',
        offset,
        4,
        `The version name is case-sensitive: "${text}" should be "HTTP/${match[1]}.${match[2]}".`,
        at,
      ),
    );
  }
  const version = { major: Number(match[1]), minor: Number(match[2]) };
  if (version.major !== 1) {
    const binary = version.major >= 2;
    out.push(
      diagnostic(
        'unsupported-version',
        'error',
        offset,
        length,
        binary
          ? `${text} is not spoken as text: HTTP/2 and HTTP/3 are binary protocols negotiated by TLS (ALPN), never written by hand. ${
              role === 'request' ? 'A server answers 505 HTTP Version Not Supported. ' : ''
            }Use HTTP/1.1 or HTTP/1.0; read as HTTP/1.1 here.`
          : `${text} is not supported: use HTTP/1.1 or HTTP/1.0${role === 'request' ? ' (a server answers 505)' : ''}; read as HTTP/1.0 here.`,
        at,
      ),
    );
    return binary ? { major: 1, minor: 1 } : { major: 1, minor: 0 };
  }
  if (version.minor > 1) {
    out.push(
      diagnostic(
        'unsupported-version',
        'warning',
        offset,
        length,
        `There is no ${text}: HTTP/1.1 is the last HTTP/1 version; read as HTTP/1.1.`,
        at,
      ),
    );
    return { major: 1, minor: 1 };
  }
  return version;
}

/**
 * `HTTP-version SP status-code SP [reason-phrase]`. Returns null (after pushing
 * a fatal diagnostic) only when the status code cannot be read, since without
 * it the body's framing is unknown.
 */
export function parseStatusLine(
  bytes: Uint8Array,
  line: Line,
  base: number,
  messageIndex: number,
  out: HttpDiagnostic[],
): StatusLine | null {
  const at = { messageIndex };
  const fatal = (message: string): null => {
    out.push(
      diagnostic('malformed-status-line', 'error', base + line.start, line.end - line.start, message, {
        messageIndex,
        fatal: true,
      }),
    );
    return null;
  };
  let i = line.start;
  while (i < line.end && !isOws(bytes[i] as number)) i++;
  let versionEnd = i;
  // The lecture's own slide has "HTTP/1.1200 OK": read it, and say what is missing.
  const glued = /^(HTTP\/\d\.\d)(\d{3})$/i.exec(headText(bytes, line.start, versionEnd));
  if (glued) {
    versionEnd = line.start + (glued[1] as string).length;
    out.push(
      diagnostic(
        'malformed-status-line',
        'error',
        base + versionEnd,
        0,
        'No space between the version and the status code: the status line is "HTTP/1.1 200 OK".',
        at,
      ),
    );
  }
  const versionText = headText(bytes, line.start, versionEnd);
  const version = checkVersion(versionText, base + line.start, versionEnd - line.start, 'response', at, out);
  if (!version) {
    out[out.length - 1] = { ...(out[out.length - 1] as HttpDiagnostic), fatal: true };
    return null;
  }
  let codeStart = versionEnd;
  if (!glued) {
    while (codeStart < line.end && isOws(bytes[codeStart] as number)) codeStart++;
    if (codeStart - versionEnd !== 1 || bytes[versionEnd] !== 0x20) {
      if (codeStart === versionEnd) return fatal('The status line has no status code: it reads "HTTP/1.1 200 OK".');
      out.push(
        diagnostic(
          'extra-whitespace',
          'warning',
          base + versionEnd,
          codeStart - versionEnd,
          'Exactly one space belongs between the version and the status code.',
          at,
        ),
      );
    }
  }
  let codeEnd = codeStart;
  while (codeEnd < line.end && isDigit(bytes[codeEnd] as number)) codeEnd++;
  if (codeEnd - codeStart !== 3) {
    return fatal(
      `The status code must be three digits (like 200 or 404), found ${quoteBytes(bytes.subarray(codeStart, Math.max(codeEnd, Math.min(line.end, codeStart + 8))))}.`,
    );
  }
  const status = Number(headText(bytes, codeStart, codeEnd));
  if (status < 100)
    return fatal(`Status code ${headText(bytes, codeStart, codeEnd)} does not exist: codes run from 100 to 599.`);
  let reason = '';
  if (codeEnd === line.end) {
    out.push(
      diagnostic(
        'missing-reason-phrase',
        'warning',
        base + codeEnd,
        0,
        'The status line ends right after the status code: a space must follow it, then an optional reason phrase ("HTTP/1.1 200 OK").',
        at,
      ),
    );
  } else if (bytes[codeEnd] !== 0x20) {
    out.push(
      diagnostic(
        isOws(bytes[codeEnd] as number) ? 'extra-whitespace' : 'malformed-status-line',
        isOws(bytes[codeEnd] as number) ? 'warning' : 'error',
        base + codeEnd,
        1,
        'A single space must separate the status code from the reason phrase.',
        at,
      ),
    );
    reason = headText(bytes, codeEnd, line.end).trim();
  } else {
    reason = headText(bytes, codeEnd + 1, line.end);
  }
  if (status >= 600) {
    out.push(
      diagnostic(
        'malformed-status-line',
        'warning',
        base + codeStart,
        3,
        `Status code ${status} is outside the defined classes 1xx–5xx; treated like an ordinary final response.`,
        at,
      ),
    );
  }
  return { version, versionText, status, reason };
}

function isTokenBytes(bytes: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if (!isTchar(bytes[i] as number)) return i;
  return -1;
}

/**
 * `method SP request-target SP HTTP-version`. Lenient about the target (spaces
 * in it are joined and reported) so the linter can go on to the headers; fatal
 * only when there is no version at the end of the line, i.e. nothing to go on.
 */
export function parseRequestLine(
  bytes: Uint8Array,
  line: Line,
  base: number,
  messageIndex: number,
  out: HttpDiagnostic[],
): RequestLine | null {
  const at = { messageIndex };
  const { words: parts, oddSpacing } = words(bytes, line);
  const lineLength = line.end - line.start;
  const first = parts[0];
  const last = parts[parts.length - 1];
  const text = (w: Word) => headText(bytes, w.start, w.end);
  if (!first || !last) return null;
  const lastText = text(last);
  // "HTTP1.1" or "HTTP/1" is a version written wrong (reported below); anything else is no version at all.
  const lastIsVersion = /^HTTP/i.test(lastText);
  if (parts.length < 3) {
    const single = parts.length === 1;
    const http09 = !single && !lastIsVersion && isTokenBytes(bytes, first.start, first.end) === -1;
    out.push(
      diagnostic(
        http09 ? 'http09-request' : 'malformed-request-line',
        'error',
        base + line.start,
        lineLength,
        http09
          ? `"${headText(bytes, line.start, line.end)}" has no HTTP version (HTTP/0.9 style): write "${text(first)} ${text(last)} HTTP/1.1".`
          : single
            ? `${quoteBytes(bytes.subarray(line.start, line.end))} is not a request line: it reads "METHOD /path HTTP/1.1", e.g. "GET /index.html HTTP/1.1".`
            : `The request line has no target: write "${text(first)} / ${lastText}".`,
        { messageIndex, fatal: true },
      ),
    );
    return null;
  }
  if (!lastIsVersion) {
    out.push(
      diagnostic(
        'malformed-request-line',
        'error',
        base + last.start,
        last.end - last.start,
        `The request line must end with the version (HTTP/1.1 or HTTP/1.0), not ${quoteBytes(bytes.subarray(last.start, last.end))}.`,
        { messageIndex, fatal: true },
      ),
    );
    return null;
  }
  const method = text(first);
  const second = parts[1] as Word;
  const targetWord = { start: second.start, end: (parts[parts.length - 2] as Word).end };
  const target = headText(bytes, targetWord.start, targetWord.end);
  if (parts.length > 3) {
    out.push(
      diagnostic(
        'invalid-target',
        'error',
        base + targetWord.start,
        targetWord.end - targetWord.start,
        `The request target contains a space ("${target}"): percent-encode it as %20 (the line is split at spaces, so the server sees ${parts.length} parts instead of 3).`,
        at,
      ),
    );
  } else if (oddSpacing) {
    out.push(
      diagnostic(
        'extra-whitespace',
        'error',
        base + oddSpacing.start,
        oddSpacing.end - oddSpacing.start,
        'The request line takes exactly one space between method, target and version, and none at the start or end.',
        at,
      ),
    );
  }
  const badMethodByte = isTokenBytes(bytes, first.start, first.end);
  if (badMethodByte !== -1) {
    out.push(
      diagnostic(
        'invalid-method',
        'error',
        base + badMethodByte,
        1,
        `Character ${quoteBytes(bytes.subarray(badMethodByte, badMethodByte + 1))} is not allowed in a method name (GET, HEAD, POST, ...).`,
        at,
      ),
    );
  } else if (/[a-z]/.test(method) && !/[A-Z]/.test(method)) {
    out.push(
      diagnostic(
        'lowercase-method',
        'warning',
        base + first.start,
        first.end - first.start,
        `Methods are case-sensitive: "${method}" is not ${method.toUpperCase()}; servers answer 400, 405 or 501.`,
        at,
      ),
    );
  }
  checkTarget(bytes, targetWord, method, base, at, out);
  const versionText = lastText;
  const version = checkVersion(versionText, base + last.start, last.end - last.start, 'request', at, out);
  return { method, target, version, versionText };
}

function checkTarget(
  bytes: Uint8Array,
  word: Word,
  method: string,
  base: number,
  at: { messageIndex: number },
  out: HttpDiagnostic[],
): void {
  const target = headText(bytes, word.start, word.end);
  const offset = base + word.start;
  const length = word.end - word.start;
  for (let i = word.start; i < word.end; i++) {
    const b = bytes[i] as number;
    // Non-ASCII and control bytes are reported per line already; here they only make the target invalid.
    if (b >= 0x80 || b < 0x21 || b === 0x7f) return;
  }
  if (target.startsWith('\\')) {
    out.push(
      diagnostic(
        'backslash-in-target',
        'error',
        offset,
        1,
        `URL paths use forward slashes: "${target}" should be "${target.replaceAll('\\', '/')}".`,
        at,
      ),
    );
    return;
  }
  if (target.startsWith('/')) return;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target)) return; // absolute form (to proxies; servers accept it too)
  if (target === '*' && method === 'OPTIONS') return;
  if (method === 'CONNECT' && /^[^/?#\s]+:\d+$/.test(target)) return;
  out.push(
    diagnostic(
      'invalid-target',
      'error',
      offset,
      length,
      method === 'CONNECT'
        ? `CONNECT takes host:port as its target (e.g. example.com:443), not "${target}".`
        : `The request target must start with "/" (the path on the server): write "/${target}".`,
      at,
    ),
  );
}
