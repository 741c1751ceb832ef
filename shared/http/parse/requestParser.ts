import { headText } from './ascii';
import { diagnostic, type HttpDiagnostic } from '../compose/diagnostics';
import type { RequestHead, RequestParseEvent } from './events';
import { parseFieldLines } from './fields';
import { type BodyFraming, evaluateContentLength, evaluateTransferEncoding, isPersistent } from './framing';
import type { Line } from './lines';
import { checkRequestPrefix, parseRequestLine } from './startLine';
import { Http1Stream, type StreamLimits, type StreamState } from './stream';

export type RequestParserOptions = StreamLimits;

/**
 * An incremental HTTP/1.x request parser for one server-side connection, the
 * mirror of the response parser: push what the client sends, `end()` when it
 * closes. Pipelined requests come out one after another. A head with an error
 * diagnostic deserves 400 (505 for 'unsupported-version'); after a fatal one
 * the server should answer and close, since the rest cannot be framed.
 */
export interface RequestParser {
  push(chunk: Uint8Array): RequestParseEvent[];
  end(): RequestParseEvent[];
  readonly offset: number;
  readonly bufferedBytes: number;
  readonly state: StreamState;
}

export function createRequestParser(options: RequestParserOptions = {}): RequestParser {
  const parser = new RequestStream(options);
  return {
    push: (chunk) => parser.push(chunk),
    end: () => parser.end(),
    get offset() {
      return parser.offset;
    },
    get bufferedBytes() {
      return parser.bufferedBytes;
    },
    get state() {
      return parser.currentState;
    },
  };
}

class RequestStream extends Http1Stream<RequestHead> {
  protected readonly role = 'request';

  protected checkPrefix(bytes: Uint8Array, n: number, base: number): HttpDiagnostic | null {
    return checkRequestPrefix(bytes, 0, n, base, this.messageIndex);
  }

  protected checkStartLine(bytes: Uint8Array, line: Line, base: number): HttpDiagnostic | null {
    const scratch: HttpDiagnostic[] = [];
    return parseRequestLine(bytes, line, base, this.messageIndex, scratch)
      ? null
      : (scratch.find((d) => d.fatal) ?? null);
  }

  protected leadingEmptyLines(offset: number, length: number): HttpDiagnostic {
    return diagnostic(
      'leading-empty-line',
      'info',
      offset,
      length,
      'Empty line(s) before the request line: servers skip them (RFC 9112 §2.2), but a request starts with its request line.',
      { messageIndex: this.messageIndex },
    );
  }

  protected buildHead(raw: Uint8Array, lines: Line[], base: number, out: HttpDiagnostic[]): RequestHead {
    const startLine = lines[0] as Line;
    const request = parseRequestLine(raw, startLine, base, this.messageIndex, out) ?? {
      method: '',
      target: '',
      version: null,
      versionText: '',
    };
    const fields = parseFieldLines(raw, lines.slice(1, -1), base, this.messageIndex, out);
    const contentLength = evaluateContentLength(fields, this.messageIndex, 'request', out);
    const transfer = evaluateTransferEncoding(
      fields,
      request.version,
      contentLength.kind !== 'absent',
      this.messageIndex,
      'request',
      out,
    );
    let framing: BodyFraming = { kind: 'none', because: 'no-length' };
    if (transfer.kind === 'chunked') framing = { kind: 'chunked' };
    else if (transfer.kind === 'absent' && contentLength.kind === 'valid') {
      framing = { kind: 'length', length: contentLength.length };
    }
    return {
      kind: 'request',
      index: this.messageIndex,
      offset: base,
      length: raw.length,
      raw,
      startLine: headText(raw, startLine.start, startLine.end),
      fields,
      framing,
      persistent: isPersistent(fields, request.version),
      method: request.method,
      target: request.target,
      version: request.version,
      versionText: request.versionText,
    };
  }

  protected afterMessage(): void {
    this.state = 'head';
  }

  protected endOfStream(): void {}
}
