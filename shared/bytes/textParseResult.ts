/**
 * What the composer's parsers (escapes, hex) return. Errors carry a UTF-16
 * `index`/`length` (what editors such as CodeMirror and <textarea> select by)
 * and a 1-based `line`/`column` counted in characters (code points), which is
 * what the message quotes to the user.
 */
export interface TextParseError {
  /** Says what is wrong, where, and what to write instead. */
  message: string;
  /** UTF-16 offset of the offending text. */
  index: number;
  /** UTF-16 length of the offending text (at least 1 unless the text is empty). */
  length: number;
  line: number;
  column: number;
}

export type TextParseResult<T> = { ok: true; bytes: T } | { ok: false; error: TextParseError };

export interface TextPosition {
  line: number;
  column: number;
}

/**
 * Line and column of a UTF-16 offset. Lines break at LF, CRLF or a lone CR;
 * columns count code points so that `ß` or an emoji is one column.
 */
export function positionAt(text: string, index: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.max(0, Math.min(index, text.length));
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  let column = 1;
  for (let i = lineStart; i < end; i++) {
    const c = text.charCodeAt(i);
    // The high half of a surrogate pair counts; its low half does not.
    if (c < 0xdc00 || c > 0xdfff || i === lineStart || !isHighSurrogate(text.charCodeAt(i - 1))) column++;
  }
  return { line, column };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** "at column 7" for one-line input, "at line 2, column 7" once the text has several lines. */
export function describePosition(text: string, position: TextPosition): string {
  return /[\r\n]/.test(text) ? `at line ${position.line}, column ${position.column}` : `at column ${position.column}`;
}

/** Builds the error for `text.slice(index, index + length)`, appending its position to `problem`. */
export function parseErrorAt(text: string, index: number, length: number, problem: string): TextParseError {
  const position = positionAt(text, index);
  return {
    message: `${problem} (${describePosition(text, position)})`,
    index,
    length,
    line: position.line,
    column: position.column,
  };
}
