import { formatByteCount } from '../../bytes/formatByteCount';
import { encodeUtf8 } from '../../bytes/utf8';
import { headText, isToken, quoteBytes } from '../parse/ascii';
import { type CollectedMessage, collectMessages } from '../parse/collect';
import { type DiagnosticCode, diagnostic, type HttpDiagnostic, type Severity } from './diagnostics';
import type { RequestHead, RequestParseEvent } from '../parse/events';
import { fieldsNamed, type HttpField } from '../parse/fields';
import { createRequestParser } from '../parse/requestParser';
import { byteOffsetsToIndices, bytePosition, positionAt } from './textPositions';

/** One finding of the composer's linter, positioned for an editor. */
export interface LintDiagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Where, in the input's own units: UTF-16 code units for a string (what editors select by), bytes for bytes. */
  offset: number;
  length: number;
  /** 1-based; columns count characters (code points) for a string, bytes for bytes. */
  line: number;
  column: number;
  /** The same place in the UTF-8 bytes that are sent. */
  byteOffset: number;
  byteLength: number;
  /** Which request of a pipelined text it is about (0 for the first). */
  requestIndex?: number;
  /** What one click would write instead (the URL's Host value or path), for findings that have one. */
  suggestion?: string;
}

/** Where the composer will send the text: the request should agree with it. */
export interface LintUrl {
  scheme: 'http' | 'https';
  /** The Host value the URL implies ("127.0.0.1:8080"; no port when it is the default). */
  hostHeader: string;
  /** The URL's path and query; undefined when the target names no path (host and port fields). */
  path?: string | undefined;
}

export interface LintOptions {
  /** Warn when Host or the request target differ from it. */
  url?: LintUrl | undefined;
}

export const standardMethods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];

const REQUEST_LINE_START = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \t]+\S+[ \t]+HTTP/i;

function run(bytes: Uint8Array): RequestParseEvent[] {
  const parser = createRequestParser({ maxHeadBytes: Math.max(64 * 1024, bytes.length + 4) });
  return [...parser.push(bytes), ...parser.end()];
}

/**
 * Lints the raw text of the composer: the bytes exactly as they will be sent
 * (a string is sent as UTF-8). It reports what the request parser reports
 * (bare line endings, malformed request line, non-ASCII, obs-fold, header
 * syntax, framing) plus what only makes sense for a request being written:
 * a missing Host, a Content-Length that does not match the body, a body the
 * server will not read as one, a missing empty line. Several requests one
 * after another (pipelining) are linted each.
 */
