import { formatByteCount } from '../../bytes/formatByteCount';
import { CR, LF } from './ascii';
import { parseChunkLine } from './chunkLine';
import { diagnostic, type HttpDiagnostic } from '../compose/diagnostics';
import type { MessageHeadBase, ParseEvent, UnparsedReason } from './events';
import { parseFieldLines } from './fields';
import type { BodyFraming } from './framing';
import { checkLineBytes, type Line, splitLines } from './lines';

export const DEFAULT_MAX_HEAD_BYTES = 64 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** A chunk-size line is a few hex digits and perhaps an extension; anything this long is garbage. */
const MAX_CHUNK_LINE_BYTES = 4096;

export interface StreamLimits {
  /** Largest head (start line + fields + empty line), and largest trailer section. Default 64 KiB. */
  maxHeadBytes?: number;
  /** Body bytes kept per message; the rest is counted, not kept. Default 64 MiB. */
  maxBodyBytes?: number;
}

export type StreamState =
  | 'idle'
  | 'head'
  | 'length'
  | 'chunk-line'
  | 'chunk-data'
  | 'chunk-end'
  | 'trailers'
  | 'close'
  | 'switched'
  | 'failed'
  | 'ended';

/**
 * The byte engine both push parsers share: head and trailer sections, body
 * framing, chunked decoding, the body cap, fatal errors. Subclasses say what a
 * start line is and what follows a message. Every decision depends only on the
 * bytes seen so far in stream order, never on where one chunk ended and the
 * next began, so the events are the same for any split of the input (data
 * events aside, which mergeDataEvents joins).
 *
 * Memory: at most one head (maxHeadBytes + 1 bytes) is buffered; body and
 * unparsed bytes are handed out as views of the pushed chunks, never copied.
 */
export abstract class Http1Stream<Head extends MessageHeadBase> {
  protected state: StreamState = 'head';
  protected messageIndex = 0;
  protected readonly maxHeadBytes: number;
  protected readonly maxBodyBytes: number;
  private out: ParseEvent<Head>[] = [];
  /** Stream offset of the chunk being pushed. */
  private base = 0;
  private section = new Uint8Array(256);
  private sectionLength = 0;
  private sectionOffset = 0;
  private lineStart = 0;
  private startLineDone = false;
  private prefixChecked = false;
  private skipped: { offset: number; length: number } | null = null;
  private current: Head | null = null;
  private remaining = 0;
  private bodyLength = 0;
  private capNoted = false;
  private chunkEndCr = false;
  private chunkEndOffset = 0;
  private announcedClose = false;

  constructor(limits: StreamLimits) {
    this.maxHeadBytes = Math.max(64, Math.floor(limits.maxHeadBytes ?? DEFAULT_MAX_HEAD_BYTES));
    this.maxBodyBytes = Math.max(0, Math.floor(limits.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES));
  }

  protected abstract readonly role: 'request' | 'response';
  /** A fatal diagnostic when the first `n` (≤ 5) bytes of a head cannot start a message. */
  protected abstract checkPrefix(bytes: Uint8Array, n: number, base: number): HttpDiagnostic | null;
  /** A fatal diagnostic when the complete first line cannot be a start line. */
  protected abstract checkStartLine(bytes: Uint8Array, line: Line, base: number): HttpDiagnostic | null;
  /** The head from its bytes (lines already checked byte by byte), pushing its diagnostics to `out`. */
  protected abstract buildHead(raw: Uint8Array, lines: Line[], base: number, out: HttpDiagnostic[]): Head;
  /** Sets the state for what follows a complete message. */
  protected abstract afterMessage(head: Head): void;
  /** Extra notes when the connection ends (e.g. requests left without a response). */
  protected abstract endOfStream(partialHead: boolean): void;
  protected abstract leadingEmptyLines(offset: number, length: number): HttpDiagnostic;

  /** Stream offset of the next byte to arrive (bytes pushed so far). */
  get offset(): number {
    return this.base;
  }

  /** Bytes held inside the parser (an unfinished head or chunk line); never more than maxHeadBytes + 1. */
  get bufferedBytes(): number {
    return this.sectionLength;
  }

