import { parseEscapes } from '../bytes/escapes';
import { concatBytes, encodeUtf8 } from '../bytes/utf8';

/** `{{name}}`, spaces inside the braces allowed. Names: letters, digits, `_` and `-`, not starting with a digit. */
const placeholder = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;
export const variableName = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export interface TemplatePiece {
  /** Literal text (still escaped, for payloads) or a variable's name. */
  text: string;
  variable: boolean;
  /** UTF-16 offset of the piece within the template. */
  offset: number;
}

export function splitTemplate(template: string): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  let last = 0;
  for (const match of template.matchAll(placeholder)) {
    const index = match.index;
    if (index > last) pieces.push({ text: template.slice(last, index), variable: false, offset: last });
    pieces.push({ text: match[1] as string, variable: true, offset: index });
    last = index + match[0].length;
  }
  if (last < template.length || pieces.length === 0) {
    pieces.push({ text: template.slice(last), variable: false, offset: last });
  }
  return pieces;
}

export function templateVariables(template: string): { name: string; offset: number }[] {
  return splitTemplate(template)
    .filter((piece) => piece.variable)
    .map((piece) => ({ name: piece.text, offset: piece.offset }));
}

export type Lookup = (name: string) => string | undefined;

export type Expanded<T> = { ok: true; value: T } | { ok: false; variable: string; offset: number };

/** A plain template (a target, a path, a header name): variables replaced by their values. */
export function expandTemplate(template: string, lookup: Lookup): Expanded<string> {
  let out = '';
  for (const piece of splitTemplate(template)) {
    if (!piece.variable) {
      out += piece.text;
      continue;
    }
    const value = lookup(piece.text);
    if (value === undefined) return { ok: false, variable: piece.text, offset: piece.offset };
    out += value;
  }
  return { ok: true, value: out };
}

/**
 * An escaped payload's bytes: literal pieces through parseEscapes, variables as the
 * UTF-8 of their values (never re-read as escapes). The parser has already checked
 * the escapes, so a failure here can only be an unknown variable.
 */
export function expandEscapedText(source: string, lookup: Lookup): Expanded<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (const piece of splitTemplate(source)) {
    if (piece.variable) {
      const value = lookup(piece.text);
      if (value === undefined) return { ok: false, variable: piece.text, offset: piece.offset };
      parts.push(encodeUtf8(value));
      continue;
    }
    const parsed = parseEscapes(piece.text);
    parts.push(parsed.ok ? parsed.bytes : encodeUtf8(piece.text));
  }
  return { ok: true, value: concatBytes(parts) };
}