export function lintRequest(input: string | Uint8Array, options: LintOptions = {}): LintDiagnostic[] {
  const bytes = typeof input === 'string' ? encodeUtf8(input) : input;
  const found: HttpDiagnostic[] = [];
  if (bytes.length === 0) {
    found.push(
      diagnostic(
        'malformed-request-line',
        'error',
        0,
        0,
        'The request is empty: start with a request line such as "GET / HTTP/1.1".',
      ),
    );
    return position(input, bytes, found);
  }
  // An editor shows a lone CR as a line break, so the user meant one: lint the text with
  // each bare CR read as a line end (same length, so positions hold) and report it as
  // what it is where the parser finds that line end.
  const { lineEndsRead, bareCrs } = readBareCrAsLineEnd(bytes);
  let events = run(lineEndsRead);
  // Text that stops inside the head: lint it as if the head were finished, and say what is missing.
  let missingEnd: HttpDiagnostic | null = null;
  const truncated = events.find((e) => e.type === 'diagnostic' && e.diagnostic.code === 'truncated-head');
  if (truncated?.type === 'diagnostic') {
    const endsWithLf = lineEndsRead[bytes.length - 1] === 0x0a;
    const completed = new Uint8Array(bytes.length + (endsWithLf ? 2 : 4));
    completed.set(lineEndsRead);
    completed.set(endsWithLf ? [0x0d, 0x0a] : [0x0d, 0x0a, 0x0d, 0x0a], bytes.length);
    events = run(completed).filter(
      (e) => e.type !== 'diagnostic' || e.diagnostic.offset + e.diagnostic.length <= bytes.length,
    );
    missingEnd = endsWithLf
      ? diagnostic(
          'missing-blank-line',
          'error',
          bytes.length,
          0,
          'The headers are not followed by an empty line: add one more line ending (CRLF) here. Without it the server keeps waiting for more headers.',
          { messageIndex: truncated.diagnostic.messageIndex },
        )
      : diagnostic(
          'missing-line-end',
          'error',
          bytes.length,
          0,
          'The last line has no line ending: end it with CRLF, then add an empty line (CRLF) to end the headers. Without them the server keeps waiting.',
          { messageIndex: truncated.diagnostic.messageIndex },
        );
  }
  events = events.map((e) =>
    e.type === 'diagnostic' && e.diagnostic.code === 'bare-lf' && bareCrs.has(e.diagnostic.offset)
      ? { type: 'diagnostic', diagnostic: bareCrDiagnostic(e.diagnostic) }
      : e,
  );
  const collected = collectMessages(events);
  let stopAt = Number.POSITIVE_INFINITY;
  for (const [i, message] of collected.messages.entries()) {
    if (message.head.offset >= stopAt) break;
    found.push(...message.diagnostics.filter((d) => d.offset < stopAt).map((d) => rephrase(d, message, bytes)));
    const extra = message.complete === true ? extraBytes(message, collected.messages[i + 1], bytes) : null;
    lintHead(message, extra !== null, found);
    if (options.url) lintAgainstUrl(message.head, options.url, collected.messages.length === 1, found);
    if (extra) {
      found.push(extra);
      stopAt = message.endOffset ?? stopAt;
    }
  }
  for (const d of collected.diagnostics) {
    if (d.offset >= stopAt) continue;
    if (d.code === 'leading-empty-line' && d.messageIndex !== undefined && d.messageIndex > 0) {
      found.push({
        ...d,
        message: `${d.length === 1 || d.length === 2 ? 'An empty line' : 'Empty lines'} after the request: a server skips ${d.length <= 2 ? 'it' : 'them'} while waiting for the next request, but ${d.length <= 2 ? 'it is' : 'they are'} sent.`,
      });
    } else if (d.code !== 'truncated-head') found.push(d);
  }
  if (missingEnd && (truncated?.type !== 'diagnostic' || truncated.diagnostic.offset < stopAt)) found.push(missingEnd);
  return position(input, bytes, found);
}

function readBareCrAsLineEnd(bytes: Uint8Array): { lineEndsRead: Uint8Array; bareCrs: Set<number> } {
  const bareCrs = new Set<number>();
  let copy: Uint8Array | null = null;
  for (let i = bytes.indexOf(0x0d); i !== -1; i = bytes.indexOf(0x0d, i + 1)) {
    if (bytes[i + 1] === 0x0a) continue;
    copy ??= bytes.slice();
    copy[i] = 0x0a;
    bareCrs.add(i);
  }
  return { lineEndsRead: copy ?? bytes, bareCrs };
}

function bareCrDiagnostic(d: HttpDiagnostic): HttpDiagnostic {
  return {
    ...d,
    code: 'bare-cr',
    severity: 'error',
    message:
      'Line ends in a bare CR (\\r) without LF: HTTP lines end with CRLF (\\r\\n). The server sees no line end here; it rejects the request or reads the CR as a space.',
  };
}

function lintHead(message: CollectedMessage<RequestHead>, extraFollows: boolean, out: HttpDiagnostic[]): void {
  const { head } = message;
  const at = { messageIndex: head.index };
  const firstLf = head.raw.indexOf(0x0a);
  const hosts = fieldsNamed(head.fields, 'Host');
  const isHttp11 = head.version === null || (head.version.major === 1 && head.version.minor >= 1);
  if (hosts.length === 0 && isHttp11 && head.method !== '') {
    out.push(
      diagnostic(
        'missing-host',
        'error',
        head.offset,
        trimLineEnding(head.raw, firstLf === -1 ? head.raw.length : firstLf + 1),
        `${head.versionText || 'HTTP/1.1'} requires a Host header naming the server (e.g. "Host: www.example.com"); servers answer 400 Bad Request without it.`,
        at,
      ),
    );
  }
  for (const extraHost of hosts.slice(1)) {
    out.push(
      diagnostic(
        'duplicate-host',
        'error',
        extraHost.offset,
        extraHost.length,
        'More than one Host header: a server must answer 400. Keep one.',
        at,
      ),
    );
  }
  const host = hosts[0];
  if (host) {
    const problem = hostProblem(host.value);
    if (problem) out.push(diagnostic('invalid-host', 'error', host.valueOffset, host.valueLength, problem, at));
  }
  const method = head.method;
  if (isToken(method) && !standardMethods.includes(method) && !standardMethods.includes(method.toUpperCase())) {
    out.push(
      diagnostic(
        'unknown-method',
        'info',
        head.offset,
        method.length,
        `"${method}" is not a standard method (${standardMethods.join(', ')}); most servers answer 501 Not Implemented or 405.`,
        at,
      ),
    );
  }
  if ((method === 'GET' || method === 'HEAD') && message.bodyLength > 0) {
    out.push(
      diagnostic(
        'body-with-get',
        'warning',
        head.offset + head.length,
        message.bodyLength,
        `A ${method} request with a body: servers ignore or reject it. Put data in the URL (/search?q=word), or use POST.`,
        at,
      ),
    );
  }
  const framed =
    fieldsNamed(head.fields, 'Content-Length').length + fieldsNamed(head.fields, 'Transfer-Encoding').length;
  if (['POST', 'PUT', 'PATCH'].includes(method) && framed === 0 && !extraFollows) {
    out.push(
      diagnostic(
        'length-required',
        'warning',
        head.offset,
        method.length,
        `${method} without Content-Length: a server expecting a body answers 411 Length Required. Add "Content-Length: 0" if the body is empty.`,
        at,
      ),
    );
  }
}

