/** Rejects with a message naming `what` when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export interface Percentiles {
  n: number;
  p50: number;
  p99: number;
}

/** Nearest-rank percentiles of durations in ms. */
export function percentiles(samples: readonly number[]): Percentiles {
  if (samples.length === 0) throw new Error('no samples to take percentiles of');
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  return { n: sorted.length, p50: at(50), p99: at(99) };
}

export interface MemoryPeak {
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
}

/**
 * Samples this process's memory on a timer and keeps the peak of each figure. A
 * timer can only fire between I/O callbacks, so a peak shorter than the interval may
 * be missed; 5 ms is short next to anything that holds megabytes.
 */
export class MemorySampler {
  private peak: MemoryPeak = current();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 5) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): MemoryPeak {
    const now = current();
    this.peak = {
      rss: Math.max(this.peak.rss, now.rss),
      heapUsed: Math.max(this.peak.heapUsed, now.heapUsed),
      arrayBuffers: Math.max(this.peak.arrayBuffers, now.arrayBuffers),
    };
    return now;
  }

  /** Starts a new peak from what the process holds now (after a GC when exposed, so old garbage does not count). */
  reset(): MemoryPeak {
    globalThis.gc?.();
    this.peak = current();
    return this.peak;
  }

  read(): { peak: MemoryPeak; now: MemoryPeak } {
    const now = this.sample();
    return { peak: { ...this.peak }, now };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function current(): MemoryPeak {
  const { rss, heapUsed, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, arrayBuffers };
}

export const MiB = 1024 * 1024;
