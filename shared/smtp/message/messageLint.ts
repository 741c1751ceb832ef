import { groupThousands } from '../../bytes/formatByteCount';
import { decodeValidUtf8, encodeUtf8, utf8SequenceAt } from '../../bytes/utf8';
import type { SmtpStep } from '../steps';

/**
 * Checks a message (headers, blank line, body) before it goes after DATA, and
 * says exactly where each problem is: byte offsets for the byte views, line and
 * column for people, UTF-16 index and length for the text editor.
 */

export type MessageIssueKind =
  | 'bare-lf'
  | 'bare-cr'
  | 'lone-dot'
  | 'leading-dot'
  | 'line-too-long'
  | 'eight-bit'
  | 'missing-blank-line'
  | 'header-without-colon'
  | 'no-headers';

export interface MessageIssue {
  kind: MessageIssueKind;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Byte offset and length in the message's bytes. */
  offset: number;
  length: number;
  /** 1-based; lines end at LF; the column counts characters. */
  line: number;
  column: number;
  /** UTF-16 offset and length, what a <textarea> or CodeMirror selects by (exact for text input). */
  index: number;
  indexLength: number;
}

export interface MessageLintOptions {
  /** The server offered 8BITMIME in its EHLO reply. Default false (HELO servers offer nothing). */
  eightBitMime?: boolean;
  /** Dot-stuffing will be applied when sending. Default true. */
  dotStuffing?: boolean;
  /** Issues reported per kind before the rest are only counted. Default 20. */
  maxIssuesPerKind?: number;
  /**
   * The text is as typed in the editor, and every line break (LF, CRLF or a lone
   * CR) will be sent as CRLF, as the message step does by default: no bare LF or
   * CR to report, and positions stay those of the typed text. Default false.
   */
  lineBreaksSentAsCrlf?: boolean;
}

export interface MessageLintResult {
  issues: MessageIssue[];
  /** Issues not listed because of maxIssuesPerKind, by kind. */
  omitted: Partial<Record<MessageIssueKind, number>>;
  /** Number of lines (a last line without line ending counts). */
  lines: number;
  /** 1-based line where the body starts, or null when the message has no body. */
  bodyStartLine: number | null;
}

/** RFC 5321 §4.5.3.1.6: a line of message text is at most 1,000 octets, CRLF included. */
export const maxTextLineOctets = 1000;

const CR = 0x0d;
const LF = 0x0a;

interface Line {
  start: number;
  /** End of the text, before CRLF or LF. */
  contentEnd: number;
  terminator: 'crlf' | 'lf' | 'none';
}

function splitLines(bytes: Uint8Array, loneCrBreaks: boolean): Line[] {
  const lines: Line[] = [];
  let start = 0;
  // Where the next CR is (searched again only once passed), so that splitting stays linear.
  let cr = loneCrBreaks ? bytes.indexOf(CR) : -1;
  while (start < bytes.length) {
    const newline = bytes.indexOf(LF, start);
    if (cr >= 0 && cr < start) cr = bytes.indexOf(CR, start);
    if (cr >= 0 && (newline < 0 || cr < newline - 1)) {
      lines.push({ start, contentEnd: cr, terminator: 'crlf' });
      start = cr + 1;
      continue;
    }
    if (newline < 0) {
      lines.push({ start, contentEnd: bytes.length, terminator: 'none' });
      break;
    }
    const crlf = newline > start && bytes[newline - 1] === CR;
    lines.push({ start, contentEnd: crlf ? newline - 1 : newline, terminator: crlf ? 'crlf' : 'lf' });
    start = newline + 1;
  }
  return lines;
}

/** `Name:` with a name of printable ASCII (spaces before the colon tolerated, as obsolete syntax allows). */
function isHeaderField(bytes: Uint8Array, line: Line): boolean {
  let i = line.start;
  while (i < line.contentEnd) {
    const b = bytes[i] as number;
    if (b === 0x3a) return i > line.start;
    if (b <= 0x20 || b >= 0x7f) break;
    i++;
  }
  if (i === line.start) return false;
  while (i < line.contentEnd && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x3a;
}

const knownHeaderNames: ReadonlySet<string> = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'reply-to',
  'sender',
  'in-reply-to',
  'references',
  'received',
  'return-path',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
]);

function firstWord(bytes: Uint8Array, line: Line): string {
  let end = line.start;
  while (end < line.contentEnd && bytes[end] !== 0x20 && bytes[end] !== 0x09) end++;
  return decodeValidUtf8(bytes.subarray(line.start, end));
}

