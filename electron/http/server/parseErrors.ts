/** How the server answers a request Node's parser (llhttp) refused. */
export interface ParseErrorAnswer {
  status: number;
  reason: string;
}

const tokenMethod = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const wellFormedVersion = /^HTTP\/\d\.\d$/;
const spokenVersions = new Set(['HTTP/1.0', 'HTTP/1.1']);
/** llhttp's codes for a line that ends in a bare LF or CR; others (HPE_STRICT, HPE_INVALID_VERSION) say so only in their text. */
const lineEndingCodes = new Set(['HPE_CR_EXPECTED', 'HPE_LF_EXPECTED']);
const lineEndingDetail = /\b(CR|LF|CRLF)\b/;

/** The first line of a request as text (leading blank lines skipped, line ending dropped). */
export function requestLineOf(raw: Uint8Array): string {
  let start = 0;
  while (start < raw.byteLength && (raw[start] === 0x0d || raw[start] === 0x0a)) start++;
  let end = raw.indexOf(0x0a, start);
  if (end === -1) end = raw.byteLength;
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(raw[i] as number);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/** method, target and version when the request line has exactly three parts. */
export function splitRequestLine(line: string): { method: string; target: string; version: string } | undefined {
  const parts = line.split(' ');
  if (parts.length !== 3 || parts.some((part) => part === '')) return undefined;
  const [method, target, version] = parts as [string, string, string];
  return { method, target, version };
}

/**
 * llhttp stops at the first thing it does not accept, with an error code; the answer
 * depends on what the student wrote. A well-formed line with a version this server
 * does not speak (HTTP/1.2, HTTP/3.0) gets 505; a well-formed line with a method llhttp
 * does not know (BREW, get) gets 405 like any other method but GET and HEAD; anything
 * else is malformed: 400.
 */
export function answerParseError(code: string | undefined, detail: string, requestLine: string): ParseErrorAnswer {
  const parts = splitRequestLine(requestLine);
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, reason: 'the request head is larger than the 16 KiB this server reads' };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'ERR_HTTP_HEADERS_TIMEOUT') {
    return { status: 408, reason: 'the request did not arrive completely in time' };
  }
  if (code === 'HPE_PAUSED_H2_UPGRADE') {
    return {
      status: 505,
      reason: 'this is the HTTP/2 connection preface (PRI * HTTP/2.0): this server speaks HTTP/1.0 and HTTP/1.1 only',
    };
  }
  // Checked before the version: llhttp reports a bare LF after "HTTP/1.1" as an invalid version.
  if (lineEndingCodes.has(code ?? '') || lineEndingDetail.test(detail)) {
    return {
      status: 400,
      reason: `a line does not end in CRLF (${detail}): end every line of the head with CR LF (\\r\\n)`,
    };
  }
  if (
    code === 'HPE_INVALID_VERSION' &&
    parts &&
    wellFormedVersion.test(parts.version) &&
    !spokenVersions.has(parts.version)
  ) {
    return {
      status: 505,
      reason: `${parts.version} is not supported: this server speaks HTTP/1.0 and HTTP/1.1`,
    };
  }
  if (
    code === 'HPE_INVALID_METHOD' &&
    parts &&
    tokenMethod.test(parts.method) &&
    wellFormedVersion.test(parts.version)
  ) {
    return {
      status: 405,
      reason: `${parts.method} is not allowed here: this server answers GET and HEAD only (methods are case-sensitive)`,
    };
  }
  if (requestLine === '') return { status: 400, reason: 'the request has no request line' };
  if (!parts) {
    return {
      status: 400,
      reason: `"${requestLine.slice(0, 80)}" is not a request line: write METHOD SP target SP HTTP/1.1, e.g. GET / HTTP/1.1`,
    };
  }
  return { status: 400, reason: `malformed request: ${detail}` };
}