  get currentState(): StreamState {
    return this.state;
  }

  push(chunk: Uint8Array): ParseEvent<Head>[] {
    this.out = [];
    if (this.state === 'ended') return this.out;
    let pos = 0;
    while (pos < chunk.length) pos = this.step(chunk, pos);
    this.base += chunk.length;
    return this.out;
  }

  /** The connection closed: report what was left unfinished. Later pushes are ignored. */
  end(): ParseEvent<Head>[] {
    this.out = [];
    if (this.state === 'ended') return this.out;
    const at = this.base;
    let partialHead = false;
    switch (this.state) {
      case 'head': {
        if (this.sectionLength > 0 && !this.prefixChecked) {
          this.prefixChecked = true;
          const problem = this.checkPrefix(this.section, this.sectionLength, this.sectionOffset);
          if (problem) {
            this.fail(problem);
            partialHead = true;
            break;
          }
        }
        this.flushSkipped();
        if (this.sectionLength > 0) {
          partialHead = true;
          this.emitDiagnostic(
            'truncated-head',
            'error',
            this.sectionOffset,
            this.sectionLength,
            `The connection closed in the middle of a ${this.role} head (${formatByteCount(this.sectionLength)} without the empty line that ends it).`,
          );
          this.emitUnparsed('incomplete', this.sectionOffset, this.section.slice(0, this.sectionLength));
          this.sectionLength = 0;
        }
        break;
      }
      case 'length':
        this.emitDiagnostic(
          'truncated-body',
          'error',
          at,
          0,
          `The connection closed after ${formatByteCount(this.bodyLength)} of the ${formatByteCount(this.bodyLength + this.remaining)} that Content-Length announced: the body is cut short.`,
        );
        this.finishMessage(false, at);
        break;
      case 'chunk-line':
      case 'chunk-data':
      case 'chunk-end':
      case 'trailers':
        this.emitDiagnostic(
          'truncated-chunked',
          'error',
          this.sectionLength > 0 ? this.sectionOffset : at,
          this.sectionLength,
          this.state === 'trailers'
            ? 'The connection closed inside the trailer section: the empty line that ends a chunked body never came.'
            : 'The connection closed inside a chunked body: the last chunk ("0" and an empty line) never came.',
        );
        this.sectionLength = 0;
        this.finishMessage(false, at);
        break;
      case 'close':
        this.finishMessage(true, at);
        break;
      default:
        break;
    }
    this.endOfStream(partialHead);
    this.state = 'ended';
    return this.out;
  }

  protected emit(event: ParseEvent<Head>): void {
    this.out.push(event);
  }

  protected emitDiagnostic(
    code: HttpDiagnostic['code'],
    severity: HttpDiagnostic['severity'],
    offset: number,
    length: number,
    message: string,
    messageIndex: number | undefined = this.messageIndex,
  ): void {
    this.emit({
      type: 'diagnostic',
      diagnostic: diagnostic(code, severity, offset, length, message, { messageIndex }),
    });
  }

  protected emitUnparsed(reason: UnparsedReason, offset: number, data: Uint8Array): void {
    if (data.length === 0) return;
    const event: ParseEvent<Head> = { type: 'unparsed', reason, offset, data };
    if (reason === 'switched') event.messageIndex = this.messageIndex - 1;
    this.emit(event);
  }

  private step(chunk: Uint8Array, pos: number): number {
    switch (this.state) {
      case 'head':
      case 'trailers':
        return this.scanSection(chunk, pos);
      case 'chunk-line':
        return this.scanChunkLine(chunk, pos);
      case 'length':
      case 'chunk-data': {
        const n = Math.min(this.remaining, chunk.length - pos);
        this.emitBody(chunk, pos, n);
        this.remaining -= n;
        if (this.remaining === 0) {
          if (this.state === 'length') this.finishMessage(true, this.base + pos + n);
          else {
            this.state = 'chunk-end';
            this.chunkEndCr = false;
          }
        }
        return pos + n;
      }
      case 'chunk-end':
        return this.chunkEnd(chunk, pos);
      case 'close':
        this.emitBody(chunk, pos, chunk.length - pos);
        return chunk.length;
      case 'idle':
        this.idleBytes(this.base + pos);
        this.emitUnparsed('idle', this.base + pos, chunk.subarray(pos));
        return chunk.length;
      case 'switched':
        this.emitUnparsed('switched', this.base + pos, chunk.subarray(pos));
        return chunk.length;
      default:
        this.emitUnparsed('error', this.base + pos, chunk.subarray(pos));
        return chunk.length;
    }
  }

