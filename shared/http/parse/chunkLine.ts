import { CR, headText, isHexDigit, quoteBytes } from './ascii';
import { diagnostic, type HttpDiagnostic } from '../compose/diagnostics';
import type { ChunkExtension } from './events';

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const EXTENSION = new RegExp(`^[ \\t]*;[ \\t]*(${TOKEN})(?:[ \\t]*=[ \\t]*(${TOKEN}|"(?:[^"\\\\]|\\\\.)*"))?`);

/** Chunk sizes beyond 2^52 bytes are nonsense, and would lose precision as numbers. */
const MAX_SIZE_DIGITS = 13;

export interface ChunkLine {
  size: number;
  extensions: ChunkExtension[];
  line: string;
}

/**
 * `chunk-size [ chunk-ext ] CRLF`. `bytes[0, length)` is the whole line with
 * its LF. Returns null after pushing a fatal diagnostic (last in `out`) when the
 * size cannot be read.
 */
export function parseChunkLine(
  bytes: Uint8Array,
  length: number,
  base: number,
  messageIndex: number,
  out: HttpDiagnostic[],
): ChunkLine | null {
  const crlf = length >= 2 && bytes[length - 2] === CR;
  const end = length - (crlf ? 2 : 1);
  const at = { messageIndex };
  const line = headText(bytes, 0, end);
  let digits = 0;
  while (digits < end && isHexDigit(bytes[digits] as number)) digits++;
  const invalid = (message: string): null => {
    out.push(diagnostic('invalid-chunk-size', 'error', base, length, message, { messageIndex, fatal: true }));
    return null;
  };
  if (digits === 0) {
    return invalid(
      `${quoteBytes(bytes.subarray(0, length))} is not a chunk-size line: each chunk starts with its size in hexadecimal and CRLF (e.g. "1a\\r\\n" for 26 bytes), and "0\\r\\n\\r\\n" ends the body.`,
    );
  }
  if (digits > MAX_SIZE_DIGITS) {
    return invalid(`Chunk size ${headText(bytes, 0, digits)} is absurdly large: this is not a valid chunked body.`);
  }
  const size = Number.parseInt(headText(bytes, 0, digits), 16);
  let rest = headText(bytes, digits, end);
  const extensions: ChunkExtension[] = [];
  while (rest.length > 0) {
    const match = EXTENSION.exec(rest);
    if (!match) break;
    const extension: ChunkExtension = { name: match[1] as string };
    if (match[2] !== undefined) extension.value = match[2];
    extensions.push(extension);
    rest = rest.slice(match[0].length);
  }
  if (rest.length > 0) {
    const restOffset = base + end - rest.length;
    if (/^[ \t]+$/.test(rest)) {
      out.push(
        diagnostic(
          'chunk-size-whitespace',
          'warning',
          restOffset,
          rest.length,
          'Whitespace after the chunk size: write the hex size directly followed by CRLF.',
          at,
        ),
      );
    } else if (extensions.length > 0 || /^[ \t]*;/.test(rest)) {
      out.push(
        diagnostic(
          'invalid-chunk-extension',
          'warning',
          restOffset,
          rest.length,
          `Malformed chunk extension ${JSON.stringify(rest)}: extensions read ";name" or ";name=value".`,
          at,
        ),
      );
    } else {
      return invalid(
        `Chunk size ${JSON.stringify(line)} is not a hexadecimal number followed by CRLF (sizes are hex: 0-9 and a-f only).`,
      );
    }
  }
  if (!crlf) {
    out.push(
      diagnostic('bare-lf', 'warning', base + end, 1, 'The chunk-size line ends in a bare LF instead of CRLF.', at),
    );
  }
  return { size, extensions, line };
}
