import { parseEscapes } from './escapes';
import { parseHex } from './hex';
import { applyLineEnding, type LineEnding } from './lineEndings';
import type { TextParseResult } from './textParseResult';
import { encodeUtf8 } from './utf8';

/** How the composer reads the Message field, in the order the UI offers it. */
export const messageInputModes = ['text', 'escapes', 'hex'] as const;
export type MessageInputMode = (typeof messageInputModes)[number];

export interface ComposeOptions {
  mode: MessageInputMode;
  lineEnding: LineEnding;
}

/**
 * The bytes a composer sends for what the user typed: plain UTF-8 text, text
 * with escape sequences, or hex; then the chosen line ending. Errors point into
 * the typed text; the text itself is never changed.
 */
export function composeMessage(text: string, options: ComposeOptions): TextParseResult<Uint8Array> {
  let parsed: TextParseResult<Uint8Array>;
  if (options.mode === 'hex') parsed = parseHex(text);
  else if (options.mode === 'escapes') parsed = parseEscapes(text);
  else parsed = { ok: true, bytes: encodeUtf8(text) };
  if (!parsed.ok) return parsed;
  return { ok: true, bytes: applyLineEnding(parsed.bytes, options.lineEnding) };
}
