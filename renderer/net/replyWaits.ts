import type { Wait } from './session';

/** A chunk or datagram that arrived; `reply` is set when it answers a send that awaited one. */
interface Received {
  readonly reply?: { readonly seq: number } | undefined;
}

/**
 * The reply waits left once `received` came. The same array when none of it answers a
 * send (most chunks of a stream, a flood of datagrams), so the panel's state and its
 * view stay as they are.
 */
export function withoutAnswered(waits: readonly Wait[], received: readonly Received[]): readonly Wait[] {
  const answered = new Set(received.flatMap((item) => (item.reply ? [item.reply.seq] : [])));
  return answered.size > 0 ? waits.filter((wait) => !answered.has(wait.seq ?? -1)) : waits;
}

/** The reply waits left after the Cancel beside one of them (`seq`), or after cancelling all (undefined). */
export function withoutCancelled(waits: readonly Wait[], seq: number | undefined): readonly Wait[] {
  return waits.filter((wait) => seq !== undefined && wait.seq !== seq);
}
