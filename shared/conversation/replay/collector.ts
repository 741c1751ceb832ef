import { emptyReply, type Reply } from '../checks';

/** How long a step waits for its reply, and when it may stop early. */
export interface WaitPlan {
  timeoutMs: number;
  /** A reply has ended once no byte came for this long (unless the step waits for a close). */
  settleMs: number;
  /** A `closed` check: keep waiting for the close rather than stopping at `settleMs`. */
  waitForClose: boolean;
  /** A `no-reply` check: wait this long for nothing, stop at the first byte. */
  noReplyMs: number | undefined;
  /** All checks pass on this reply already: stop waiting. */
  satisfied: (reply: Reply) => boolean;
}

/** Most of a reply kept for the checks; the rest is counted (a reply far larger than expected stays bounded). */
export const maxReplyBytes = 1024 * 1024;

/**
 * Gathers a stream's bytes (TCP, UDP datagrams) into the current step's reply and
 * decides when the step has its reply. Every wait ends by its deadline.
 */
export class ReplyCollector {
  private reply: Reply = emptyReply();
  private chunks: Uint8Array[] = [];
  private kept = 0;
  private startedAt = Date.now();
  private lastByteAt: number | undefined;
  private wake: (() => void) | undefined;
  private closedForGood = false;

  /** A new step starts now (its send is about to go out). */
  reset(): void {
    this.reply = emptyReply();
    this.reply.closed = this.closedForGood;
    this.chunks = [];
    this.kept = 0;
    this.startedAt = Date.now();
    this.lastByteAt = undefined;
  }

  add(data: Uint8Array, size = data.byteLength): void {
    const now = Date.now();
    if (this.reply.firstByteMs === undefined) this.reply.firstByteMs = now - this.startedAt;
    this.lastByteAt = now;
    const room = Math.max(0, maxReplyBytes - this.kept);
    const keep = data.byteLength <= room ? data : data.subarray(0, room);
    if (keep.byteLength > 0) {
      this.chunks.push(keep.slice());
      this.kept += keep.byteLength;
    }
    this.reply.droppedBytes += size - keep.byteLength;
    this.wake?.();
  }

  markClosed(): void {
    this.closedForGood = true;
    this.reply.closed = true;
    this.wake?.();
  }

  get closed(): boolean {
    return this.closedForGood;
  }

  current(): Reply {
    if (this.chunks.length > 1) {
      const joined = new Uint8Array(this.kept);
      let offset = 0;
      for (const chunk of this.chunks) {
        joined.set(chunk, offset);
        offset += chunk.byteLength;
      }
      this.chunks = [joined];
    }
    this.reply.bytes = this.chunks[0] ?? new Uint8Array(0);
    return this.reply;
  }

  wait(plan: WaitPlan, signal?: AbortSignal): Promise<Reply> {
    return new Promise((resolve) => {
      const deadline = this.startedAt + plan.timeoutMs;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = () => {
        this.wake = undefined;
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        resolve(this.current());
      };
      const evaluate = () => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        const now = Date.now();
        const reply = this.current();
        const got = reply.firstByteMs !== undefined;
        if (signal?.aborted || now >= deadline || reply.closed) return finish();
        let next = deadline;
        if (plan.noReplyMs !== undefined) {
          if (got) return finish();
          if (now >= this.startedAt + plan.noReplyMs) return finish();
          next = Math.min(next, this.startedAt + plan.noReplyMs);
        } else if (got) {
          if (plan.satisfied(reply)) return finish();
          if (!plan.waitForClose && this.lastByteAt !== undefined) {
            if (now - this.lastByteAt >= plan.settleMs) return finish();
            next = Math.min(next, this.lastByteAt + plan.settleMs);
          }
        }
        timer = setTimeout(evaluate, Math.max(1, next - now));
      };
      this.wake = evaluate;
      signal?.addEventListener('abort', finish, { once: true });
      evaluate();
    });
  }
}
