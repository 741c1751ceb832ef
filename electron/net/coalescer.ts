export interface CoalescerOptions<T> {
  /** At most one flush per this many ms while items keep coming. */
  intervalMs: number;
  /** Flush at once when this many bytes are pending. */
  maxBytes: number;
  /** Flush at once when this many items are pending. */
  maxItems: number;
  flush: (items: T[]) => void;
}

export const defaultCoalescing = { intervalMs: 25, maxBytes: 256 * 1024, maxItems: 1024 } as const;

/**
 * Turns a fast stream of small happenings into a few events: the first item after a
 * quiet spell goes out on the next turn of the event loop (so a single reply is not
 * delayed), later ones are gathered and sent at most once per interval, or sooner
 * when enough bytes or items are waiting. A flood therefore costs a bounded number of
 * events per second, and memory bounded by `maxBytes`/`maxItems`.
 */
export class Coalescer<T> {
  private items: T[] = [];
  private bytes = 0;
  private lastFlush = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(private readonly options: CoalescerOptions<T>) {}

  get pending(): number {
    return this.items.length;
  }

  /**
   * `prompt` marks an item someone is waiting for (the reply to a send): it goes out on
   * the next turn even within the interval, or a request/reply loop faster than the
   * interval would wait for the timer every time. Replies come at most one per send, so
   * this cannot flood the UI the way a stream could.
   */
  push(item: T, bytes = 0, prompt = false): void {
    if (this.closed) return;
    this.items.push(item);
    this.bytes += bytes;
    if (this.bytes >= this.options.maxBytes || this.items.length >= this.options.maxItems) {
      this.flush();
      return;
    }
    this.schedule(prompt);
  }

  /** Asks for a flush without adding an item (e.g. counters changed). */
  touch(): void {
    if (!this.closed) this.schedule();
  }

  /** Sends whatever is pending now; call before an event that must come after the data. */
  flush(): void {
    this.cancelTimers();
    this.lastFlush = performance.now();
    const items = this.items;
    this.items = [];
    this.bytes = 0;
    this.options.flush(items);
  }

  /** Flushes what is pending and stops. */
  close(): void {
    if (this.closed) return;
    if (this.items.length > 0 || this.timer || this.immediate) this.flush();
    this.cancelTimers();
    this.closed = true;
  }

  private schedule(prompt = false): void {
    if (this.immediate) return;
    const wait = prompt ? 0 : this.lastFlush + this.options.intervalMs - performance.now();
    if (this.timer) {
      if (wait > 0) return;
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (wait <= 0) {
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        this.flush();
      });
    } else {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, Math.ceil(wait));
    }
  }

  private cancelTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}
