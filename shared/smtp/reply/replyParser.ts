import { concatBytes, decodeValidUtf8 } from '../../bytes/utf8';

/**
 * SMTP replies as they arrive (RFC 5321 §4.2): `250-first`, `250-second`,
 * `250 last`, each line ending in CRLF. Push received bytes with any chunk
 * boundaries; complete replies come out, identical whatever the chunking,
 * because every decision is taken when a line ends.
 *
 * Lenient like real clients, and honest about it: a bare LF still ends a line
 * (with a diagnostic), and a line that does not start with a code ends the reply
 * (as Python's smtplib does) so that a server speaking something else is shown
 * rather than waited on forever.
 */

export type ReplyDiagnosticKind =
  | 'bare-lf'
  | 'bare-cr'
  | 'malformed-code'
  | 'missing-separator'
  | 'inconsistent-code'
  | 'line-too-long'
  | 'non-ascii'
  | 'truncated'
  | 'unterminated';

export interface ReplyDiagnostic {
  kind: ReplyDiagnosticKind;
  severity: 'error' | 'warning';
  /** Says what is wrong at the first occurrence, and why it matters. */
  message: string;
  /** Index in `lines` (0-based) of the first occurrence. Lines dropped for size keep counting. */
  line: number;
  /** Byte offset of the first occurrence, counted on the wire from the reply's first byte. */
  offset: number;
  /** How many times this reply has the problem (lines or bytes, as the kind says). */
  count: number;
}

export interface SmtpReplyLine {
  /** The three digits as a number, or null when the line does not start with three digits. */
  code: number | null;
  /** `-` continues the reply, a space or nothing (`250`) ends it; null when the fourth character is something else. */
  separator: '-' | ' ' | '' | null;
  /** What follows the separator (the whole line when there is no code), without the line ending. */
  text: string;
  /** The kept bytes: the line's first bytes, then its line ending. Equal to the wire bytes unless `droppedBytes` > 0. */
  raw: Uint8Array;
  terminator: 'crlf' | 'lf' | 'none';
  /** Bytes on the wire, line ending included. */
  length: number;
  /** Bytes of the line's text that were not kept (they sit just before the line ending). */
  droppedBytes: number;
}

export interface SmtpReply {
  /** The first line's code (RFC 5321 wants the same code on every line; a diagnostic says when not). */
  code: number | null;
  lines: SmtpReplyLine[];
  /** The lines' texts joined with `\n`. */
  text: string;
  /** The kept bytes of the whole reply; the wire bytes exactly when `droppedBytes` is 0. */
  raw: Uint8Array;
  /** Bytes on the wire. */
  length: number;
  /** Offset of the reply's first byte in everything pushed since the parser was created. */
  start: number;
  /** False when the connection ended first (see end()). */
  complete: boolean;
  /** Lines received after `maxReplyBytes` was reached: counted and checked, not kept. */
  droppedLines: number;
  droppedBytes: number;
  diagnostics: ReplyDiagnostic[];
}

export interface ReplyParserOptions {
  /** Bytes of one line kept for display; the rest is counted. Default 2,048 (four times the RFC limit). */
  maxLineBytes?: number;
  /** Bytes of one reply kept; later lines are counted. Default 64 KiB. Bounds the parser's memory. */
  maxReplyBytes?: number;
}

export interface ReplyParser {
  /** Feeds received bytes; returns the replies they complete. The chunk is copied, never kept. */
  push(chunk: Uint8Array): SmtpReply[];
  /** The connection ended: returns the unfinished reply (complete: false), if any, and resets. */
  end(): SmtpReply[];
  /** Bytes received that belong to no finished reply yet. */
  readonly pendingBytes: number;
  /** True after a `250-` line, until the reply's last line. */
  readonly inMultilineReply: boolean;
}

/** RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets, code and CRLF included. */
export const maxReplyLineOctets = 512;

const severities: Record<ReplyDiagnosticKind, 'error' | 'warning'> = {
  'bare-lf': 'warning',
  'bare-cr': 'warning',
  'malformed-code': 'error',
  'missing-separator': 'error',
  'inconsistent-code': 'error',
  'line-too-long': 'warning',
  'non-ascii': 'warning',
  truncated: 'warning',
  unterminated: 'error',
};

