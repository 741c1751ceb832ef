import { formatByteCount } from '../../../../shared/bytes';
import { fieldList, fieldValue, type HttpField } from '../../../../shared/http/parse/fields';
import type { BodyProgress } from '../exchangeState';

/**
 * How the response viewer reads a body: its media type and charset from
 * Content-Type, which views make sense for it, text in its charset, pretty JSON.
 * Pure (TextDecoder only), so it is unit-tested in Node.
 */

export interface ContentType {
  /** Lower-case `type/subtype`, "" when there is no Content-Type. */
  mediaType: string;
  /** The charset parameter as written (unquoted), if any. */
  charset: string | undefined;
}

export function parseContentType(value: string | undefined): ContentType {
  if (value === undefined) return { mediaType: '', charset: undefined };
  const [type = '', ...parameters] = value.split(';');
  let charset: string | undefined;
  for (const parameter of parameters) {
    const equals = parameter.indexOf('=');
    if (equals === -1) continue;
    if (parameter.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    charset = parameter
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    break;
  }
  return { mediaType: type.trim().toLowerCase(), charset: charset || undefined };
}

export function contentTypeOf(fields: readonly HttpField[]): ContentType {
  return parseContentType(fieldValue(fields, 'Content-Type'));
}

export type BodyKind = 'html' | 'json' | 'image' | 'text' | 'binary';

export function bodyKind(mediaType: string): BodyKind {
  if (mediaType === 'text/html' || mediaType === 'application/xhtml+xml') return 'html';
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return 'json';
  if (mediaType.startsWith('image/')) return 'image';
  if (
    mediaType === '' ||
    mediaType.startsWith('text/') ||
    mediaType.endsWith('+xml') ||
    ['application/xml', 'application/javascript', 'application/x-www-form-urlencoded'].includes(mediaType)
  ) {
    return 'text';
  }
  return 'binary';
}

/** The content codings the server applied, in order (`Content-Encoding: gzip`), without "identity". */
export function contentEncodings(fields: readonly HttpField[]): string[] {
  return fieldList(fields, 'Content-Encoding')
    .map((coding) => coding.toLowerCase())
    .filter((coding) => coding !== 'identity');
}

export const decodableEncodings: readonly string[] = ['gzip', 'x-gzip', 'deflate', 'br'];

export interface TextDecoding {
  /** The label TextDecoder was given. */
  charset: string;
  /** For people, when the charset was not the server's own or not known. */
  note: string | undefined;
}

/**
 * Which charset to show a body in: Content-Type's charset when TextDecoder knows it;
 * JSON is always UTF-8 (RFC 8259); otherwise UTF-8, said so, since HTTP/1.1 no longer
 * has a default (RFC 9110 §8.3.2).
 */
export function chooseCharset(contentType: ContentType): TextDecoding {
  const { charset, mediaType } = contentType;
  if (bodyKind(mediaType) === 'json') return { charset: 'utf-8', note: undefined };
  if (charset === undefined) {
    return { charset: 'utf-8', note: 'No charset in Content-Type: shown as UTF-8.' };
  }
  try {
    new TextDecoder(charset);
    return { charset, note: undefined };
  } catch {
    return { charset: 'utf-8', note: `Unknown charset "${charset}" in Content-Type: shown as UTF-8.` };
  }
}

/** Bytes as text in `charset`; undecodable bytes become U+FFFD (counted by the caller's view if it cares). */
export function decodeText(bytes: Uint8Array, charset: string): string {
  return new TextDecoder(charset).decode(bytes);
}

export type PrettyJson = { ok: true; text: string } | { ok: false; message: string };

/** Two-space indented JSON, or why it is not JSON. */
export function prettyJson(text: string): PrettyJson {
  try {
    return { ok: true, text: JSON.stringify(JSON.parse(text), null, 2) };
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Where a page of bytes may end without splitting a line: just after the last LF at
 * or before `end` (but after `start + minimum`), else before a UTF-8 character starts.
 */
export function blockEnd(bytes: Uint8Array, start: number, end: number, minimum: number): number {
  if (end >= bytes.length) return bytes.length;
  const lf = bytes.lastIndexOf(0x0a, end - 1);
  if (lf >= start + minimum) return lf + 1;
  let cut = end;
  // Step back over continuation bytes (10xxxxxx) so a character is never cut in two.
  while (cut > start + 1 && cut > end - 3 && ((bytes[cut] as number) & 0xc0) === 0x80) cut--;
  return cut;
}

/** Splits bytes into blocks of about `size` bytes ending after a line feed where there is one. */
export function splitBlocks(bytes: Uint8Array, size: number): Array<{ start: number; end: number }> {
  const blocks: Array<{ start: number; end: number }> = [];
  let start = 0;
  while (start < bytes.length) {
    const end = blockEnd(bytes, start, Math.min(bytes.length, start + size), Math.floor(size / 4));
    blocks.push({ start, end });
    start = end;
  }
  return blocks;
}

/**
 * "2.9 MiB received in 12 chunks, 9.1 MiB decoded." plus the truncation note when the
 * cap cut the body: what was kept, the cap, and that the rest was counted, not stored.
 */
export function describeBodyTotals(body: BodyProgress, decoded: boolean): string {
  const parts = [`${formatByteCount(body.received)} received${body.complete ? '' : ' so far'}`];
  if (body.chunks > 0) parts.push(`in ${body.chunks} ${body.chunks === 1 ? 'chunk' : 'chunks'}`);
  if (decoded && body.decodedLength !== undefined) parts.push(`${formatByteCount(body.decodedLength)} decoded`);
  let text = `${parts.join(', ')}.`;
  if (body.capBytes !== undefined && body.received > body.kept) {
    text += ` Truncated: only the first ${formatByteCount(body.kept)} were kept (the body cap is ${formatByteCount(body.capBytes)}); the other ${formatByteCount(body.received - body.kept)} were counted, not stored.`;
  }
  if (decoded && body.decodeError) text += ` Decompressing stopped: ${body.decodeError}.`;
  return text;
}
