import { z } from 'zod';

/**
 * An emulated link in front of a built-in server, so loopback behaves like a network:
 * one-way delay each way, jitter, loss (UDP only) and a bandwidth. Emulated on the Node
 * side with real sockets (reads and writes are held back, datagrams dropped); the logs
 * say so on every line it touched. Plain data and pure helpers only.
 */

const maxDelayMs = 60_000;

function milliseconds(what: string) {
  return z
    .number({ message: `${what} must be a number of milliseconds` })
    .min(0, { message: `${what} cannot be negative` })
    .max(maxDelayMs, { message: `${what} can be at most ${maxDelayMs} ms (one minute)` });
}

export const emulatedLink = z
  .object({
    /** One-way delay from the client to the server. */
    delayMs: milliseconds('the delay'),
    /** One-way delay from the server back to the client; the same as `delayMs` when left out. */
    returnDelayMs: milliseconds('the return delay').optional(),
    /** Each crossing's delay varies by up to ± this (never below zero; TCP bytes stay in order). */
    jitterMs: milliseconds('the jitter').default(0),
    /** UDP only: each datagram arriving at the server is dropped with this probability (TCP recovers loss itself). */
    lossPercent: z
      .number({ message: 'the loss must be a percentage' })
      .min(0, { message: 'the loss cannot be negative' })
      .max(100, { message: 'the loss can be at most 100 %' })
      .default(0),
    /** Bytes per second each way (the transmission time L/R); null: no limit. */
    bandwidthBytesPerSecond: z
      .number({ message: 'the bandwidth must be a number of bytes per second' })
      .positive({ message: 'the bandwidth must be more than 0 bytes/s (leave it empty for no limit)' })
      .max(10 * 1024 ** 3, { message: 'the bandwidth can be at most 10 GiB/s' })
      .nullable()
      .default(null),
    /** Seeds the loss and jitter draws, so a run can be repeated. */
    seed: z.number().int().min(0).max(0xffff_ffff).default(1),
  })
  .strict();
export type EmulatedLink = z.infer<typeof emulatedLink>;
export type EmulatedLinkInput = z.input<typeof emulatedLink>;

/** The link field of a start request and of a running server's link change: null (or left out) is no link. */
export const linkSetting = emulatedLink.nullable();

/** The one-way delay from the server back to the client. */
export function returnDelayOf(link: EmulatedLink): number {
  return link.returnDelayMs ?? link.delayMs;
}

/** Does the link change anything at all? */
export function linkIsIdle(link: EmulatedLink): boolean {
  return (
    link.delayMs === 0 &&
    returnDelayOf(link) === 0 &&
    link.jitterMs === 0 &&
    link.lossPercent === 0 &&
    link.bandwidthBytesPerSecond === null
  );
}

/** The badge's text: `50 ms each way · ±5 ms · 30 % loss · 1 MiB/s`. */
export function describeLink(link: EmulatedLink, protocol: 'TCP' | 'UDP' = 'UDP'): string {
  const back = returnDelayOf(link);
  const parts = [back === link.delayMs ? `${link.delayMs} ms each way` : `${link.delayMs} ms in, ${back} ms out`];
  if (link.jitterMs > 0) parts.push(`±${link.jitterMs} ms jitter`);
  if (link.lossPercent > 0 && protocol === 'UDP') parts.push(`${link.lossPercent} % loss`);
  if (link.bandwidthBytesPerSecond !== null) parts.push(formatRate(link.bandwidthBytesPerSecond));
  return parts.join(' · ');
}

function formatRate(bytesPerSecond: number): string {
  const mib = 1024 * 1024;
  if (bytesPerSecond >= mib && bytesPerSecond % (mib / 1024) === 0)
    return `${+(bytesPerSecond / mib).toFixed(3)} MiB/s`;
  if (bytesPerSecond >= 1024 && bytesPerSecond % 1024 === 0) return `${bytesPerSecond / 1024} KiB/s`;
  return `${bytesPerSecond} bytes/s`;
}

/** mulberry32: a small, fast seeded generator of numbers in [0, 1); the same seed gives the same draws. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A server's log line: the link in use from now on (at start, or changed while running: new traffic only). */
export const linkEntry = z.object({
  at: z.number(),
  mono: z.number(),
  kind: z.literal('link'),
  link: linkSetting,
  /** Set while running: it applies to new traffic, what is already on the link keeps its timing. */
  changed: z.boolean(),
});
export type LinkEntry = z.infer<typeof linkEntry>;

/** How long the link held a read or a write back, on the log entry that it touched. */
export const linkDelayMs = z.number().nonnegative().optional();
