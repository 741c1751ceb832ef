import { parseErrorAt, type TextParseResult } from './textParseResult';
import { concatBytes, encodeUtf8 } from './utf8';
import { segmentsToEscapedText, toVisibleSegments } from './visibleSegments';

/**
 * The composer's escape sequences: Python's string-literal escapes, so what
 * students know from `b"GET / HTTP/1.1\r\n"` works, minus the ambiguous ones.
 *
 *   \r \n \t \0 \\   CR, LF, TAB, NUL, backslash
 *   \a \b \f \v      BEL, BS, FF, VT
 *   \' \"            the quote itself (so a pasted Python literal works)
 *   \xNN             one raw byte, exactly two hex digits (\xFF is the byte FF, not ÿ)
 *   \uXXXX \u{X…}    a character by code point, UTF-8 encoded (JavaScript's braces form too)
 *   \UXXXXXXXX       the same with Python's eight digits
 *
 * Deliberately errors, each with a hint: `\e` (not an escape in Python or
 * JavaScript, only in shells; write \x1b), octal (`\012`; \0 followed by a digit
 * would silently mean something else than in Python), `\N{name}`, and anything
 * else unknown — a typo must not silently end up on the wire.
 */
export function parseEscapes(text: string): TextParseResult<Uint8Array> {
  const parts: Uint8Array[] = [];
  const raw: number[] = [];
  const flushRaw = (): void => {
    if (raw.length > 0) {
      parts.push(Uint8Array.from(raw));
      raw.length = 0;
    }
  };
  const pushText = (value: string): void => {
    flushRaw();
    parts.push(encodeUtf8(value));
  };
  const fail = (index: number, length: number, problem: string): TextParseResult<Uint8Array> => ({
    ok: false,
    error: parseErrorAt(text, index, length, problem),
  });

  let i = 0;
  while (i < text.length) {
    const backslash = text.indexOf('\\', i);
    if (backslash < 0) {
      pushText(text.slice(i));
      break;
    }
    if (backslash > i) pushText(text.slice(i, backslash));
    const letter = text[backslash + 1];
    if (letter === undefined) {
      return fail(backslash, 1, 'a lone \\ at the end: write \\\\ for a backslash');
    }
    const simple = simpleEscapes[letter];
    if (simple !== undefined) {
      raw.push(simple);
      i = backslash + 2;
      continue;
    }
    if (letter === 'x') {
      const digits = text.slice(backslash + 2, backslash + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(digits)) {
        const length = 2 + leadingHexDigits(digits);
        return fail(backslash, length, '\\x must be followed by two hex digits, e.g. \\x0d or \\xff');
      }
      raw.push(Number.parseInt(digits, 16));
      i = backslash + 4;
      continue;
    }
    if (letter === 'u' || letter === 'U') {
      const parsed = parseCodePointEscape(text, backslash);
      if ('problem' in parsed) return fail(backslash, parsed.length, parsed.problem);
      pushText(String.fromCodePoint(parsed.codePoint));
      i = backslash + parsed.length;
      continue;
    }
    if (letter === '0' && !isDigit(text[backslash + 2])) {
      raw.push(0x00);
      i = backslash + 2;
      continue;
    }
    if (letter >= '0' && letter <= '7') {
      const octal = /^[0-7]{1,3}/.exec(text.slice(backslash + 1))?.[0] ?? letter;
      return fail(backslash, 1 + octal.length, octalProblem(octal, text[backslash + 2]));
    }
    const escapedLength = (text.codePointAt(backslash + 1) as number) > 0xffff ? 3 : 2;
    return fail(backslash, escapedLength, unknownEscapeProblem(text, backslash));
  }
  flushRaw();
  return { ok: true, bytes: concatBytes(parts.length === 0 ? [new Uint8Array(0)] : parts) };
}

/** Escapes standing for one byte. `\0` is handled apart: it is NUL only when no digit follows. */
const simpleEscapes: Record<string, number | undefined> = Object.assign(Object.create(null), {
  '\\': 0x5c,
  "'": 0x27,
  '"': 0x22,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
});

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '9';
}

