import type { Session } from '../service';

/** Past this many bytes queued for the page, a socket feeding it events stops reading. */
export const defaultPageHighWaterBytes = 8 * 1024 * 1024;

export interface ReadPauseOptions {
  /** Pause reading once the page's backlog is above this. */
  highWaterBytes: number;
  /** Resume once it is down to this. */
  lowWaterBytes: number;
  /** How often the backlog is looked at while paused. */
  pollMs: number;
}

export function readPauseOptions(highWaterBytes = defaultPageHighWaterBytes): ReadPauseOptions {
  return { highWaterBytes, lowWaterBytes: Math.floor(highWaterBytes / 4), pollMs: 10 };
}

/**
 * Backpressure from the page to a socket: when the events already sent to the page
 * pile up (it cannot take them in as fast as the network brings them), the socket stops
 * reading, so the kernel's receive buffer fills and TCP's own flow control (a zero
 * window) slows the sender; once the page has caught up, reading resumes. Nothing is
 * dropped and the page stays connected, where before it was cut off (close 1008).
 * Over Electron IPC the backlog is always 0, so this never pauses there.
 */
export class ReadPause {
  private pausedAt: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly session: Session,
    private readonly socket: { pause(): unknown; resume(): unknown },
    private readonly options: ReadPauseOptions,
    /** Told when reading stops and starts again, with the backlog at that moment. */
    private readonly changed: (change: { paused: boolean; queuedBytes: number; pausedMs: number }) => void,
  ) {}

  get paused(): boolean {
    return this.pausedAt !== undefined;
  }

  /** Call after sending the page an event. */
  check(): void {
    if (this.paused) return;
    const queued = this.session.backlog;
    if (queued <= this.options.highWaterBytes) return;
    this.socket.pause();
    this.pausedAt = performance.now();
    this.changed({ paused: true, queuedBytes: queued, pausedMs: 0 });
    this.poll();
  }

  /** Stops watching; a paused socket is left paused (its owner is closing it). */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pausedAt = undefined;
  }

  private poll(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pausedAt === undefined) return;
      const queued = this.session.backlog;
      if (queued > this.options.lowWaterBytes && !this.session.signal.aborted) {
        this.poll();
        return;
      }
      const pausedMs = performance.now() - this.pausedAt;
      this.pausedAt = undefined;
      this.socket.resume();
      this.changed({ paused: false, queuedBytes: queued, pausedMs });
    }, this.options.pollMs);
  }
}
