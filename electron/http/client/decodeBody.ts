import zlib from 'node:zlib';
import { formatByteCount } from '../../../shared/bytes/formatByteCount';

export interface DecodedBody {
  /** The decoded bytes as pieces (whatever was decodable before any error or the cap). */
  pieces: Buffer[];
  length: number;
  /** Why decoding stopped early, for people. */
  error?: string | undefined;
}

/** Content codings this client undoes (RFC 9110 §8.4.1); identity is no coding at all. */
const known = new Set(['gzip', 'x-gzip', 'deflate', 'br', 'identity']);

/**
 * Undoes the body's Content-Encoding (the codings in the order they were applied,
 * undone last first) with node:zlib, streaming piece by piece so a large body is never
 * held twice in one buffer, and stopping at `maxBytes` of output (a zip bomb stays
 * small). A body that is cut short (still arriving, capped, truncated) decodes as far as
 * it goes and says why it stops.
 */
export async function decodeBody(
  input: readonly Uint8Array[],
  encodings: readonly string[],
  maxBytes: number,
  inputComplete: boolean,
): Promise<DecodedBody> {
  const codings = encodings.map((coding) => coding.toLowerCase()).filter((coding) => coding !== 'identity');
  const unknown = codings.find((coding) => !known.has(coding));
  if (unknown !== undefined) {
    return {
      pieces: [],
      length: 0,
      error: `the body is encoded with "${unknown}", which this app cannot decode (it knows gzip, deflate and br): see the raw bytes.`,
    };
  }
  let pieces: Buffer[] = input.map((piece) => Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
  let length = pieces.reduce((sum, piece) => sum + piece.length, 0);
  for (const coding of [...codings].reverse()) {
    const step = await runDecoder(pieces, coding, maxBytes, inputComplete);
    pieces = step.pieces;
    length = step.length;
    if (step.error) return { pieces, length, error: step.error };
  }
  if (!inputComplete && codings.length > 0) {
    return {
      pieces,
      length,
      error: 'the body is not complete (still arriving, capped or cut short): the decoded bytes end early.',
    };
  }
  return { pieces, length };
}

function createDecoder(
  coding: string,
  rawDeflate: boolean,
  inputComplete: boolean,
): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress {
  // A body still arriving should give what it holds so far: flush instead of failing at its end.
  if (coding === 'br') {
    return zlib.createBrotliDecompress(inputComplete ? {} : { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
  }
  const options = inputComplete ? {} : { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (coding === 'deflate') return rawDeflate ? zlib.createInflateRaw(options) : zlib.createInflate(options);
  return zlib.createGunzip(options);
}

async function runDecoder(
  input: readonly Buffer[],
  coding: string,
  maxBytes: number,
  inputComplete: boolean,
): Promise<DecodedBody> {
  const first = await decodeWith(input, coding, maxBytes, false, inputComplete);
  // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate: try that too.
  if (coding === 'deflate' && first.length === 0 && first.error) {
    const raw = await decodeWith(input, coding, maxBytes, true, inputComplete);
    if (!raw.error || raw.length > 0) return raw;
  }
  return first;
}

function decodeWith(
  input: readonly Buffer[],
  coding: string,
  maxBytes: number,
  rawDeflate: boolean,
  inputComplete: boolean,
): Promise<DecodedBody> {
  return new Promise((resolve) => {
    const decoder = createDecoder(coding, rawDeflate, inputComplete);
    const pieces: Buffer[] = [];
    let length = 0;
    let settled = false;
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      decoder.removeAllListeners('data');
      decoder.destroy();
      resolve(error === undefined ? { pieces, length } : { pieces, length, error });
    };
    decoder.on('data', (piece: Buffer) => {
      const room = maxBytes - length;
      if (piece.length > room) {
        if (room > 0) pieces.push(piece.subarray(0, room));
        length += Math.max(0, room);
        finish(
          `the decoded body is larger than ${formatByteCount(maxBytes)}: only the first ${formatByteCount(maxBytes)} are shown.`,
        );
        return;
      }
      pieces.push(piece);
      length += piece.length;
    });
    decoder.on('error', (error: Error & { code?: string }) => {
      finish(
        `the ${coding} data is damaged or cut short after ${formatByteCount(length)} of output (${error.code ?? 'error'}: ${error.message}); what came before is shown.`,
      );
    });
    decoder.on('end', () => finish());
    void (async () => {
      for (const piece of input) {
        if (settled) return;
        if (!decoder.write(piece)) {
          await new Promise<void>((go) => {
            decoder.once('drain', go);
            decoder.once('close', go);
          });
        }
      }
      if (!settled) decoder.end();
    })();
  });
}
