/**
 * Keeps at most `limit` received bytes per session and counts the rest, so a peer that
 * sends endlessly costs bounded memory while the totals stay exact.
 */
export class ByteBudget {
  received = 0;
  kept = 0;
  dropped = 0;

  constructor(readonly limit: number) {}

  /** Records `size` more bytes and says how many of them may be kept. */
  take(size: number): number {
    this.received += size;
    const keep = Math.max(0, Math.min(size, this.limit - this.kept));
    this.kept += keep;
    this.dropped += size - keep;
    return keep;
  }

  totals() {
    return { receivedBytes: this.received, keptBytes: this.kept, droppedBytes: this.dropped, keepLimit: this.limit };
  }
}
