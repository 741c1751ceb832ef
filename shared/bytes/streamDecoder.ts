import { utf8SequenceAt } from './utf8';
import { appendVisibleSegments, mergeTextSegments, type VisibleSegment } from './visibleSegments';

export interface StreamDecoder {
  /**
   * Segments for this chunk. A character split across chunks is held back
   * (at most 3 bytes) and emitted whole with the next chunk. Segments view the
   * chunk's memory: do not modify a chunk after pushing it.
   */
  push(chunk: Uint8Array): VisibleSegment[];
  /**
   * Like push, but only follows where characters split (`pendingBytes` ends as after
   * push): no segments, no strings. For a view that shows a chunk later, or never.
   */
  skip(chunk: Uint8Array): void;
  /** Flushes held bytes (an unfinished character is reported invalid) and resets the decoder for reuse. */
  end(): VisibleSegment[];
  /** How many bytes are held back waiting for the rest of a character. */
  readonly pendingBytes: number;
}

/**
 * Streaming UTF-8 for received chunks. Whatever the chunk boundaries, the
 * output is the same as toVisibleSegments on the whole stream once neighbouring
 * text segments are merged (mergeTextSegments): never a garbled character, and
 * truly invalid bytes come out as `invalid` segments rather than a silent U+FFFD.
 */
export function createStreamDecoder(): StreamDecoder {
  let pending: Uint8Array = new Uint8Array(0);

  function push(chunk: Uint8Array): VisibleSegment[] {
    const out: VisibleSegment[] = [];
    let start = 0;
    if (pending.length > 0) {
      // The held bytes are a valid prefix, so completing (or refuting) them needs at most 3 more bytes.
      const joined = new Uint8Array(pending.length + Math.min(chunk.length, 4 - pending.length));
      joined.set(pending);
      joined.set(chunk.subarray(0, joined.length - pending.length), pending.length);
      const length = utf8SequenceAt(joined, 0, joined.length);
      if (length === 0) {
        pending = joined;
        return out;
      }
      const taken = Math.abs(length);
      appendVisibleSegments(joined.subarray(0, taken), 0, taken, true, out);
      start = taken - pending.length;
      pending = new Uint8Array(0);
    }
    const stop = appendVisibleSegments(chunk, start, chunk.length, false, out);
    if (stop < chunk.length) pending = chunk.slice(stop);
    // Only the character completed from held bytes can sit next to another text segment.
    return start > 0 ? mergeTextSegments(out) : out;
  }

  function skip(chunk: Uint8Array): void {
    let start = 0;
    if (pending.length > 0) {
      const joined = new Uint8Array(pending.length + Math.min(chunk.length, 4 - pending.length));
      joined.set(pending);
      joined.set(chunk.subarray(0, joined.length - pending.length), pending.length);
      const length = utf8SequenceAt(joined, 0, joined.length);
      if (length === 0) {
        pending = joined;
        return;
      }
      start = Math.abs(length) - pending.length;
      pending = new Uint8Array(0);
    }
    // Every byte that is not a continuation byte (10xxxxxx) starts a sequence, so only
    // the last one can be unfinished, and an unfinished one is at most 3 bytes long.
    for (let i = chunk.length - 1; i >= Math.max(start, chunk.length - 3); i--) {
      if (((chunk[i] as number) & 0xc0) === 0x80) continue;
      if (utf8SequenceAt(chunk, i, chunk.length) === 0) pending = chunk.slice(i);
      return;
    }
  }

  function end(): VisibleSegment[] {
    const out: VisibleSegment[] = [];
    appendVisibleSegments(pending, 0, pending.length, true, out);
    pending = new Uint8Array(0);
    return out;
  }

  return {
    push,
    skip,
    end,
    get pendingBytes() {
      return pending.length;
    },
  };
}