/** A finding with the value one click would write instead. */
type Finding = HttpDiagnostic & { suggestion?: string };

/** Host and the request target against the URL the text is sent to: a mismatch fetches something else. */
function lintAgainstUrl(head: RequestHead, url: LintUrl, single: boolean, out: Finding[]): void {
  const at = { messageIndex: head.index };
  const hosts = fieldsNamed(head.fields, 'Host');
  const host = hosts[0];
  if (host && hosts.length === 1 && !hostProblem(host.value)) {
    const written = withoutDefaultPort(host.value.toLowerCase(), url.scheme);
    if (written !== withoutDefaultPort(url.hostHeader.toLowerCase(), url.scheme)) {
      out.push({
        ...diagnostic(
          'host-differs-from-url',
          'warning',
          host.valueOffset,
          host.valueLength,
          `Host says ${host.value} but the URL is on ${url.hostHeader}: the request goes to the URL’s server, which reads Host to choose the site it answers for.`,
          at,
        ),
        suggestion: url.hostHeader,
      });
    }
  }
  // Several requests in one text (pipelining) may each ask for another path on purpose.
  if (!single || url.path === undefined || !head.target.startsWith('/') || head.target === url.path) return;
  const line = headText(head.raw, 0, Math.min(head.raw.length, 8192));
  const from = line.indexOf(head.target, head.method.length);
  if (from === -1) return;
  out.push({
    ...diagnostic(
      'target-differs-from-url',
      'warning',
      head.offset + from,
      head.target.length,
      `The request line asks for ${head.target} but the URL’s path is ${url.path}: the server answers what the request line asks for, whatever the URL says.`,
      at,
    ),
    suggestion: url.path,
  });
}

function withoutDefaultPort(host: string, scheme: 'http' | 'https'): string {
  const suffix = scheme === 'https' ? ':443' : ':80';
  return host.endsWith(suffix) ? host.slice(0, -suffix.length) : host;
}

function trimLineEnding(raw: Uint8Array, length: number): number {
  let end = length;
  if (end > 0 && raw[end - 1] === 0x0a) end--;
  if (end > 0 && raw[end - 1] === 0x0d) end--;
  return end;
}

function hostProblem(value: string): string | null {
  if (value === '') return 'Host is empty: name the server, e.g. "Host: www.example.com".';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes('/')) {
    const bare = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0];
    return `Host takes only the server name and an optional port, not a URL: write "Host: ${bare}".`;
  }
  if (/[\s@]/.test(value)) return `"${value}" is not a host name: Host is a name or address with an optional :port.`;
  const port = /:(\d*)$/.exec(value.startsWith('[') ? value.slice(value.indexOf(']') + 1) : value);
  if (port && (port[1] === '' || Number(port[1]) > 65535)) {
    return `The port in Host "${value}" is not a valid port number (1–65535).`;
  }
  return null;
}

function contentLengthField(head: RequestHead): HttpField | undefined {
  return fieldsNamed(head.fields, 'Content-Length')[0];
}