/** In Python `\012` is LF; taking `\0` as NUL there would silently send other bytes, so say what to write. */
function octalProblem(octal: string, afterZero: string | undefined): string {
  if (octal === '0') {
    return `\\0 followed by a digit reads as octal in Python: write \\x00${afterZero ?? ''} for NUL then ${afterZero ?? 'the digit'}`;
  }
  const value = Number.parseInt(octal, 8);
  const meant =
    value <= 0xff ? `\\x${value.toString(16).padStart(2, '0')}` : `\\u${value.toString(16).padStart(4, '0')}`;
  const nul = octal.startsWith('0') ? ` (or \\x00${octal.slice(1)} for NUL then ${octal.slice(1)})` : '';
  return `octal escapes like \\${octal} are not supported: write ${meant}${nul}`;
}

function leadingHexDigits(text: string): number {
  return /^[0-9a-fA-F]*/.exec(text)?.[0].length ?? 0;
}

type CodePointEscape = { codePoint: number; length: number } | { problem: string; length: number };

function parseCodePointEscape(text: string, backslash: number): CodePointEscape {
  const letter = text[backslash + 1] as 'u' | 'U';
  const rest = text.slice(backslash + 2);
  let digits: string;
  let length: number;
  if (letter === 'u' && rest.startsWith('{')) {
    const match = /^\{([0-9a-fA-F]{1,6})\}/.exec(rest);
    if (!match) {
      const close = rest.indexOf('}');
      const shown = close >= 0 && close < 12 ? close + 1 : Math.min(rest.length, 1 + leadingHexDigits(rest.slice(1)));
      return { problem: '\\u{...} must hold 1 to 6 hex digits, e.g. \\u{1F600}', length: 2 + shown };
    }
    digits = match[1] as string;
    length = 2 + match[0].length;
  } else {
    const want = letter === 'u' ? 4 : 8;
    digits = rest.slice(0, want);
    if (digits.length < want || leadingHexDigits(digits) < want) {
      const example = letter === 'u' ? '\\u00e9 or \\u{1F600}' : '\\U0001F600';
      return {
        problem: `\\${letter} must be followed by ${want} hex digits, e.g. ${example}`,
        length: 2 + leadingHexDigits(digits),
      };
    }
    length = 2 + want;
  }
  const codePoint = Number.parseInt(digits, 16);
  const written = text.slice(backslash, backslash + length);
  if (codePoint > 0x10ffff) {
    return { problem: `${written} is beyond the last Unicode code point U+10FFFF`, length };
  }
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
    return {
      problem: `${written} is half of a UTF-16 surrogate pair, which UTF-8 cannot encode: write the whole character, e.g. \\u{1F600}`,
      length,
    };
  }
  return { codePoint, length };
}

function unknownEscapeProblem(text: string, backslash: number): string {
  const codePoint = text.codePointAt(backslash + 1) as number;
  const next = String.fromCodePoint(codePoint);
  if (next === 'e' || next === 'E') return `\\${next} is not an escape here (only shells know it): write \\x1b for ESC`;
  if (next === 'N') return '\\N{...} character names are not supported: write the code point, e.g. \\u{1F600}';
  if (next === '\n' || next === '\r') {
    return 'a \\ at the end of a line is not a line continuation here: write \\\\ for a backslash';
  }
  const shown =
    codePoint <= 0x20 || codePoint === 0x7f
      ? `\\ followed by U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`
      : `\\${next}`;
  return `${shown} is not an escape sequence: write \\\\ for a backslash (supported: \\r \\n \\t \\0 \\xNN \\u{...} \\\\)`;
}

/**
 * The inverse of parseEscapes for showing bytes as one escaped line:
 * `parseEscapes(formatEscapes(b))` gives back exactly `b` for any bytes,
 * including invalid UTF-8 (written as `\xNN`). NUL is written `\x00` rather
 * than `\0` so that a following digit cannot turn it into an octal escape.
 */
export function formatEscapes(input: Uint8Array | string): string {
  return segmentsToEscapedText(toVisibleSegments(input));
}
