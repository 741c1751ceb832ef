import { COLON, headText, isOws, isTchar, quoteBytes } from './ascii';
import { diagnostic, type HttpDiagnostic } from '../compose/diagnostics';
import type { Line } from './lines';

/** One header (or trailer) field, in the order received; repeated names are separate fields. */
export interface HttpField {
  /** As sent (case kept); compare with `sameName`. */
  name: string;
  /** Without surrounding whitespace; folded continuation lines joined by one space. */
  value: string;
  /** Stream offset of the field line, and its length in bytes including line ending(s) and any folded lines. */
  offset: number;
  length: number;
  nameOffset: number;
  nameLength: number;
  valueOffset: number;
  valueLength: number;
  /** The line(s) exactly as received. */
  raw: Uint8Array;
  /** Not a usable field line (no colon, bad name): shown to the user, ignored for framing and lookups. */
  malformed?: true;
  /** Continued on following lines by obsolete line folding. */
  folded?: true;
}

export function sameName(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/** The well-formed fields called `name`, in order. */
export function fieldsNamed(fields: readonly HttpField[], name: string): HttpField[] {
  return fields.filter((field) => !field.malformed && sameName(field.name, name));
}

/** The first value of `name`, or undefined. */
export function fieldValue(fields: readonly HttpField[], name: string): string | undefined {
  return fieldsNamed(fields, name)[0]?.value;
}

/** Comma-separated list elements of every `name` field (`Connection: a, b` + `Connection: c` → [a, b, c]). */
export function fieldList(fields: readonly HttpField[], name: string): string[] {
  const out: string[] = [];
  for (const field of fieldsNamed(fields, name)) {
    for (const element of field.value.split(',')) {
      const trimmed = element.trim();
      if (trimmed) out.push(trimmed);
    }
  }
  return out;
}

function trimOws(bytes: Uint8Array, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && isOws(bytes[s] as number)) s++;
  while (e > s && isOws(bytes[e - 1] as number)) e--;
  return [s, e];
}

/** Field value text: a bare CR counts as a space (RFC 9112 §2.2), as does a fold. */
function valueText(bytes: Uint8Array, start: number, end: number): string {
  return headText(bytes, start, end).replaceAll('\r', ' ');
}

/**
 * Field lines of a head (after the start line) or of a trailer section. `lines`
 * excludes the empty line that ends the section. Lenient: every line becomes a
 * field (malformed ones flagged) so the user sees what arrived.
 */
export function parseFieldLines(
  bytes: Uint8Array,
  lines: readonly Line[],
  base: number,
  messageIndex: number | undefined,
  out: HttpDiagnostic[],
): HttpField[] {
  const fields: HttpField[] = [];
  const at = { messageIndex };
  for (const [index, line] of lines.entries()) {
    const lineLength = line.next - line.start;
    const previous = fields[fields.length - 1];
    if (line.end > line.start && isOws(bytes[line.start] as number)) {
      if (previous) {
        out.push(
          diagnostic(
            'obs-fold',
            'warning',
            base + line.start,
            lineLength,
            `Obsolete line folding: a line starting with whitespace continues the "${previous.name}" header (RFC 9112 forbids this; recipients read it as a space).`,
            at,
          ),
        );
        const [s, e] = trimOws(bytes, line.start, line.end);
        if (e > s) {
          const more = valueText(bytes, s, e);
          previous.value = previous.value ? `${previous.value} ${more}` : more;
          if (previous.valueLength === 0) previous.valueOffset = base + s;
          previous.valueLength = base + e - previous.valueOffset;
        }
        previous.length += lineLength;
        previous.raw = bytes.slice(previous.offset - base, previous.offset - base + previous.length);
        previous.folded = true;
        continue;
      }
      out.push(
        diagnostic(
          'whitespace-before-first-field',
          'error',
          base + line.start,
          lineLength,
          'The first header line starts with whitespace: there is no header for it to continue. Remove the leading spaces.',
          at,
        ),
      );
    }
    const field: HttpField = {
      name: '',
      value: '',
      offset: base + line.start,
      length: lineLength,
      nameOffset: base + line.start,
      nameLength: 0,
      valueOffset: base + line.start,
      valueLength: 0,
      raw: bytes.slice(line.start, line.next),
    };
    // RFC 9112 §2.2: such a line is ignored; it stays visible but never counts.
    if (isOws(bytes[line.start] as number)) field.malformed = true;
    fields.push(field);
    const colon = bytes.indexOf(COLON, line.start);
    if (colon === -1 || colon >= line.end) {
      field.malformed = true;
      const [s, e] = trimOws(bytes, line.start, line.end);
      field.value = valueText(bytes, s, e);
      field.valueOffset = base + s;
      field.valueLength = e - s;
      out.push(
        diagnostic(
          'no-colon',
          'error',
          base + line.start,
          line.end - line.start,
          `Header line ${quoteBytes(bytes.subarray(line.start, line.end))} has no colon: a header line is "Name: value". ${
            index === lines.length - 1 ? 'If this is the body, put an empty line (CRLF) before it.' : ''
          }`.trim(),
          at,
        ),
      );
      continue;
    }
    let nameEnd = colon;
    while (nameEnd > line.start && isOws(bytes[nameEnd - 1] as number)) nameEnd--;
    const nameStart = isOws(bytes[line.start] as number) ? trimOws(bytes, line.start, colon)[0] : line.start;
    field.name = headText(bytes, nameStart, nameEnd);
    field.nameOffset = base + nameStart;
    field.nameLength = nameEnd - nameStart;
    const [vs, ve] = trimOws(bytes, colon + 1, line.end);
    field.value = valueText(bytes, vs, ve);
    field.valueOffset = base + vs;
    field.valueLength = ve - vs;
    if (nameEnd === nameStart) {
      field.malformed = true;
      out.push(
        diagnostic(
          'empty-field-name',
          'error',
          base + line.start,
          colon + 1 - line.start,
          'Header line has no name before the colon.',
          at,
        ),
      );
      continue;
    }
    if (nameEnd < colon) {
      out.push(
        diagnostic(
          'space-before-colon',
          'error',
          base + nameEnd,
          colon - nameEnd,
          `Whitespace between the header name "${field.name}" and the colon: servers must reject this with 400 (RFC 9112 §5.1). Write "${field.name}:" with no space.`,
          at,
        ),
      );
    }
    for (let i = nameStart; i < nameEnd; i++) {
      const b = bytes[i] as number;
      if (!isTchar(b)) {
        field.malformed = true;
        out.push(
          diagnostic(
            'invalid-field-name',
            'error',
            base + i,
            1,
            `Character ${quoteBytes(bytes.subarray(i, i + 1))} is not allowed in a header name (letters, digits and !#$%&'*+-.^_\`|~ only).`,
            at,
          ),
        );
        break;
      }
    }
  }
  return fields;
}