function isContinuation(bytes: Uint8Array, line: Line): boolean {
  return line.contentEnd > line.start && (bytes[line.start] === 0x20 || bytes[line.start] === 0x09);
}

function quote(bytes: Uint8Array, line: Line): string {
  const end = Math.min(line.contentEnd, line.start + 40);
  const text = decodeValidUtf8(bytes.subarray(line.start, end));
  return `“${text}${end < line.contentEnd ? '…' : ''}”`;
}

type Draft = Omit<MessageIssue, 'line' | 'column' | 'index' | 'indexLength'>;

export function lintMessage(message: Uint8Array | string, options: MessageLintOptions = {}): MessageLintResult {
  const bytes = typeof message === 'string' ? encodeUtf8(message) : message;
  const eightBitMime = options.eightBitMime ?? false;
  const dotStuffing = options.dotStuffing ?? true;
  const maxPerKind = options.maxIssuesPerKind ?? 20;
  const typed = options.lineBreaksSentAsCrlf ?? false;
  const lines = splitLines(bytes, typed);
  const drafts: Draft[] = [];
  const counts = new Map<MessageIssueKind, number>();
  const omitted: Partial<Record<MessageIssueKind, number>> = {};
  const add = (draft: Draft): void => {
    const count = (counts.get(draft.kind) ?? 0) + 1;
    counts.set(draft.kind, count);
    if (count <= maxPerKind) drafts.push(draft);
    else omitted[draft.kind] = count - maxPerKind;
  };

  let lastTextLine = lines.length - 1;
  while (lastTextLine >= 0 && (lines[lastTextLine] as Line).contentEnd === (lines[lastTextLine] as Line).start) {
    lastTextLine--;
  }

  lines.forEach((line, i) => {
    const n = i + 1;
    const length = line.contentEnd - line.start;
    if (line.terminator === 'lf' && !typed) {
      add({
        kind: 'bare-lf',
        severity: 'warning',
        message: `line ${n} ends with a bare LF: SMTP lines end with CRLF (\\r\\n); servers may refuse it or read it differently`,
        offset: line.contentEnd,
        length: 1,
      });
    }
    let eightBitReported = false;
    for (let k = line.start; k < line.contentEnd; k++) {
      const b = bytes[k] as number;
      if (b === CR) {
        add({
          kind: 'bare-cr',
          severity: 'warning',
          message: `line ${n} has a CR (\\r) that is not part of a CRLF line ending`,
          offset: k,
          length: 1,
        });
      } else if (b >= 0x80 && !eightBitReported && !eightBitMime) {
        eightBitReported = true;
        const sequence = utf8SequenceAt(bytes, k, line.contentEnd);
        add({
          kind: 'eight-bit',
          severity: 'warning',
          message: `line ${n} has bytes above 127 (like accented letters) but the server did not offer 8BITMIME: plain SMTP carries 7-bit ASCII; encode the text (quoted-printable or base64 via MIME) or use EHLO with a server that offers 8BITMIME`,
          offset: k,
          length: sequence > 0 ? sequence : 1,
        });
      }
    }
    if (bytes[line.start] === 0x2e) {
      if (length === 1) {
        const last = i === lastTextLine;
        let severity: MessageIssue['severity'] = 'error';
        let text = `line ${n} is only “.”: without dot-stuffing the server ends the message here and reads the rest as commands`;
        if (last && dotStuffing) {
          severity = 'warning';
          text = `line ${n} is only “.”: the app adds the final “.” line itself, so this one would arrive as part of the message; remove it`;
        } else if (last) {
          text = `line ${n} is only “.”: the message ends here, and the app’s own final “.” then reaches the server as a command`;
        } else if (dotStuffing) {
          severity = 'info';
          text = `line ${n} is only “.”, which would end the message here: dot-stuffing sends it as “..”`;
        }
        add({
          kind: 'lone-dot',
          severity,
          message: text,
          offset: line.start,
          length: 1,
        });
      } else if (!dotStuffing) {
        add({
          kind: 'leading-dot',
          severity: 'warning',
          message: `line ${n} starts with “.”: without dot-stuffing the server removes that dot`,
          offset: line.start,
          length: 1,
        });
      }
    }
    const octets = length + 2;
    if (octets > maxTextLineOctets) {
      add({
        kind: 'line-too-long',
        severity: 'error',
        message: `line ${n} is ${groupThousands(octets)} octets with its CRLF; the limit is ${groupThousands(maxTextLineOctets)}: servers may refuse the message or break the line`,
        offset: line.start + maxTextLineOctets - 2,
        length: octets - maxTextLineOctets,
      });
    }
  });

  const bodyStartLine = checkHeaders(bytes, lines, add);
  const issues = locate(
    bytes,
    lines,
    drafts.sort((a, b) => a.offset - b.offset),
  );
  return { issues, omitted, lines: lines.length, bodyStartLine };
}

