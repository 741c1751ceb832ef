import { CR, hexByte, isForbiddenControl, LF } from './ascii';
import { diagnostic, type HttpDiagnostic } from '../compose/diagnostics';

/** One line of a head or trailer section, as indices into the section's bytes. */
export interface Line {
  start: number;
  /** End of the content: before the CRLF or bare LF (or the end of the bytes for an unfinished line). */
  end: number;
  /** Start of the next line. */
  next: number;
  ending: 'crlf' | 'lf' | 'none';
}

/** Splits at LF; a CR directly before an LF belongs to the line ending, any other CR is content (a bare CR). */
export function splitLines(bytes: Uint8Array, start = 0, end = bytes.length): Line[] {
  const lines: Line[] = [];
  let lineStart = start;
  while (lineStart < end) {
    const lf = bytes.indexOf(LF, lineStart);
    if (lf === -1 || lf >= end) {
      lines.push({ start: lineStart, end, next: end, ending: 'none' });
      break;
    }
    const crlf = lf > lineStart && bytes[lf - 1] === CR;
    lines.push({ start: lineStart, end: crlf ? lf - 1 : lf, next: lf + 1, ending: crlf ? 'crlf' : 'lf' });
    lineStart = lf + 1;
  }
  return lines;
}

/**
 * The byte-level checks every head line gets: its ending, bare CRs, control
 * characters and non-ASCII bytes (the first of each kind per line, so a line
 * full of UTF-8 is one note, not twenty).
 */
export function checkLineBytes(
  bytes: Uint8Array,
  line: Line,
  base: number,
  messageIndex: number | undefined,
  out: HttpDiagnostic[],
): void {
  let bareCr = -1;
  let control = -1;
  let nonAscii = -1;
  for (let i = line.start; i < line.end; i++) {
    const b = bytes[i] as number;
    if (b === CR) {
      if (bareCr < 0) bareCr = i;
    } else if (isForbiddenControl(b)) {
      if (control < 0) control = i;
    } else if (b >= 0x80 && nonAscii < 0) nonAscii = i;
  }
  const at = { messageIndex };
  if (bareCr >= 0) {
    out.push(
      diagnostic(
        'bare-cr',
        'error',
        base + bareCr,
        1,
        'Bare CR (\\r) not followed by LF: it does not end the line. HTTP lines end with CRLF (\\r\\n); a recipient must reject a bare CR or read it as a space.',
        at,
      ),
    );
  }
  if (control >= 0) {
    out.push(
      diagnostic(
        'control-character',
        'error',
        base + control,
        1,
        `Control character ${hexByte(bytes[control] as number)} in the head: only visible ASCII, spaces and tabs may appear in the start line and header lines.`,
        at,
      ),
    );
  }
  if (nonAscii >= 0) {
    out.push(
      diagnostic(
        'non-ascii',
        'warning',
        base + nonAscii,
        1,
        `Non-ASCII byte ${hexByte(bytes[nonAscii] as number)} in the head: HTTP heads are ASCII. Percent-encode non-ASCII in URLs (é → %C3%A9); header values outside ASCII are not portable.`,
        at,
      ),
    );
  }
  if (line.ending === 'lf') {
    out.push(
      diagnostic(
        'bare-lf',
        'warning',
        base + line.end,
        1,
        'Line ends in a bare LF (\\n) without CR: HTTP requires CRLF (\\r\\n). Many servers accept it, strict ones answer 400.',
        at,
      ),
    );
  }
}
