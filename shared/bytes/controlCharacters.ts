/**
 * Which characters the byte views refuse to show as themselves, and what they
 * show instead. A character is "control" when showing it raw would hide or
 * rearrange bytes: C0 controls and DEL (the CR/LF lesson), C1 controls, and the
 * invisible or bidi-reordering format characters that received text could use
 * to make a transcript line look different from what was sent.
 */

const invisibleNames: ReadonlyMap<number, string> = new Map([
  [0x00ad, 'SOFT HYPHEN'],
  [0x061c, 'ARABIC LETTER MARK'],
  [0x200b, 'ZERO WIDTH SPACE'],
  [0x200e, 'LEFT-TO-RIGHT MARK'],
  [0x200f, 'RIGHT-TO-LEFT MARK'],
  [0x2028, 'LINE SEPARATOR'],
  [0x2029, 'PARAGRAPH SEPARATOR'],
  [0x202a, 'LEFT-TO-RIGHT EMBEDDING'],
  [0x202b, 'RIGHT-TO-LEFT EMBEDDING'],
  [0x202c, 'POP DIRECTIONAL FORMATTING'],
  [0x202d, 'LEFT-TO-RIGHT OVERRIDE'],
  [0x202e, 'RIGHT-TO-LEFT OVERRIDE'],
  [0x2060, 'WORD JOINER'],
  [0x2066, 'LEFT-TO-RIGHT ISOLATE'],
  [0x2067, 'RIGHT-TO-LEFT ISOLATE'],
  [0x2068, 'FIRST STRONG ISOLATE'],
  [0x2069, 'POP DIRECTIONAL ISOLATE'],
  [0xfeff, 'ZERO WIDTH NO-BREAK SPACE (byte order mark)'],
]);

const c0Abbreviations = [
  'NUL',
  'SOH',
  'STX',
  'ETX',
  'EOT',
  'ENQ',
  'ACK',
  'BEL',
  'BS',
  'TAB',
  'LF',
  'VT',
  'FF',
  'CR',
  'SO',
  'SI',
  'DLE',
  'DC1',
  'DC2',
  'DC3',
  'DC4',
  'NAK',
  'SYN',
  'ETB',
  'CAN',
  'EM',
  'SUB',
  'ESC',
  'FS',
  'GS',
  'RS',
  'US',
] as const;

const c0LongNames: ReadonlyMap<number, string> = new Map([
  [0x00, 'null'],
  [0x07, 'bell'],
  [0x08, 'backspace'],
  [0x09, 'horizontal tab'],
  [0x0a, 'line feed'],
  [0x0b, 'vertical tab'],
  [0x0c, 'form feed'],
  [0x0d, 'carriage return'],
  [0x1b, 'escape'],
]);

export function isControlCodePoint(codePoint: number): boolean {
  return codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f) || invisibleNames.has(codePoint);
}

function hex(value: number, digits: number): string {
  return value.toString(16).toUpperCase().padStart(digits, '0');
}

/**
 * The escape that parseEscapes turns back into this character: `\t \n \r` by
 * name (as Python's repr does), other C0 controls and DEL as `\xNN`, anything
 * else as `\uXXXX` (never `\xNN`, which would mean a single raw byte).
 */
export function controlEscape(codePoint: number): string {
  if (codePoint === 0x09) return '\\t';
  if (codePoint === 0x0a) return '\\n';
  if (codePoint === 0x0d) return '\\r';
  if (codePoint < 0x20 || codePoint === 0x7f) return `\\x${hex(codePoint, 2)}`;
  return `\\u${hex(codePoint, 4)}`;
}

/** Control Pictures (U+2400 + n, ␡ for DEL) for C0; the `\uXXXX` escape for the rest. */
export function controlGlyph(codePoint: number): string {
  if (codePoint < 0x20) return String.fromCharCode(0x2400 + codePoint);
  if (codePoint === 0x7f) return '\u2421';
  return controlEscape(codePoint);
}

/** For tooltips: "U+000D CR (carriage return)", "U+0085 C1 control", "U+202E RIGHT-TO-LEFT OVERRIDE". */
export function describeControl(codePoint: number): string {
  const prefix = `U+${hex(codePoint, 4)}`;
  const abbreviation = codePoint < 0x20 ? c0Abbreviations[codePoint] : codePoint === 0x7f ? 'DEL' : undefined;
  if (abbreviation !== undefined) {
    const long = codePoint === 0x7f ? 'delete' : c0LongNames.get(codePoint);
    return long === undefined ? `${prefix} ${abbreviation}` : `${prefix} ${abbreviation} (${long})`;
  }
  if (codePoint >= 0x80 && codePoint <= 0x9f)
    return `${prefix} C1 control${codePoint === 0x85 ? ' NEL (next line)' : ''}`;
  return `${prefix} ${invisibleNames.get(codePoint) ?? 'character'}`;
}
