import { headText } from './ascii';
import { diagnostic, type HttpDiagnostic } from '../compose/diagnostics';
import type { ResponseHead, ResponseParseEvent } from './events';
import { parseFieldLines } from './fields';
import { type BodyFraming, evaluateContentLength, evaluateTransferEncoding, isPersistent } from './framing';
import type { Line } from './lines';
import { checkStatusPrefix, parseStatusLine } from './startLine';
import { Http1Stream, type StreamLimits, type StreamState } from './stream';

export interface ResponseParserOptions extends StreamLimits {
  /** Method of a request already sent (HEAD means no body). */
  method?: string;
  /** Methods of requests already sent, in order (pipelining); use instead of `method`. */
  requests?: readonly string[];
}

/**
 * An incremental HTTP/1.x response parser for one client connection. Tell it
 * each request as it goes out (`expectResponse`), push the bytes that come
 * back, call `end()` when the connection closes.
 */
export interface ResponseParser {
  /** A request was sent with this method; returns its index (0, 1, ...). */
  expectResponse(method: string): number;
  push(chunk: Uint8Array): ResponseParseEvent[];
  end(): ResponseParseEvent[];
  /** Bytes pushed so far. */
  readonly offset: number;
  /** Bytes held inside the parser (never more than maxHeadBytes + 1). */
  readonly bufferedBytes: number;
  /** Requests sent whose final response has not fully arrived. */
  readonly outstanding: number;
  readonly state: StreamState;
}

export function createResponseParser(options: ResponseParserOptions = {}): ResponseParser {
  const parser = new ResponseStream(options);
  for (const method of options.requests ?? (options.method === undefined ? [] : [options.method])) {
    parser.expectResponse(method);
  }
  return {
    expectResponse: (method) => parser.expectResponse(method),
    push: (chunk) => parser.push(chunk),
    end: () => parser.end(),
    get offset() {
      return parser.offset;
    },
    get bufferedBytes() {
      return parser.bufferedBytes;
    },
    get outstanding() {
      return parser.outstanding;
    },
    get state() {
      return parser.currentState;
    },
  };
}

interface PendingRequest {
  index: number;
  method: string;
}

class ResponseStream extends Http1Stream<ResponseHead> {
  protected readonly role = 'response';
  private readonly queue: PendingRequest[] = [];
  private requestCount = 0;
  /** A head (interim or final) already arrived for queue[0]. */
  private answered = false;
  private idleRun = false;

  constructor(options: StreamLimits) {
    super(options);
    this.state = 'idle';
  }

  get outstanding(): number {
    return this.queue.length;
  }

  expectResponse(method: string): number {
    const index = this.requestCount++;
    this.queue.push({ index, method });
    if (this.state === 'idle') {
      this.state = 'head';
      this.idleRun = false;
    }
    return index;
  }

  protected override idleBytes(offset: number): void {
    if (this.idleRun) return;
    this.idleRun = true;
    this.emitDiagnostic(
      'idle-bytes',
      'warning',
      offset,
      1,
      'Unexpected bytes on an idle connection: they arrived after the last response was complete while no request was outstanding, so they belong to no response (a server bug, or a body longer than its Content-Length).',
      undefined,
    );
  }

  protected checkPrefix(bytes: Uint8Array, n: number, base: number): HttpDiagnostic | null {
    return checkStatusPrefix(bytes, 0, n, base, this.messageIndex);
  }

  protected checkStartLine(bytes: Uint8Array, line: Line, base: number): HttpDiagnostic | null {
    const scratch: HttpDiagnostic[] = [];
    return parseStatusLine(bytes, line, base, this.messageIndex, scratch)
      ? null
      : (scratch.find((d) => d.fatal) ?? null);
  }

  protected leadingEmptyLines(offset: number, length: number): HttpDiagnostic {
    return diagnostic(
      'leading-empty-line',
      'warning',
      offset,
      length,
      'Empty line(s) before the status line: the previous response probably sent more than its Content-Length said (e.g. a CRLF after the body). Skipped.',
      { messageIndex: this.messageIndex },
    );
  }

  protected buildHead(raw: Uint8Array, lines: Line[], base: number, out: HttpDiagnostic[]): ResponseHead {
    const startLine = lines[0] as Line;
    // The start line was accepted when it arrived, so it parses again here.
    const status = parseStatusLine(raw, startLine, base, this.messageIndex, out) ?? {
      version: { major: 1, minor: 1 },
      versionText: '',
      status: 0,
      reason: '',
    };
    const fields = parseFieldLines(raw, lines.slice(1, -1), base, this.messageIndex, out);
    const request = this.queue[0] as PendingRequest;
    this.answered = true;
    const interim = status.status >= 100 && status.status < 200 && status.status !== 101;
    const framing = this.framing(status.status, status.version, request.method, fields, base + raw.length, out);
    return {
      kind: 'response',
      index: this.messageIndex,
      offset: base,
      length: raw.length,
      raw,
      startLine: headText(raw, startLine.start, startLine.end),
      fields,
      framing,
      persistent: framing.kind !== 'close' && framing.kind !== 'switch' && isPersistent(fields, status.version),
      version: status.version,
      versionText: status.versionText,
      status: status.status,
      reason: status.reason,
      interim,
      requestIndex: request.index,
      method: request.method,
    };
  }

  /** RFC 9112 §6.3, in its order. */
  private framing(
    status: number,
    version: ResponseHead['version'],
    method: string,
    fields: ResponseHead['fields'],
    bodyStart: number,
    out: HttpDiagnostic[],
  ): BodyFraming {
    if (status === 101) return { kind: 'switch' };
    if (status < 200) return { kind: 'none', because: 'interim' };
    const contentLength = evaluateContentLength(fields, this.messageIndex, 'response', out);
    const transfer = evaluateTransferEncoding(
      fields,
      version,
      contentLength.kind !== 'absent',
      this.messageIndex,
      'response',
      out,
    );
    if (method === 'HEAD') return { kind: 'none', because: 'head-request' };
    if (status === 204) return { kind: 'none', because: 'no-content' };
    if (status === 304) return { kind: 'none', because: 'not-modified' };
    if (method === 'CONNECT' && status < 300) return { kind: 'switch' };
    if (transfer.kind === 'chunked') return { kind: 'chunked' };
    if (transfer.kind === 'other') return { kind: 'close' };
    if (contentLength.kind === 'valid') return { kind: 'length', length: contentLength.length };
    if (contentLength.kind === 'absent') {
      out.push(
        diagnostic(
          'close-delimited',
          'info',
          bodyStart,
          0,
          'No Content-Length and no chunked encoding: the body is everything until the server closes the connection, so the connection cannot carry another request.',
          { messageIndex: this.messageIndex },
        ),
      );
    }
    return { kind: 'close' };
  }

  protected afterMessage(head: ResponseHead): void {
    if (head.interim) {
      this.state = 'head';
      return;
    }
    this.queue.shift();
    this.answered = false;
    this.state = this.queue.length > 0 ? 'head' : 'idle';
    this.idleRun = false;
  }

  protected endOfStream(partialHead: boolean): void {
    const waiting = this.answered || partialHead || this.state === 'failed' ? this.queue.slice(1) : this.queue;
    for (const request of waiting) {
      this.emitDiagnostic(
        'no-response',
        'error',
        this.offset,
        0,
        // Counted on this connection, and said so: the app numbers requests across connections.
        `No response to the ${ordinal(request.index + 1)} request on this connection (${request.method}): the server closed the connection first.`,
        undefined,
      );
    }
  }
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 21st… */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
