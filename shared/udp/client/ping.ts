/**
 * The textbook's UDP pinger, as pure computation: the message `Ping <seq> <time>`, which
 * reply answers which ping, the statistics (min / avg / max / standard deviation of the
 * RTT, loss) and, over the same samples, TCP's EstimatedRTT, DevRTT and TimeoutInterval.
 */

export const defaultPingCount = 10;
export const maxPingCount = 1000;
/** The assignment's `clientSocket.settimeout(1)`. */
export const pingTimeoutMs = 1000;
/** TCP's weights (RFC 6298, the textbook): α for EstimatedRTT, β for DevRTT. */
export const rttAlpha = 0.125;
export const rttBeta = 0.25;

/** `Ping 3 1767225600.123456`: the sequence number and the send time in seconds, like Python's `time.time()`. */
export function pingMessage(seq: number, epochMs: number): string {
  return `Ping ${seq} ${(epochMs / 1000).toFixed(6)}`;
}

/**
 * Does `reply` answer the ping `sent`? The assignment's server sends the same text
 * uppercased (`PING 3 1767225600.123456`); an echo server sends it unchanged.
 */
export function answersPing(reply: string, sent: string): boolean {
  return reply === sent.toUpperCase() || reply === sent;
}

/** The sequence number a reply names (`PING 3 …`), if it looks like a ping at all. */
export function pingSeqOf(reply: string): number | undefined {
  const match = /^ping (\d+) /i.exec(reply);
  return match ? Number(match[1]) : undefined;
}

/** One ping's outcome: its RTT, or null when it timed out ("Request timed out"). */
export interface PingSample {
  readonly seq: number;
  readonly rttMs: number | null;
}

export interface PingStatistics {
  readonly sent: number;
  readonly received: number;
  readonly lost: number;
  /** Lost / sent × 100; 0 when nothing was sent. */
  readonly lossPercent: number;
  /** Over the answered pings; undefined when none was answered. */
  readonly minMs: number | undefined;
  readonly avgMs: number | undefined;
  readonly maxMs: number | undefined;
  /** The population standard deviation (like ping's mdev): √(Σ(x − avg)² / n). */
  readonly stddevMs: number | undefined;
}

export function pingStatistics(samples: readonly PingSample[]): PingStatistics {
  const rtts = samples.flatMap((sample) => (sample.rttMs === null ? [] : [sample.rttMs]));
  const sent = samples.length;
  const received = rtts.length;
  const lost = sent - received;
  const lossPercent = sent === 0 ? 0 : (lost / sent) * 100;
  if (received === 0) {
    return {
      sent,
      received,
      lost,
      lossPercent,
      minMs: undefined,
      avgMs: undefined,
      maxMs: undefined,
      stddevMs: undefined,
    };
  }
  const avgMs = rtts.reduce((sum, rtt) => sum + rtt, 0) / received;
  const variance = rtts.reduce((sum, rtt) => sum + (rtt - avgMs) ** 2, 0) / received;
  return {
    sent,
    received,
    lost,
    lossPercent,
    minMs: Math.min(...rtts),
    avgMs,
    maxMs: Math.max(...rtts),
    stddevMs: Math.sqrt(variance),
  };
}

/** TCP's estimate after one more SampleRTT. */
export interface RttEstimate {
  readonly seq: number;
  readonly sampleMs: number;
  readonly estimatedMs: number;
  readonly devMs: number;
  readonly timeoutMs: number;
}

/**
 * EstimatedRTT, DevRTT and TimeoutInterval after each answered ping, in order. Lost pings
 * give no SampleRTT (as TCP takes none for a retransmitted segment). The first sample
 * starts them as RFC 6298 does: EstimatedRTT = SampleRTT, DevRTT = SampleRTT / 2. Then
 *   DevRTT = (1 − β)·DevRTT + β·|SampleRTT − EstimatedRTT|   (with the EstimatedRTT so far)
 *   EstimatedRTT = (1 − α)·EstimatedRTT + α·SampleRTT
 *   TimeoutInterval = EstimatedRTT + 4·DevRTT
 */
export function rttEstimates(samples: readonly PingSample[], alpha = rttAlpha, beta = rttBeta): RttEstimate[] {
  const out: RttEstimate[] = [];
  let estimated: number | undefined;
  let dev = 0;
  for (const { seq, rttMs } of samples) {
    if (rttMs === null) continue;
    if (estimated === undefined) {
      estimated = rttMs;
      dev = rttMs / 2;
    } else {
      dev = (1 - beta) * dev + beta * Math.abs(rttMs - estimated);
      estimated = (1 - alpha) * estimated + alpha * rttMs;
    }
    out.push({ seq, sampleMs: rttMs, estimatedMs: estimated, devMs: dev, timeoutMs: estimated + 4 * dev });
  }
  return out;
}

/** The samples and estimates as CSV for a lab report (RFC 4180, CRLF line ends, ms with 3 decimals). */
export function pingCsv(samples: readonly PingSample[]): string {
  const estimates = new Map(rttEstimates(samples).map((estimate) => [estimate.seq, estimate]));
  const ms = (value: number | undefined) => (value === undefined ? '' : value.toFixed(3));
  const rows = [['seq', 'rtt_ms', 'lost', 'estimated_rtt_ms', 'dev_rtt_ms', 'timeout_interval_ms']];
  for (const sample of samples) {
    const estimate = estimates.get(sample.seq);
    rows.push([
      String(sample.seq),
      ms(sample.rttMs ?? undefined),
      sample.rttMs === null ? 'yes' : 'no',
      ms(estimate?.estimatedMs),
      ms(estimate?.devMs),
      ms(estimate?.timeoutMs),
    ]);
  }
  return rows.map((row) => row.join(',')).join('\r\n') + '\r\n';
}
