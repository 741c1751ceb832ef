import { open, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ConversationFile, ParseProblem } from '../../shared/conversation/model';
import { parseConversationFile } from '../../shared/conversation/parse';

/** Conversation files are written by people; anything bigger is refused before it is read. */
export const maxConversationFileBytes = 10 * 1024 * 1024;
/** A `file …` payload: at most what one tcp.send carries. */
export const maxPayloadFileBytes = 16 * 1024 * 1024;

export type Loaded = { ok: true; file: ConversationFile } | { ok: false; problems: ParseProblem[] };

/**
 * Reads and parses one conversation file, refusing what cannot be one (too big,
 * binary, not UTF-8) with a message that says so and where. Never throws.
 */
export async function loadConversationFile(path: string): Promise<Loaded> {
  const fail = (message: string, line = 1, column = 1): Loaded => ({
    ok: false,
    problems: [{ line, column, message }],
  });
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) return fail('expected a conversation file, found a folder');
    size = info.size;
  } catch (error) {
    return fail(
      `cannot read the file: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message}`,
    );
  }
  if (size > maxConversationFileBytes) {
    return fail(
      `expected a conversation file of at most 10 MiB, found ${(size / 1048576).toFixed(1)} MiB (put big payloads in a file … reference)`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return fail(`cannot read the file: ${(error as Error).message}`);
  }
  const nul = bytes.subarray(0, 8192).indexOf(0);
  if (nul >= 0) {
    const { line, column } = placeOf(bytes, nul);
    return fail(
      'expected a text file, found a NUL byte: this looks like a binary file, not a conversation',
      line,
      column,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const { line, column } = placeOf(bytes, bad);
    return fail(
      `expected UTF-8 text, found the byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')} (save the file as UTF-8)`,
      line,
      column,
    );
  }
  return parseConversationFile(text);
}

function placeOf(bytes: Buffer, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: Buffer.from(bytes.subarray(lineStart, index)).toString('utf8').length + 1 };
}

function firstInvalidUtf8(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix, by bisection (a decoder error gives no offset).
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid), { stream: true });
      decoder.decode();
      low = mid;
    } catch {
      high = mid;
    }
  }
  return low;
}

/** The `readFile` a replay needs: relative paths from the conversation file's folder, or from here for a variable's. */
export function payloadReader(conversationPath: string) {
  return async (path: string, fromVariable: boolean): Promise<Uint8Array> => {
    const full = isAbsolute(path) ? path : resolve(fromVariable ? process.cwd() : dirname(conversationPath), path);
    const handle = await open(full, 'r').catch((error: NodeJS.ErrnoException) => {
      throw new Error(`cannot read ${full}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    try {
      const info = await handle.stat();
      if (info.size > maxPayloadFileBytes) throw new Error(`${full} is larger than 16 MiB, the most one step sends`);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  };
}
