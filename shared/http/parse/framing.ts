import { formatByteCount } from '../../bytes/formatByteCount';
import { diagnostic, type HttpDiagnostic } from '../compose/diagnostics';
import { fieldList, fieldsNamed, type HttpField } from './fields';
import type { HttpVersion } from './startLine';

/** How the body of a message is delimited (RFC 9112 §6.3), as the parser decided it. */
export type BodyFraming =
  /** No body: `because` says why (HEAD, 204, 304, an interim 1xx, a request without a length). */
  | { kind: 'none'; because: 'head-request' | 'no-content' | 'not-modified' | 'interim' | 'no-length' }
  /** Exactly `length` bytes (Content-Length). */
  | { kind: 'length'; length: number }
  /** Transfer-Encoding: chunked, ending with a zero-size chunk and the trailer section. */
  | { kind: 'chunked' }
  /** Everything until the server closes the connection. */
  | { kind: 'close' }
  /** 101 Switching Protocols or a 2xx answer to CONNECT: what follows is another protocol. */
  | { kind: 'switch' };

export function describeFraming(framing: BodyFraming): string {
  switch (framing.kind) {
    case 'none':
      return {
        'head-request': 'no body (answer to HEAD)',
        'no-content': 'no body (204 No Content)',
        'not-modified': 'no body (304 Not Modified)',
        interim: 'no body (interim 1xx response)',
        'no-length': 'no body (no Content-Length or Transfer-Encoding)',
      }[framing.because];
    case 'length':
      return `Content-Length: ${formatByteCount(framing.length)}`;
    case 'chunked':
      return 'chunked (Transfer-Encoding: chunked)';
    case 'close':
      return 'until the connection closes';
    case 'switch':
      return 'protocol switched: the rest of the connection is not HTTP';
  }
}

type ContentLength = { kind: 'absent' } | { kind: 'valid'; length: number } | { kind: 'invalid' };

/** Content-Length across every field and list element; same value repeated is tolerated, anything else is not. */
export function evaluateContentLength(
  fields: readonly HttpField[],
  messageIndex: number,
  role: 'request' | 'response',
  out: HttpDiagnostic[],
): ContentLength {
  const found = fieldsNamed(fields, 'Content-Length');
  if (found.length === 0) return { kind: 'absent' };
  const at = { messageIndex, fatal: role === 'request' };
  const consequence =
    role === 'request'
      ? 'A server cannot tell where the body ends and must answer 400 and close the connection.'
      : 'The body is read until the server closes the connection.';
  let first: { value: string; field: HttpField } | null = null;
  let repeats = 0;
  for (const field of found) {
    for (const element of field.value.split(',')) {
      const value = element.trim();
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
        out.push(
          diagnostic(
            'invalid-content-length',
            'error',
            field.valueOffset,
            field.valueLength,
            `Content-Length must be a whole number of bytes (like 42), not "${field.value}". ${consequence}`,
            at,
          ),
        );
        return { kind: 'invalid' };
      }
      if (first === null) {
        first = { value, field };
        continue;
      }
      if (Number(value) !== Number(first.value)) {
        out.push(
          diagnostic(
            'conflicting-content-length',
            'error',
            field.offset,
            field.length,
            `Conflicting Content-Length values ${first.value} and ${value}: the length of the body is ambiguous (the trick behind request smuggling). ${consequence}`,
            at,
          ),
        );
        return { kind: 'invalid' };
      }
      repeats++;
    }
  }
  if (!first) {
    const field = found[0] as HttpField;
    out.push(
      diagnostic(
        'invalid-content-length',
        'error',
        field.offset,
        field.length,
        `Content-Length is empty. ${consequence}`,
        at,
      ),
    );
    return { kind: 'invalid' };
  }
  if (repeats > 0) {
    const last = found[found.length - 1] as HttpField;
    out.push(
      diagnostic(
        'duplicate-content-length',
        'warning',
        found.length > 1 ? last.offset : last.valueOffset,
        found.length > 1 ? last.length : last.valueLength,
        `Content-Length is given ${repeats + 1} times with the same value ${first.value}: tolerated, but send it once.`,
        { messageIndex },
      ),
    );
  }
  return { kind: 'valid', length: Number(first.value) };
}

type TransferEncoding = { kind: 'absent' } | { kind: 'chunked' } | { kind: 'other'; codings: string[] };

export function evaluateTransferEncoding(
  fields: readonly HttpField[],
  version: HttpVersion | null,
  hasContentLength: boolean,
  messageIndex: number,
  role: 'request' | 'response',
  out: HttpDiagnostic[],
): TransferEncoding {
  const found = fieldsNamed(fields, 'Transfer-Encoding');
  const first = found[0];
  if (!first) return { kind: 'absent' };
  const at = { messageIndex };
  const codings = fieldList(fields, 'Transfer-Encoding').map((coding) => coding.toLowerCase());
  if (hasContentLength) {
    const contentLength = fieldsNamed(fields, 'Content-Length')[0] as HttpField;
    out.push(
      diagnostic(
        'transfer-encoding-with-content-length',
        'error',
        contentLength.offset,
        contentLength.length,
        'Transfer-Encoding and Content-Length together: Transfer-Encoding wins and Content-Length is ignored (RFC 9112 §6.3). A sender must never send both.',
        at,
      ),
    );
  }
  if (version && version.major === 1 && version.minor === 0) {
    out.push(
      diagnostic(
        'transfer-encoding-in-http10',
        'warning',
        first.offset,
        first.length,
        'Transfer-Encoding is an HTTP/1.1 feature: an HTTP/1.0 recipient does not know chunked framing.',
        at,
      ),
    );
  }
  const chunkedAt = codings.indexOf('chunked');
  if (chunkedAt !== -1 && chunkedAt === codings.length - 1) {
    return { kind: 'chunked' };
  }
  out.push(
    diagnostic(
      'transfer-encoding-not-chunked',
      'error',
      first.offset,
      first.length,
      chunkedAt === -1
        ? role === 'request'
          ? `Transfer-Encoding "${first.value}" without chunked last: a server cannot find the end of the body and answers 400.`
          : `Transfer-Encoding "${first.value}" without chunked last: the body ends when the server closes the connection.`
        : `"chunked" must be the last transfer coding and appear once ("${codings.join(', ')}").`,
      { messageIndex, fatal: role === 'request' },
    ),
  );
  return { kind: 'other', codings };
}

/** Persistent connection after this message? HTTP/1.1: unless "Connection: close"; HTTP/1.0: only with keep-alive. */
export function isPersistent(fields: readonly HttpField[], version: HttpVersion | null): boolean {
  const options = fieldList(fields, 'Connection').map((option) => option.toLowerCase());
  if (options.includes('close')) return false;
  if (version && version.major === 1 && version.minor === 0) return options.includes('keep-alive');
  return true;
}