  /** Called for the first byte of every run of idle bytes, and each later chunk of it. */
  protected idleBytes(_offset: number): void {}

  private append(chunk: Uint8Array, from: number, to: number): void {
    const needed = this.sectionLength + (to - from);
    if (needed > this.section.length) {
      const grown = new Uint8Array(Math.min(Math.max(needed, this.section.length * 2), this.maxHeadBytes + 1));
      grown.set(this.section.subarray(0, this.sectionLength));
      this.section = grown;
    }
    this.section.set(chunk.subarray(from, to), this.sectionLength);
    this.sectionLength = needed;
  }

  /** Next segment of a line-based section: up to and including the next LF, at most `limit + 1` bytes in all. */
  private takeSegment(chunk: Uint8Array, pos: number, limit: number): { end: number; sawLf: boolean } {
    if (this.sectionLength === 0) this.sectionOffset = this.base + pos;
    const lf = chunk.indexOf(LF, pos);
    let end = lf === -1 ? chunk.length : lf + 1;
    let sawLf = lf !== -1;
    const room = limit + 1 - this.sectionLength;
    if (end - pos > room) {
      end = pos + room;
      sawLf = false;
    }
    this.append(chunk, pos, end);
    return { end, sawLf };
  }

  private lineIsEmpty(): boolean {
    const length = this.sectionLength - 1 - this.lineStart;
    return length === 0 || (length === 1 && this.section[this.lineStart] === CR);
  }

  private scanSection(chunk: Uint8Array, start: number): number {
    const isHead = this.state === 'head';
    let pos = start;
    while (pos < chunk.length) {
      const segment = this.takeSegment(chunk, pos, this.maxHeadBytes);
      pos = segment.end;
      if (isHead && segment.sawLf && this.lineStart === 0 && this.lineIsEmpty()) {
        // RFC 9112 §2.2: empty lines before a start line are skipped (and noted once).
        if (this.skipped) this.skipped.length += this.sectionLength;
        else this.skipped = { offset: this.sectionOffset, length: this.sectionLength };
        this.sectionLength = 0;
        continue;
      }
      if (isHead && !this.prefixChecked && (this.sectionLength >= 5 || segment.sawLf)) {
        this.prefixChecked = true;
        const problem = this.checkPrefix(this.section, this.sectionLength, this.sectionOffset);
        if (problem) {
          this.fail(problem);
          return pos;
        }
      }
      if (this.sectionLength > this.maxHeadBytes) {
        this.fail(
          diagnostic(
            'head-too-large',
            'error',
            this.sectionOffset,
            this.sectionLength,
            `The ${isHead ? `${this.role} head` : 'trailer section'} is larger than ${formatByteCount(this.maxHeadBytes)} without ending: the parser stops here rather than buffer without bound.`,
            { messageIndex: this.messageIndex, fatal: true },
          ),
        );
        return pos;
      }
      if (!segment.sawLf) continue;
      if (this.lineIsEmpty() && (!isHead || this.lineStart > 0)) {
        this.completeSection(isHead, pos);
        return pos;
      }
      if (isHead && !this.startLineDone) {
        this.startLineDone = true;
        const line: Line = {
          start: 0,
          end: this.sectionLength - (this.sectionLength > 1 && this.section[this.sectionLength - 2] === CR ? 2 : 1),
          next: this.sectionLength,
          ending: 'crlf',
        };
        const problem = this.checkStartLine(this.section, line, this.sectionOffset);
        if (problem) {
          this.fail(problem);
          return pos;
        }
      }
      this.lineStart = this.sectionLength;
    }
    return pos;
  }

