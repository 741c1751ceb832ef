import { controlEscape, controlGlyph, isControlCodePoint } from './controlCharacters';
import { codePointAt, concatBytes, decodeValidUtf8, encodeUtf8, utf8SequenceAt } from './utf8';

/**
 * Bytes as the transcript shows them. Segments keep the original bytes (views
 * into the input, not copies) so the UI can style glyphs apart from text, offer
 * a hex tooltip, and copy either the original characters or an exact escaped form.
 */
export type VisibleSegment =
  /** Printable UTF-8 text, shown as itself. */
  | { kind: 'text'; text: string; bytes: Uint8Array }
  /**
   * One control or invisible character: `text` is its glyph (␍ ␊ ␉ ␀ ␡ ...) or
   * `\uXXXX` escape. `lineBreak` is true for LF, after which the UI breaks the line.
   */
  | { kind: 'control'; text: string; bytes: Uint8Array; codePoint: number; lineBreak: boolean }
  /** One maximal invalid UTF-8 subpart (1–3 bytes), shown as `\xNN` per byte. */
  | { kind: 'invalid'; text: string; bytes: Uint8Array };

export function invalidBytesText(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return text;
}

/**
 * Appends the segments for `bytes[start, end)` to `out`. When `final` is false
 * an incomplete character at the end is left for the next chunk and the index
 * where it starts is returned; otherwise it is reported invalid and `end` is returned.
 */
export function appendVisibleSegments(
  bytes: Uint8Array,
  start: number,
  end: number,
  final: boolean,
  out: VisibleSegment[],
): number {
  let runStart = start;
  let i = start;
  const flushText = (): void => {
    if (i > runStart) {
      const run = bytes.subarray(runStart, i);
      out.push({ kind: 'text', text: decodeValidUtf8(run), bytes: run });
    }
  };
  while (i < end) {
    const b = bytes[i] as number;
    if (b >= 0x20 && b < 0x7f) {
      i++;
      continue;
    }
    let length: number;
    if (b < 0x80) {
      length = 1;
    } else {
      length = utf8SequenceAt(bytes, i, end);
      if (length === 0 && !final) {
        flushText();
        return i;
      }
      if (length <= 0) {
        const invalidLength = length === 0 ? end - i : -length;
        flushText();
        const invalid = bytes.subarray(i, i + invalidLength);
        out.push({ kind: 'invalid', text: invalidBytesText(invalid), bytes: invalid });
        i += invalidLength;
        runStart = i;
        continue;
      }
      // Every escaped character above ASCII is below U+10000.
      if (length === 4) {
        i += 4;
        continue;
      }
    }
    const codePoint = codePointAt(bytes, i, length);
    if (!isControlCodePoint(codePoint)) {
      i += length;
      continue;
    }
    flushText();
    out.push({
      kind: 'control',
      text: controlGlyph(codePoint),
      bytes: bytes.subarray(i, i + length),
      codePoint,
      lineBreak: codePoint === 0x0a,
    });
    i += length;
    runStart = i;
  }
  flushText();
  return end;
}

/** Strings are UTF-8 encoded first (a lone surrogate becomes U+FFFD, as TextEncoder does). */
export function toVisibleSegments(input: Uint8Array | string): VisibleSegment[] {
  const bytes = typeof input === 'string' ? encodeUtf8(input) : input;
  const out: VisibleSegment[] = [];
  appendVisibleSegments(bytes, 0, bytes.length, true, out);
  return out;
}

export interface VisibleStringOptions {
  /** Put a real line break after each LF glyph (for multi-line views). Default false. */
  lineBreaks?: boolean;
}

/**
 * The display form as one string: `hello␍␊`, `\xFF` for invalid bytes. It is
 * ambiguous on purpose-built input (text that contains `␍` or `\xFF` literally);
 * the segments tell them apart, and segmentsToEscapedText is exact.
 */
export function toVisibleString(
  input: Uint8Array | string | readonly VisibleSegment[],
  options: VisibleStringOptions = {},
): string {
  const segments = typeof input === 'string' || input instanceof Uint8Array ? toVisibleSegments(input) : input;
  let out = '';
  for (const segment of segments) {
    out += segment.text;
    if (options.lineBreaks && segment.kind === 'control' && segment.lineBreak) out += '\n';
  }
  return out;
}

/**
 * Copy as text, original characters: controls become themselves again, each
 * invalid subpart becomes U+FFFD (a string cannot hold raw bytes). Equals
 * `new TextDecoder().decode(bytes)` for the bytes the segments came from.
 */
export function segmentsToOriginalText(segments: readonly VisibleSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (segment.kind === 'text') out += segment.text;
    else if (segment.kind === 'control') out += String.fromCodePoint(segment.codePoint);
    else out += '\uFFFD';
  }
  return out;
}

/**
 * Copy as text, escaped: one line that parseEscapes turns back into exactly the
 * original bytes (backslashes doubled, controls and invalid bytes escaped).
 */
export function segmentsToEscapedText(segments: readonly VisibleSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (segment.kind === 'text') out += segment.text.replaceAll('\\', '\\\\');
    else if (segment.kind === 'control') out += controlEscape(segment.codePoint);
    else out += segment.text;
  }
  return out;
}

/**
 * Joins neighbouring text segments (copying their bytes), e.g. to append a
 * stream decoder's output to what is already shown, or to compare outputs.
 */
export function mergeTextSegments(segments: readonly VisibleSegment[]): VisibleSegment[] {
  const out: VisibleSegment[] = [];
  let pending: VisibleSegment[] = [];
  const flush = (): void => {
    const first = pending[0];
    if (pending.length === 1 && first) out.push(first);
    else if (pending.length > 1) {
      out.push({
        kind: 'text',
        text: pending.map((segment) => segment.text).join(''),
        bytes: concatBytes(pending.map((segment) => segment.bytes)),
      });
    }
    pending = [];
  };
  for (const segment of segments) {
    if (segment.kind === 'text') {
      pending.push(segment);
    } else {
      flush();
      out.push(segment);
    }
  }
  flush();
  return out;
}
