// Byte-level vocabulary of HTTP/1.x (RFC 9110 §5.6, RFC 9112 §2).

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;
export const COLON = 0x3a;

/** tchar: the characters of a token (method, field name, transfer coding, ...). */
export function isTchar(b: number): boolean {
  if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) return true;
  // ! # $ % & ' * + - . ^ _ ` | ~
  return (
    b === 0x21 ||
    (b >= 0x23 && b <= 0x27) ||
    b === 0x2a ||
    b === 0x2b ||
    b === 0x2d ||
    b === 0x2e ||
    b === 0x5e ||
    b === 0x5f ||
    b === 0x60 ||
    b === 0x7c ||
    b === 0x7e
  );
}

export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!isTchar(text.charCodeAt(i))) return false;
  return true;
}

export function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

export function isHexDigit(b: number): boolean {
  return isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

export function isOws(b: number): boolean {
  return b === SP || b === HTAB;
}

/** A control character that may not appear in a head (HTAB is allowed; CR and LF are line syntax). */
export function isForbiddenControl(b: number): boolean {
  return (b < 0x20 && b !== HTAB) || b === 0x7f;
}

const utf8 = new TextDecoder('utf-8');

/**
 * Text of head bytes for display. Heads are ASCII; anything else (already
 * reported as a diagnostic) is shown as UTF-8 with U+FFFD for invalid bytes,
 * which is what students type and what most servers mean. The raw bytes stay
 * available next to every decoded string.
 */
export function headText(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if ((bytes[i] as number) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (!ascii) return utf8.decode(bytes.subarray(start, end));
  let text = '';
  for (let i = start; i < end; i += 4096) {
    text += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 4096)));
  }
  return text;
}

/** `"GET /\r\n"` style quoting for messages: printable ASCII as is, the rest escaped, cut after `max` bytes. */
export function quoteBytes(bytes: Uint8Array, max = 40): string {
  let out = '';
  const end = Math.min(bytes.length, max);
  for (let i = 0; i < end; i++) {
    const b = bytes[i] as number;
    if (b === CR) out += '\\r';
    else if (b === LF) out += '\\n';
    else if (b === HTAB) out += '\\t';
    else if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `"${out}${bytes.length > max ? '…' : ''}"`;
}

export function hexByte(b: number): string {
  return `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
}
