import { monoNow, roundMs } from './clock';

interface Wait {
  seq: number;
  key: string;
  sentMono: number;
  timer: NodeJS.Timeout;
}

/**
 * Deadlines for "a reply should come back": each send that asks for one registers a
 * wait; the first bytes from the same peer answer the oldest wait (and give its
 * round-trip time); a wait that runs out calls `onExpire`. Nothing here blocks a call,
 * so the user can keep typing and cancel the countdown with `cancel`.
 */
export class ReplyWaits {
  private readonly waits: Wait[] = [];

  add(seq: number, key: string, sentMono: number, timeoutMs: number, onExpire: () => void): number {
    const timer = setTimeout(() => {
      this.remove(seq);
      onExpire();
    }, timeoutMs);
    this.waits.push({ seq, key, sentMono, timer });
    return sentMono + timeoutMs;
  }

  /** The oldest wait for `key` is answered now: its send's seq and the round trip. */
  answer(key: string, receivedMono = monoNow()): { seq: number; rttMs: number } | undefined {
    const index = this.waits.findIndex((wait) => wait.key === key);
    if (index < 0) return undefined;
    const [wait] = this.waits.splice(index, 1);
    if (!wait) return undefined;
    clearTimeout(wait.timer);
    return { seq: wait.seq, rttMs: roundMs(receivedMono - wait.sentMono) };
  }

  /** Stops one wait, or all of them; returns the seqs that were still waiting. */
  cancel(seq?: number): number[] {
    const cancelled: number[] = [];
    for (const wait of [...this.waits]) {
      if (seq !== undefined && wait.seq !== seq) continue;
      this.remove(wait.seq);
      cancelled.push(wait.seq);
    }
    return cancelled;
  }

  private remove(seq: number): void {
    const index = this.waits.findIndex((wait) => wait.seq === seq);
    if (index < 0) return;
    const [wait] = this.waits.splice(index, 1);
    if (wait) clearTimeout(wait.timer);
  }
}