/** Bytes after a complete request that do not start another one. */
function extraBytes(
  message: CollectedMessage<RequestHead>,
  next: CollectedMessage<RequestHead> | undefined,
  bytes: Uint8Array,
): HttpDiagnostic | null {
  const end = message.endOffset as number;
  let start = end;
  while (start < bytes.length && (bytes[start] === 0x0d || bytes[start] === 0x0a)) start++;
  if (start >= bytes.length) return null;
  const firstLineEnd = bytes.indexOf(0x0a, start);
  const firstLine = headText(bytes, start, firstLineEnd === -1 ? bytes.length : firstLineEnd);
  if (REQUEST_LINE_START.test(firstLine) && next) return null;
  const count = bytes.length - end;
  const at = { messageIndex: message.head.index };
  const quoted = quoteBytes(bytes.subarray(end, bytes.length), 24);
  const notARequest = REQUEST_LINE_START.test(firstLine)
    ? ''
    : ' (If you meant a second, pipelined request, its request line is malformed.)';
  const { head } = message;
  const length = contentLengthField(head);
  if (head.framing.kind === 'length' && length) {
    return diagnostic(
      'content-length-mismatch',
      'error',
      length.valueOffset,
      length.valueLength,
      `Content-Length says ${head.framing.length} but ${formatByteCount(head.framing.length + count)} follow the empty line: the server reads ${formatByteCount(head.framing.length)} as the body and takes ${quoted} as the start of the next request. Set Content-Length to ${head.framing.length + count}.${notARequest}`,
      at,
    );
  }
  if (head.framing.kind === 'chunked') {
    return diagnostic(
      'content-length-mismatch',
      'error',
      end,
      count,
      `${formatByteCount(count)} after the end of the chunked body (the "0" chunk and empty line): the server reads them as the next request.${notARequest}`,
      at,
    );
  }
  return diagnostic(
    'body-without-length',
    'error',
    end,
    count,
    `${formatByteCount(count)} after the empty line, but no Content-Length: the server takes the request to have no body and reads ${quoted} as the next request. Add "Content-Length: ${count}".${notARequest}`,
    at,
  );
}

/** The parser's wording is for received messages; a few read better for a request being written. */
function rephrase(d: HttpDiagnostic, message: CollectedMessage<RequestHead>, bytes: Uint8Array): HttpDiagnostic {
  const { head } = message;
  if (d.code === 'truncated-body' && head.framing.kind === 'length') {
    const field = contentLengthField(head);
    const have = bytes.length - (head.offset + head.length);
    return {
      ...d,
      code: 'content-length-mismatch',
      offset: field?.valueOffset ?? d.offset,
      length: field?.valueLength ?? d.length,
      message: `Content-Length says ${head.framing.length} but the body has ${formatByteCount(have)}: the server waits for ${formatByteCount(head.framing.length - have)} more (and the request times out). Set Content-Length to ${have}.`,
    };
  }
  if (d.code === 'truncated-chunked') {
    return {
      ...d,
      message:
        'The chunked body does not end: finish it with the last chunk, "0" and an empty line (0\\r\\n\\r\\n); until then the server waits.',
    };
  }
  return d;
}

function position(input: string | Uint8Array, bytes: Uint8Array, found: HttpDiagnostic[]): LintDiagnostic[] {
  const sorted = found
    .map((d, i) => [d, i] as const)
    .sort((a, b) => a[0].offset - b[0].offset || a[1] - b[1])
    .map(([d]) => d);
  const starts = sorted.map((d) => d.offset);
  const ends = sorted.map((d) => d.offset + d.length);
  const text = typeof input === 'string' ? input : null;
  const startIndices = text === null ? starts : byteOffsetsToIndices(text, starts);
  const endIndices = text === null ? ends : byteOffsetsToIndices(text, ends, true);
  return sorted.map((d, i) => {
    const offset = startIndices[i] as number;
    const where = text === null ? bytePosition(bytes, offset) : positionAt(text, offset);
    const out: LintDiagnostic = {
      code: d.code,
      severity: d.severity,
      message: d.message,
      offset,
      length: (endIndices[i] as number) - offset,
      line: where.line,
      column: where.column,
      byteOffset: d.offset,
      byteLength: d.length,
    };
    if (d.messageIndex !== undefined) out.requestIndex = d.messageIndex;
    const suggestion = (d as Finding).suggestion;
    if (suggestion !== undefined) out.suggestion = suggestion;
    return out;
  });
}