  private resetSection(): void {
    this.sectionLength = 0;
    this.lineStart = 0;
    this.startLineDone = false;
    this.prefixChecked = false;
  }

  private flushSkipped(): void {
    if (!this.skipped) return;
    this.emit({ type: 'diagnostic', diagnostic: this.leadingEmptyLines(this.skipped.offset, this.skipped.length) });
    this.skipped = null;
  }

  private completeSection(isHead: boolean, pos: number): void {
    const raw = this.section.slice(0, this.sectionLength);
    const base = this.sectionOffset;
    this.resetSection();
    const lines = splitLines(raw);
    const diagnostics: HttpDiagnostic[] = [];
    for (const line of lines) checkLineBytes(raw, line, base, this.messageIndex, diagnostics);
    if (!isHead) {
      const fields = parseFieldLines(raw, lines.slice(0, -1), base, this.messageIndex, diagnostics);
      if (fields.length > 0) {
        this.emit({ type: 'trailers', messageIndex: this.messageIndex, offset: base, length: raw.length, fields });
      }
      for (const d of sortByOffset(diagnostics)) this.emit({ type: 'diagnostic', diagnostic: d });
      this.finishMessage(true, this.base + pos);
      return;
    }
    const head = this.buildHead(raw, lines, base, diagnostics);
    // Notes about what came before the head go right after it, so they attach to it.
    this.emit({ type: 'head', head });
    this.flushSkipped();
    if (this.announcedClose) {
      this.emitDiagnostic(
        'after-close',
        'warning',
        base,
        raw.length,
        `The previous ${this.role} said the connection would close (Connection: close, or HTTP/1.0 without keep-alive), yet another ${this.role} followed on it.`,
      );
      this.announcedClose = false;
    }
    const sorted = sortByOffset(diagnostics);
    for (const d of sorted) this.emit({ type: 'diagnostic', diagnostic: d });
    this.current = head;
    this.bodyLength = 0;
    this.capNoted = false;
    if (sorted.some((d) => d.fatal)) {
      this.finishMessage(false, this.base + pos);
      this.state = 'failed';
      return;
    }
    this.startBody(head.framing, this.base + pos);
  }

  private startBody(framing: BodyFraming, at: number): void {
    switch (framing.kind) {
      case 'none':
        this.finishMessage(true, at);
        return;
      case 'length':
        if (framing.length === 0) this.finishMessage(true, at);
        else {
          this.remaining = framing.length;
          this.state = 'length';
        }
        return;
      case 'chunked':
        this.state = 'chunk-line';
        return;
      case 'close':
        this.state = 'close';
        return;
      case 'switch':
        this.emit({ type: 'end', messageIndex: this.messageIndex, offset: at, bodyLength: 0, complete: true });
        this.messageIndex++;
        this.current = null;
        this.state = 'switched';
        return;
    }
  }

  private finishMessage(complete: boolean, at: number): void {
    const head = this.current;
    if (!head) return;
    this.emit({ type: 'end', messageIndex: this.messageIndex, offset: at, bodyLength: this.bodyLength, complete });
    this.current = null;
    this.messageIndex++;
    if (!isInterim(head)) this.announcedClose = !head.persistent;
    if (this.state !== 'ended' && complete) this.afterMessage(head);
    else if (!complete) this.state = 'failed';
  }

  private emitBody(chunk: Uint8Array, pos: number, n: number): void {
    if (n === 0) return;
    const offset = this.base + pos;
    const keep = Math.max(0, Math.min(n, this.maxBodyBytes - this.bodyLength));
    if (keep > 0) {
      this.emit({
        type: 'body',
        messageIndex: this.messageIndex,
        offset,
        length: keep,
        data: chunk.subarray(pos, pos + keep),
      });
    }
    if (n > keep) {
      if (!this.capNoted) {
        this.capNoted = true;
        this.emitDiagnostic(
          'body-capped',
          'info',
          offset + keep,
          0,
          `The body is larger than ${formatByteCount(this.maxBodyBytes)}: the first ${formatByteCount(this.maxBodyBytes)} are kept, the rest is counted but not kept.`,
        );
      }
      this.emit({ type: 'body', messageIndex: this.messageIndex, offset: offset + keep, length: n - keep, data: null });
    }
    this.bodyLength += n;
  }

