import { concatBytes, encodeUtf8 } from '../../bytes/utf8';

/**
 * DATA transparency (RFC 5321 §4.5.2). The message ends at a line holding only
 * "." (CRLF.CRLF), so before sending, every line that starts with "." gets one
 * more "."; the server removes it again. Lines start at the beginning and after
 * every LF (a bare LF included: servers disagree on bare LFs, so the safe side
 * is to stuff there too).
 */

const DOT = 0x2e;
const CR = 0x0d;
const LF = 0x0a;
const crlf = Uint8Array.of(CR, LF);
const dot = Uint8Array.of(DOT);
const endOfData = Uint8Array.of(DOT, CR, LF);

/** A fresh array, never a view into the caller's bytes. */
function joinCopy(parts: readonly Uint8Array[]): Uint8Array {
  return parts.length === 1 ? (parts[0] as Uint8Array).slice() : concatBytes(parts);
}

export interface StuffOptions {
  /** Double the leading dots. Default true; false sends the text as it is, to show what goes wrong. */
  stuffDots?: boolean;
  /** End with the `.` line (adding CRLF first when needed). Default true. */
  finalDot?: boolean;
}

export interface DotLine {
  /** 1-based line number in the message. */
  line: number;
  /** Offset of the line's first byte in the message. */
  offset: number;
  /** The line is only "." (it would end the message). */
  lone: boolean;
}

export interface StuffResult {
  /** What goes on the wire after the 354. */
  bytes: Uint8Array;
  /** Lines that start with "." (each got an extra "." when stuffing). */
  dotLines: DotLine[];
  /** Whether the extra dots were added. */
  stuffed: boolean;
  /** CRLF was added because the message did not end with one. */
  finalCrlfAdded: boolean;
  /** The message ended with a bare LF, so the added CRLF makes one more (empty) line. */
  endedWithBareLf: boolean;
  /** Offset in `bytes` of the final `.` line, or null without one. */
  terminatorOffset: number | null;
  /** What was changed and why, one sentence each, for people. */
  changes: string[];
}

function listLines(lines: readonly DotLine[]): string {
  const shown = lines.slice(0, 8).map((line) => String(line.line));
  const more = lines.length - shown.length;
  const last = shown.pop();
  if (more > 0) return `lines ${[...shown, last].join(', ')} and ${more} more`;
  return shown.length === 0 ? `line ${last}` : `lines ${shown.join(', ')} and ${last}`;
}

/** The message as sent after DATA's 354, with what was changed. Strings are UTF-8 encoded first. */
export function stuffMessage(message: Uint8Array | string, options: StuffOptions = {}): StuffResult {
  const input = typeof message === 'string' ? encodeUtf8(message) : message;
  const stuffDots = options.stuffDots ?? true;
  const finalDot = options.finalDot ?? true;
  const parts: Uint8Array[] = [];
  const dotLines: DotLine[] = [];
  let start = 0;
  let line = 1;
  while (start < input.length) {
    const newline = input.indexOf(LF, start);
    const end = newline < 0 ? input.length : newline + 1;
    if (input[start] === DOT) {
      const content = end - start - (newline < 0 ? 0 : input[end - 2] === CR && end - 2 > start ? 2 : 1);
      dotLines.push({ line, offset: start, lone: content === 1 });
      if (stuffDots) parts.push(dot);
    }
    parts.push(input.subarray(start, end));
    start = end;
    line++;
  }

  const endsWithCrlf = input.length >= 2 && input[input.length - 2] === CR && input[input.length - 1] === LF;
  const endedWithBareLf = input.length > 0 && input[input.length - 1] === LF && !endsWithCrlf;
  const finalCrlfAdded = finalDot && input.length > 0 && !endsWithCrlf;
  if (finalCrlfAdded) parts.push(crlf);
  let terminatorOffset: number | null = null;
  if (finalDot) parts.push(endOfData);
  const bytes = joinCopy(parts);
  if (finalDot) terminatorOffset = bytes.length - endOfData.length;

  const changes: string[] = [];
  const lone = dotLines.filter((entry) => entry.lone);
  if (dotLines.length > 0 && stuffDots) {
    changes.push(
      `${listLines(dotLines)} start${dotLines.length === 1 ? 's' : ''} with “.”: sent with one more “.” so the server cannot take ${dotLines.length === 1 ? 'it' : 'them'} for the end of the message; the server removes the extra dot.`,
    );
  } else if (dotLines.length > 0) {
    if (lone.length > 0) {
      changes.push(
        `Not dot-stuffed: ${listLines(lone)} ${lone.length === 1 ? 'is' : 'are'} only “.”, so the server ends the message at line ${lone[0]?.line} and reads what follows as commands.`,
      );
    }
    const others = dotLines.filter((entry) => !entry.lone);
    if (others.length > 0) {
      changes.push(
        `Not dot-stuffed: the server removes the first “.” of ${listLines(others)}, so the message arrives changed.`,
      );
    }
  }
  if (finalCrlfAdded) {
    changes.push(
      endedWithBareLf
        ? 'The message ended with a bare LF, not CRLF: CRLF was added before the final “.”, so the server sees one more line break.'
        : 'The message did not end with CRLF: CRLF was added so that the final “.” is on a line by itself.',
    );
  }
  if (finalDot) {
    changes.push(
      input.length === 0
        ? 'The message is empty: only the final “.” line is sent.'
        : 'A line holding only “.” (CRLF.CRLF) ends the message.',
    );
  } else {
    changes.push('No final “.” line: the server keeps waiting for the end of the message.');
  }
  return { bytes, dotLines, stuffed: stuffDots, finalCrlfAdded, endedWithBareLf, terminatorOffset, changes };
}