const crlf = Uint8Array.of(0x0d, 0x0a);
const lf = Uint8Array.of(0x0a);
const none = new Uint8Array(0);

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}

export function createReplyParser(options: ReplyParserOptions = {}): ReplyParser {
  const maxLineBytes = Math.max(4, options.maxLineBytes ?? 2048);
  const maxReplyBytes = Math.max(maxLineBytes, options.maxReplyBytes ?? 65536);

  let position = 0;

  // The line being received.
  let parts: Uint8Array[] = [];
  let kept = 0;
  let keepLimit = maxLineBytes;
  let lineLength = 0;
  let head: number[] = [];
  let crPending = false;
  let bareCrs = 0;
  let firstBareCr = 0;
  let nonAscii = 0;
  let firstNonAscii = 0;

  // The reply being received.
  let lines: SmtpReplyLine[] = [];
  let replyKept = 0;
  let replyLength = 0;
  let replyStart = 0;
  let droppedLines = 0;
  let droppedBytes = 0;
  let diagnostics = new Map<ReplyDiagnosticKind, ReplyDiagnostic>();

  function note(kind: ReplyDiagnosticKind, line: number, offset: number, message: string, count = 1): void {
    const existing = diagnostics.get(kind);
    if (existing) existing.count += count;
    else diagnostics.set(kind, { kind, severity: severities[kind], message, line, offset, count });
  }

  function startLine(): void {
    parts = [];
    kept = 0;
    keepLimit = Math.min(maxLineBytes, Math.max(0, maxReplyBytes - replyKept));
    lineLength = 0;
    head = [];
    crPending = false;
    bareCrs = 0;
    nonAscii = 0;
  }

  function consume(chunk: Uint8Array, from: number, to: number): void {
    if (lineLength === 0 && lines.length === 0 && droppedLines === 0) replyStart = position;
    for (let i = from; i < to; i++) {
      const b = chunk[i] as number;
      if (lineLength < 4) head.push(b);
      if (crPending && bareCrs++ === 0) firstBareCr = lineLength - 1;
      crPending = b === 0x0d;
      if (b >= 0x80 && nonAscii++ === 0) firstNonAscii = lineLength;
      lineLength++;
    }
    if (kept < keepLimit && to > from) {
      const take = Math.min(keepLimit - kept, to - from);
      parts.push(chunk.slice(from, from + take));
      kept += take;
    }
    position += to - from;
  }

  /** Ends the current line; returns true when it ends the reply. */
  function finishLine(terminated: boolean): boolean {
    if (!terminated && crPending && bareCrs++ === 0) firstBareCr = lineLength - 1;
    const terminator = terminated ? (crPending ? 'crlf' : 'lf') : 'none';
    const contentLength = lineLength - (terminator === 'crlf' ? 1 : 0);
    const length = lineLength + (terminated ? 1 : 0);
    const index = lines.length + droppedLines;
    const at = replyLength;
    const n = index + 1;

    if (terminator === 'lf') {
      note('bare-lf', index, at + lineLength, `line ${n} ends with a bare LF: SMTP lines end with CRLF (\\r\\n)`);
    }
    if (bareCrs > 0) {
      note(
        'bare-cr',
        index,
        at + firstBareCr,
        `line ${n} has a CR (\\r) that is not followed by LF: CR belongs only in the CRLF line ending`,
        bareCrs,
      );
    }
    if (nonAscii > 0) {
      note(
        'non-ascii',
        index,
        at + firstNonAscii,
        `line ${n} has bytes above 127: reply text should be plain ASCII`,
        nonAscii,
      );
    }
    if (length > maxReplyLineOctets) {
      note(
        'line-too-long',
        index,
        at,
        `line ${n} is ${length} bytes long: a reply line may be at most ${maxReplyLineOctets}, code and CRLF included`,
      );
    }

    const hasCode = contentLength >= 3 && isDigit(head[0]) && isDigit(head[1]) && isDigit(head[2]);
    const code = hasCode
      ? (head[0] as number) * 100 + (head[1] as number) * 10 + (head[2] as number) - 0x30 * 111
      : null;
    let separator: SmtpReplyLine['separator'] = null;
    let textStart = 0;
    if (code === null) {
      note(
        'malformed-code',
        index,
        at,
        `line ${n} does not start with a three-digit reply code (like 250): it cannot be an SMTP reply`,
      );
    } else {
      if (code < 200 || code >= 600 || (head[1] as number) > 0x35) {
        note('malformed-code', index, at, `line ${n} has code ${code}: SMTP codes are 2xx to 5xx, second digit 0 to 5`);
      }
      const fourth = contentLength === 3 ? undefined : head[3];
      if (fourth === undefined) separator = '';
      else if (fourth === 0x2d) separator = '-';
      else if (fourth === 0x20) separator = ' ';
      else {
        note(
          'missing-separator',
          index,
          at + 3,
          `line ${n}: after the code comes a space (last line) or a hyphen (more lines follow), not "${String.fromCharCode(fourth)}"`,
        );
      }
      textStart = separator === '-' || separator === ' ' ? 4 : 3;
      const first = lines[0]?.code;
      if (index > 0 && first !== undefined && first !== null && code !== first) {
        note(
          'inconsistent-code',
          index,
          at,
          `line ${n} has code ${code} but the reply started with ${first}: every line of a reply must carry the same code`,
        );
      }
    }

    const ends = separator !== '-';
    const keptContent = Math.min(kept, contentLength);
    const lineDropped = contentLength - keptContent;
    if (keepLimit === 0) {
      droppedLines++;
      droppedBytes += length;
      note('truncated', index, at, `from line ${n} on, lines were counted but not kept (the reply is very long)`);
    } else {
      const content = concatBytes(parts.length === 0 ? [none] : parts).subarray(0, keptContent);
      const ending = terminator === 'crlf' ? crlf : terminator === 'lf' ? lf : none;
      const raw = concatBytes([content, ending]);
      if (lineDropped > 0) {
        droppedBytes += lineDropped;
        note('truncated', index, at + keptContent, `line ${n} was cut after ${keptContent} bytes for display`);
      }
      lines.push({
        code,
        separator,
        text: decodeValidUtf8(content.subarray(Math.min(textStart, content.length))),
        raw,
        terminator,
        length,
        droppedBytes: lineDropped,
      });
      replyKept += raw.length;
    }
    replyLength += length;
    if (terminated) position++;
    startLine();
    return ends;
  }

  function takeReply(complete: boolean): SmtpReply {
    if (!complete) {
      note(
        'unterminated',
        Math.max(0, lines.length + droppedLines - 1),
        replyLength,
        'the connection ended before the reply did (its last line has a space after the code and ends with CRLF)',
      );
    }
    const reply: SmtpReply = {
      code: lines[0]?.code ?? null,
      lines,
      text: lines.map((line) => line.text).join('\n'),
      raw: concatBytes(lines.length === 0 ? [none] : lines.map((line) => line.raw)),
      length: replyLength,
      start: replyStart,
      complete,
      droppedLines,
      droppedBytes,
      diagnostics: [...diagnostics.values()],
    };
    if (reply.raw === lines[0]?.raw) reply.raw = reply.raw.slice();
    lines = [];
    replyKept = 0;
    replyLength = 0;
    droppedLines = 0;
    droppedBytes = 0;
    diagnostics = new Map();
    startLine();
    return reply;
  }

  startLine();

  return {
    push(chunk) {
      const out: SmtpReply[] = [];
      let i = 0;
      while (i < chunk.length) {
        const newline = chunk.indexOf(0x0a, i);
        const stop = newline < 0 ? chunk.length : newline;
        consume(chunk, i, stop);
        if (newline < 0) break;
        if (finishLine(true)) out.push(takeReply(true));
        i = newline + 1;
      }
      return out;
    },
    end() {
      const out: SmtpReply[] = [];
      if (lineLength > 0) {
        finishLine(false);
        out.push(takeReply(false));
      } else if (lines.length > 0 || droppedLines > 0) {
        out.push(takeReply(false));
      }
      startLine();
      return out;
    },
    get pendingBytes() {
      return replyLength + lineLength;
    },
    get inMultilineReply() {
      return lines.length + droppedLines > 0;
    },
  };
}

/** Every reply in `bytes`, as if they were the whole conversation (the last one may be incomplete). */
export function parseReplies(bytes: Uint8Array, options?: ReplyParserOptions): SmtpReply[] {
  const parser = createReplyParser(options);
  return [...parser.push(bytes), ...parser.end()];
}