/** The header section (RFC 5322 §2.1): header fields, a blank line, the body. Returns the body's first line. */
function checkHeaders(bytes: Uint8Array, lines: readonly Line[], add: (draft: Draft) => void): number | null {
  const first = lines[0];
  if (!first) return null;
  const isBlank = (line: Line): boolean => line.contentEnd === line.start;
  if (isBlank(first)) return lines.length > 1 ? 2 : null;
  if (!isHeaderField(bytes, first)) {
    add({
      kind: 'no-headers',
      severity: 'info',
      message: `the message has no header lines: ${quote(bytes, first)} is not a header (Name: value), so mail programs may read it as a broken one. The textbook sends it like this; real mail starts with headers such as From:, To:, Subject:, then a blank line`,
      offset: first.start,
      length: first.contentEnd - first.start,
    });
    return 1;
  }
  // Whether a header field follows line i before the next blank line: tells a broken header from the body.
  const headerFollows: boolean[] = new Array(lines.length).fill(false);
  let seen = false;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as Line;
    if (isBlank(line)) seen = false;
    headerFollows[i] = seen;
    if (isHeaderField(bytes, line)) seen = true;
  }
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (isBlank(line)) return i + 2 <= lines.length ? i + 2 : null;
    if (isHeaderField(bytes, line) || isContinuation(bytes, line)) continue;
    // "Subject Lunch" is a header that lost its colon; "Do you like ketchup?" is the body starting too early.
    const word = firstWord(bytes, line);
    const single = word.length === line.contentEnd - line.start;
    if (
      knownHeaderNames.has(word.toLowerCase()) ||
      word.toLowerCase().startsWith('x-') ||
      (single && headerFollows[i])
    ) {
      add({
        kind: 'header-without-colon',
        severity: 'error',
        message: `line ${i + 1} ${quote(bytes, line)} sits among the headers but has no colon: a header is Name: value`,
        offset: line.start,
        length: line.contentEnd - line.start,
      });
      continue;
    }
    add({
      kind: 'missing-blank-line',
      severity: 'warning',
      message: `line ${i + 1} ${quote(bytes, line)} is not a header (no colon), so the body seems to start here, but no blank line separates it from the headers above: add an empty line before it`,
      offset: line.start,
      length: line.contentEnd - line.start,
    });
    return i + 1;
  }
  return null;
}

/** Adds line and column (from the lines as split) and UTF-16 positions (in one pass over the bytes). */
function locate(bytes: Uint8Array, lines: readonly Line[], drafts: readonly Draft[]): MessageIssue[] {
  const points = [...new Set(drafts.flatMap((draft) => [draft.offset, draft.offset + draft.length]))].sort(
    (a, b) => a - b,
  );
  const indexAt = new Map<number, number>();
  let index = 0;
  let offset = 0;
  for (const point of points) {
    for (; offset < point && offset < bytes.length; offset++) {
      const b = bytes[offset] as number;
      if ((b & 0xc0) !== 0x80) index += b >= 0xf0 && b <= 0xf4 ? 2 : 1;
    }
    indexAt.set(point, index);
  }
  return drafts.map((draft) => {
    const line = lineAt(lines, draft.offset);
    const start = (lines[line] as Line).start;
    let column = 1;
    for (let k = start; k < draft.offset; k++) if (((bytes[k] as number) & 0xc0) !== 0x80) column++;
    const first = indexAt.get(draft.offset) as number;
    const last = indexAt.get(draft.offset + draft.length) as number;
    return { ...draft, line: line + 1, column, index: first, indexLength: last - first };
  });
}

/** Index of the line holding `offset` (binary search on the line starts). */
function lineAt(lines: readonly Line[], offset: number): number {
  let low = 0;
  let high = lines.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((lines[middle] as Line).start <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Lints a message step's text as typed, the way buildStep will send it (its line-ending and dot-stuffing settings). */
export function lintMessageStep(
  step: Pick<SmtpStep, 'text' | 'keepLineEndings' | 'dotStuffing'>,
  options: Pick<MessageLintOptions, 'eightBitMime' | 'maxIssuesPerKind'> = {},
): MessageLintResult {
  return lintMessage(step.text, {
    ...options,
    dotStuffing: step.dotStuffing ?? true,
    lineBreaksSentAsCrlf: !step.keepLineEndings,
  });
}
