/**
 * "0.42 ms", "12.3 ms", "345 ms", "1.20 s", "12.3 s", "2 min 05 s", "1 h 02 min":
 * three significant digits, which is as much as loopback timings carry.
 * Durations below 0.005 ms read "< 0.01 ms" rather than a misleading "0.00 ms".
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return `${ms} ms`;
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === 0) return '0 ms';
  if (ms < 0.005) return '< 0.01 ms';
  // Decide on the rounded value so that 9.996 ms reads "10.0 ms" and 999.7 ms reads "1.00 s".
  if (round(ms, 2) < 10) return `${round(ms, 2).toFixed(2)} ms`;
  if (round(ms, 1) < 100) return `${round(ms, 1).toFixed(1)} ms`;
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (round(s, 2) < 10) return `${round(s, 2).toFixed(2)} s`;
  if (round(s, 1) < 60) return `${round(s, 1).toFixed(1)} s`;
  const totalSeconds = Math.round(s);
  if (totalSeconds < 3600) {
    return `${Math.floor(totalSeconds / 60)} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  }
  const totalMinutes = Math.round(s / 60);
  return `${Math.floor(totalMinutes / 60)} h ${String(totalMinutes % 60).padStart(2, '0')} min`;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
