import { mergeDataEvents } from '../../../../../shared/http/parse/collect';
import type { ParseEvent } from '../../../../../shared/http/parse/events';
import { createRequestParser, type RequestParserOptions } from '../../../../../shared/http/parse/requestParser';
import { createResponseParser, type ResponseParserOptions } from '../../../../../shared/http/parse/responseParser';
import { seededRandom } from '../../../../support/random';

export const encoder = new TextEncoder();

/** Bytes of a string whose characters are all below U+0100 (so "\xff" is one byte 0xFF), or UTF-8 when asked. */
export function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new Error(`latin1() got U+${c.toString(16)}; use encoder.encode for UTF-8`);
    out[i] = c;
  }
  return out;
}

export function text(bytes: Uint8Array | null): string {
  return bytes === null ? '<null>' : String.fromCharCode(...bytes);
}

/** Cuts at the given offsets (sorted, inside the input). */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    // Copies, so that no test passes only because chunks share a buffer.
    out.push(bytes.slice(start, cut));
    start = cut;
  }
  return out;
}

export function everyChunkSize(bytes: Uint8Array, size: number): Uint8Array[] {
  const cuts: number[] = [];
  for (let cut = size; cut < bytes.length; cut += size) cuts.push(cut);
  return splitAt(bytes, cuts);
}

export function randomCuts(bytes: Uint8Array, seed: number): number[] {
  const random = seededRandom(seed);
  const cuts = new Set<number>();
  const count = Math.floor(random() * Math.min(12, bytes.length));
  for (let i = 0; i < count; i++) cuts.add(1 + Math.floor(random() * Math.max(1, bytes.length - 1)));
  return [...cuts].filter((cut) => cut < bytes.length).sort((a, b) => a - b);
}

export function runResponses(
  chunks: readonly Uint8Array[],
  options: ResponseParserOptions & { closed?: boolean } = {},
): ParseEvent<unknown>[] {
  const parser = createResponseParser(options);
  const events: ParseEvent<unknown>[] = [];
  for (const chunk of chunks) events.push(...parser.push(chunk));
  if (options.closed ?? true) events.push(...parser.end());
  return events;
}

export function runRequests(
  chunks: readonly Uint8Array[],
  options: RequestParserOptions & { closed?: boolean } = {},
): ParseEvent<unknown>[] {
  const parser = createRequestParser(options);
  const events: ParseEvent<unknown>[] = [];
  for (const chunk of chunks) events.push(...parser.push(chunk));
  if (options.closed ?? true) events.push(...parser.end());
  return events;
}

/** A string that is equal for equal event lists (data events merged, bytes as latin1 text). */
export function canonical(events: readonly ParseEvent<unknown>[]): string {
  return JSON.stringify(mergeDataEvents(events), (_key, value) =>
    value instanceof Uint8Array ? `bytes:${text(value)}` : value,
  );
}
