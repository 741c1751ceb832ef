import { concatBytes, encodeUtf8 } from './utf8';

/** The composer's line ending choice, in the order the UI offers it (usable as a zod enum). */
export const lineEndings = ['none', 'lf', 'crlf'] as const;
export type LineEnding = (typeof lineEndings)[number];

const terminators: Record<LineEnding, readonly number[]> = { none: [], lf: [0x0a], crlf: [0x0d, 0x0a] };

/** A fresh copy of the terminator's bytes (`\r\n` for crlf, nothing for none). */
export function lineEndingBytes(ending: LineEnding): Uint8Array {
  return Uint8Array.from(terminators[ending]);
}

/**
 * The message as sent: its bytes (strings are UTF-8 encoded) followed by the
 * chosen terminator. Always appends, even when the message already ends with
 * one, so that what goes out is exactly what the user typed plus the setting.
 */
export function applyLineEnding(message: Uint8Array | string, ending: LineEnding): Uint8Array {
  const bytes = typeof message === 'string' ? encodeUtf8(message) : message;
  if (ending === 'none') return bytes.slice();
  return concatBytes([bytes, lineEndingBytes(ending)]);
}

/**
 * Rewrites every line break (CRLF, a lone LF, a lone CR) as `ending`, e.g. so
 * that the lines typed into a text area go out as CRLF for SMTP or HTTP. For
 * text, do it before parsing escapes: then a typed line break follows the
 * setting while an explicit `\n` still sends a bare LF.
 */
export function normaliseLineEndings(text: string, ending: 'lf' | 'crlf'): string;
export function normaliseLineEndings(bytes: Uint8Array, ending: 'lf' | 'crlf'): Uint8Array;
export function normaliseLineEndings(input: string | Uint8Array, ending: 'lf' | 'crlf'): string | Uint8Array {
  if (typeof input === 'string') return input.replace(/\r\n|\r|\n/g, ending === 'lf' ? '\n' : '\r\n');
  const out = new Uint8Array(input.length * (ending === 'crlf' ? 2 : 1));
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    const b = input[i] as number;
    if (b !== 0x0a && b !== 0x0d) {
      out[length++] = b;
      continue;
    }
    if (b === 0x0d && input[i + 1] === 0x0a) i++;
    if (ending === 'crlf') out[length++] = 0x0d;
    out[length++] = 0x0a;
  }
  return out.slice(0, length);
}
