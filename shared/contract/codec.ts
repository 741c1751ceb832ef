/**
 * The WebSocket wire format for frames (Electron's IPC uses structured clone instead).
 *
 * JSON cannot carry bytes, and base64 would cost a third more size plus a copy, so a
 * frame is one binary message: a JSON head in which every Uint8Array is replaced by a
 * `{"$b": index}` marker, followed by the raw byte blocks it points to.
 *
 *   u8  version (1)
 *   u32 head length, head (UTF-8 JSON)
 *   u32 block count, then per block: u32 length, bytes
 *
 * Object keys that start with `$` are escaped by doubling the `$`, so user data can
 * never be mistaken for a marker. decodeFrame checks every length against the input
 * and throws CodecError on anything malformed: the input is untrusted.
 */

const VERSION = 1;

/**
 * The largest encoded frame browser mode carries, both ways. The biggest payloads the
 * contract accepts are well inside it: a 48 MiB SMTP send, a 16 MiB HTTP or TCP send,
 * 25 MiB of attachments beside two 10 Mi-character bodies. A bigger frame is refused
 * by the page before it is sent (the call fails saying so), and by the host before it
 * is buffered (close 1009), so a misbehaving page cannot make the host hold more.
 */
export const maxFrameBytes = 128 * 1024 * 1024;
const MARKER = '$b';

export class CodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecError';
  }
}

export function encodeFrame(frame: unknown): Uint8Array {
  const blocks: Uint8Array[] = [];
  const head = new TextEncoder().encode(JSON.stringify(pack(frame, blocks, 0)));
  let size = 1 + 4 + head.byteLength + 4;
  for (const block of blocks) size += 4 + block.byteLength;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  out[at++] = VERSION;
  view.setUint32(at, head.byteLength);
  at += 4;
  out.set(head, at);
  at += head.byteLength;
  view.setUint32(at, blocks.length);
  at += 4;
  for (const block of blocks) {
    view.setUint32(at, block.byteLength);
    at += 4;
    out.set(block, at);
    at += block.byteLength;
  }
  return out;
}

export interface DecodeOptions {
  /**
   * Blocks as views into `input` rather than copies. Only for an input that owns its
   * buffer and is not reused (a WebSocket message's own ArrayBuffer in the page): a
   * kept block then keeps that one message alive, but a flood's bytes are not copied
   * a second time (64 MiB of allocations and copies in the page for a capped session).
   */
  viewBlocks?: boolean;
}

export function decodeFrame(input: Uint8Array, options: DecodeOptions = {}): unknown {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  let at = 0;
  const need = (n: number, what: string) => {
    if (at + n > input.byteLength) throw new CodecError(`frame truncated while reading ${what}`);
  };
  need(1, 'version');
  if (input[at++] !== VERSION) throw new CodecError(`unknown frame version ${input[0]}`);
  need(4, 'head length');
  const headLength = view.getUint32(at);
  at += 4;
  need(headLength, 'head');
  let head: unknown;
  try {
    head = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(input.subarray(at, at + headLength)));
  } catch (error) {
    throw new CodecError(`frame head is not UTF-8 JSON: ${(error as Error).message}`);
  }
  at += headLength;
  need(4, 'block count');
  const count = view.getUint32(at);
  at += 4;
  // Each block needs at least its 4-byte length, which bounds the count by the input size.
  if (count > (input.byteLength - at) / 4) throw new CodecError('frame declares more blocks than it holds');
  const blocks: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    need(4, `block ${i} length`);
    const length = view.getUint32(at);
    at += 4;
    need(length, `block ${i}`);
    // By default a copy, so a block never keeps the whole frame's buffer (perhaps a pooled one) alive.
    blocks.push(options.viewBlocks ? input.subarray(at, at + length) : input.slice(at, at + length));
    at += length;
  }
  if (at !== input.byteLength) throw new CodecError(`${input.byteLength - at} stray bytes after the last block`);
  return unpack(head, blocks, 0);
}

const MAX_DEPTH = 64;

function pack(value: unknown, blocks: Uint8Array[], depth: number): unknown {
  if (depth > MAX_DEPTH) throw new CodecError('frame nests too deeply');
  if (value instanceof Uint8Array) {
    blocks.push(value);
    return { [MARKER]: blocks.length - 1 };
  }
  if (Array.isArray(value)) return value.map((item) => pack(item, blocks, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      setOwn(out, key.startsWith('$') ? `$${key}` : key, pack(item, blocks, depth + 1));
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new CodecError(`cannot encode the number ${value}`);
  }
  if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') {
    throw new CodecError(`cannot encode a ${typeof value}`);
  }
  return value;
}

function unpack(value: unknown, blocks: Uint8Array[], depth: number): unknown {
  if (depth > MAX_DEPTH) throw new CodecError('frame nests too deeply');
  if (Array.isArray(value)) return value.map((item) => unpack(item, blocks, depth + 1));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]?.[0] === MARKER) {
      const index = entries[0][1];
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= blocks.length) {
        throw new CodecError(`byte marker points to missing block ${String(index)}`);
      }
      return blocks[index];
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      if (key.startsWith('$') && !key.startsWith('$$')) throw new CodecError(`unknown marker key ${key}`);
      setOwn(out, key.startsWith('$$') ? key.slice(1) : key, unpack(item, blocks, depth + 1));
    }
    return out;
  }
  return value;
}

/** Assigning to `__proto__` would swap the object's prototype instead of adding the key. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
