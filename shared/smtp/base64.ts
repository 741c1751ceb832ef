/**
 * Standard base64 (RFC 4648 §4, with padding), as SMTP AUTH uses it. Written out
 * here because shared/ sees neither Node's Buffer nor the browser's btoa/atob.
 */

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const digit = (n: number): string => alphabet[n] as string;
const values: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += digit(n >> 18) + digit((n >> 12) & 63) + digit((n >> 6) & 63) + digit(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += `${digit(n >> 18)}${digit((n >> 12) & 63)}==`;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += `${digit(n >> 18)}${digit((n >> 12) & 63)}${digit((n >> 6) & 63)}=`;
  }
  return out;
}

/**
 * Strict decoding: only the base64 alphabet, a length that is a multiple of 4
 * and at most two `=` at the end; anything else is null (a server or a student
 * sent something that is not base64, which is worth saying rather than guessing).
 * Surrounding spaces are ignored.
 */
export function decodeBase64(text: string): Uint8Array | null {
  const clean = text.trim();
  if (clean.length % 4 !== 0) return null;
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((clean.length / 4) * 3 - padding);
  let length = 0;
  for (let i = 0; i < clean.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = clean.charCodeAt(i + k);
      const isPadding = c === 0x3d && i + k >= clean.length - padding;
      const value = isPadding ? 0 : c < 128 ? (values[c] as number) : -1;
      if (value < 0) return null;
      n = (n << 6) | value;
    }
    if (length < out.length) out[length++] = n >> 16;
    if (length < out.length) out[length++] = (n >> 8) & 0xff;
    if (length < out.length) out[length++] = n & 0xff;
  }
  return out;
}
