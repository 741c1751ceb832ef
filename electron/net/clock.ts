import { performance } from 'node:perf_hooks';
import type { Stamp } from '../../shared/net/contract';

/** Wall clock for people and files, monotonic clock for durations (see `stamp` in the contract). */
export function stamp(): Stamp {
  return { at: Date.now(), mono: performance.now() };
}

export function monoNow(): number {
  return performance.now();
}

/** Round to 0.001 ms: enough for a loopback round trip, and stable in saved transcripts. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export function formatSeconds(ms: number): string {
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  if (ms < 1000) return `${ms} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