export interface UnstuffDiagnostic {
  kind: 'dot-after-bare-lf' | 'dot-line-bare-lf';
  /** Offset of the `.` in the data. */
  offset: number;
  message: string;
}

export interface UnstuffResult {
  /** The end-of-data line was found. */
  complete: boolean;
  /** The message as the server keeps it: extra dots removed, the last line's CRLF kept, the `.` line dropped. */
  body: Uint8Array;
  /** Bytes of `data` used, the `.` line included; anything after it is the next command. */
  consumed: number;
  /** Offsets in `data` of the dots that were removed. */
  removedDots: number[];
  /** Dot lines that some servers read as the end and others do not (the "SMTP smuggling" trick). */
  diagnostics: UnstuffDiagnostic[];
}

/**
 * What a server does with the bytes after its 354: finds the end (a "." line
 * after CRLF, or at the very start for an empty message) and removes one
 * leading dot from other lines. For any bytes, the body of stuffMessage's output
 * is the message itself, plus CRLF when finalCrlfAdded.
 */
export function unstuffData(data: Uint8Array): UnstuffResult {
  const parts: Uint8Array[] = [];
  const removedDots: number[] = [];
  const diagnostics: UnstuffDiagnostic[] = [];
  let start = 0;
  while (start < data.length) {
    const newline = data.indexOf(LF, start);
    const end = newline < 0 ? data.length : newline + 1;
    let from = start;
    if (data[start] === DOT) {
      const afterCrlf = start === 0 || (data[start - 1] === LF && data[start - 2] === CR);
      const loneCrlf = data[start + 1] === CR && data[start + 2] === LF;
      if (loneCrlf && afterCrlf) {
        return { complete: true, body: joinCopy(parts), consumed: start + 3, removedDots, diagnostics };
      }
      if (loneCrlf) {
        diagnostics.push({
          kind: 'dot-after-bare-lf',
          offset: start,
          message:
            'A “.” line after a bare LF: this server keeps reading, but some servers take it as the end of the message.',
        });
      } else if (data[start + 1] === LF) {
        diagnostics.push({
          kind: 'dot-line-bare-lf',
          offset: start,
          message:
            'A “.” line ending with a bare LF: this server keeps reading, but some servers take it as the end of the message.',
        });
      }
      removedDots.push(start);
      from = start + 1;
    }
    parts.push(data.subarray(from, end));
    start = end;
  }
  return {
    complete: false,
    body: joinCopy(parts),
    consumed: data.length,
    removedDots,
    diagnostics,
  };
}