  /** A fatal problem: say so, hand over what was buffered, and treat everything after as unparsed. */
  private fail(problem: HttpDiagnostic): void {
    this.flushSkipped();
    this.emit({ type: 'diagnostic', diagnostic: problem });
    this.emitUnparsed('error', this.sectionOffset, this.section.slice(0, this.sectionLength));
    this.resetSection();
    if (this.current) this.finishMessage(false, this.sectionOffset);
    this.state = 'failed';
  }

  private scanChunkLine(chunk: Uint8Array, pos: number): number {
    const limit = Math.min(MAX_CHUNK_LINE_BYTES, this.maxHeadBytes);
    const segment = this.takeSegment(chunk, pos, limit);
    if (this.sectionLength > limit) {
      this.fail(
        diagnostic(
          'chunk-line-too-long',
          'error',
          this.sectionOffset,
          this.sectionLength,
          `A chunk-size line longer than ${formatByteCount(limit)}: this is not a chunked body.`,
          { messageIndex: this.messageIndex, fatal: true },
        ),
      );
      return segment.end;
    }
    if (!segment.sawLf) return segment.end;
    const diagnostics: HttpDiagnostic[] = [];
    const parsed = parseChunkLine(this.section, this.sectionLength, this.sectionOffset, this.messageIndex, diagnostics);
    if (!parsed) {
      const problem = diagnostics.pop() as HttpDiagnostic;
      for (const d of diagnostics) this.emit({ type: 'diagnostic', diagnostic: d });
      this.fail(problem);
      return segment.end;
    }
    this.emit({
      type: 'chunk',
      messageIndex: this.messageIndex,
      offset: this.sectionOffset,
      length: this.sectionLength,
      size: parsed.size,
      extensions: parsed.extensions,
      line: parsed.line,
    });
    for (const d of diagnostics) this.emit({ type: 'diagnostic', diagnostic: d });
    this.resetSection();
    if (parsed.size === 0) this.state = 'trailers';
    else {
      this.remaining = parsed.size;
      this.state = 'chunk-data';
    }
    return segment.end;
  }

  /** The CRLF after a chunk's data, checked byte by byte so that a wrong size is caught at the first wrong byte. */
  private chunkEnd(chunk: Uint8Array, pos: number): number {
    const b = chunk[pos] as number;
    if (!this.chunkEndCr && b === CR) {
      this.chunkEndCr = true;
      this.chunkEndOffset = this.base + pos;
      return pos + 1;
    }
    if (b === LF) {
      if (!this.chunkEndCr) {
        this.emitDiagnostic(
          'bare-lf',
          'warning',
          this.base + pos,
          1,
          'The chunk data ends with a bare LF instead of CRLF.',
        );
      }
      this.state = 'chunk-line';
      return pos + 1;
    }
    const offset = this.chunkEndCr ? this.chunkEndOffset : this.base + pos;
    this.sectionOffset = this.base + pos;
    this.fail(
      diagnostic(
        'missing-chunk-crlf',
        'error',
        offset,
        this.base + pos + 1 - offset,
        'The chunk data is not followed by CRLF: the chunk is longer than its size line says (sizes are hexadecimal: "10" means 16 bytes).',
        { messageIndex: this.messageIndex, fatal: true },
      ),
    );
    return pos;
  }
}

function isInterim(head: MessageHeadBase): boolean {
  return 'interim' in head && head.interim === true;
}

function sortByOffset(diagnostics: HttpDiagnostic[]): HttpDiagnostic[] {
  return diagnostics
    .map((d, i) => [d, i] as const)
    .sort((a, b) => a[0].offset - b[0].offset || a[1] - b[1])
    .map(([d]) => d);
}
