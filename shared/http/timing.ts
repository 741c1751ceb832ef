/**
 * The textbook's timing of fetching a page and the N objects it references, for the four
 * ways HTTP/1.x can do it (Kurose & Ross, 2.2.2): non-persistent one at a time,
 * non-persistent with k parallel connections, persistent without pipelining, persistent
 * with pipelining. Pure: given the RTT, the sizes and the bandwidth, the predicted total,
 * the connections opened and the requests per connection.
 */

export const experimentModes = ['serial', 'parallel', 'persistent', 'pipelined'] as const;
export type ExperimentMode = (typeof experimentModes)[number];

export const experimentModeLabels: Record<ExperimentMode, string> = {
  serial: 'Non-persistent, serial',
  parallel: 'Non-persistent, parallel',
  persistent: 'Persistent, no pipelining',
  pipelined: 'Persistent, pipelined',
};

export interface TimingInputs {
  /** The round-trip time, measured. */
  readonly rttMs: number;
  /** The base HTML page's response size, bytes. */
  readonly baseBytes: number;
  /** Each referenced object's response size, bytes. */
  readonly objectBytes: readonly number[];
  /** The link's rate (L/R is the transmission time); null: no limit, transmission counts as 0. */
  readonly bandwidthBytesPerSecond: number | null;
  /** k, the parallel connections of the 'parallel' mode. */
  readonly parallel: number;
}

export interface Prediction {
  readonly totalMs: number;
  readonly connections: number;
  readonly requestsPerConnection: number;
  /** How the total was worked out, in the textbook's terms. */
  readonly formula: string;
}

/** L/R: the time to push `bytes` onto the link. */
export function transmitMs(bytes: number, bandwidthBytesPerSecond: number | null): number {
  return bandwidthBytesPerSecond === null ? 0 : (bytes * 1000) / bandwidthBytesPerSecond;
}

/**
 * The textbook's prediction: 2 RTT + transmit per object on a new connection (one RTT
 * for the handshake, one for the request); 1 RTT + transmit per object after the first
 * on a kept connection; about 1 RTT for all the objects pipelined. The base page always
 * costs 2 RTT + its transmission (it is what the client learns the objects from).
 */
export function predict(mode: ExperimentMode, inputs: TimingInputs): Prediction {
  const { rttMs: rtt, objectBytes, bandwidthBytesPerSecond: rate } = inputs;
  const n = objectBytes.length;
  const t = (bytes: number) => transmitMs(bytes, rate);
  const base = 2 * rtt + t(inputs.baseBytes);
  const allObjects = objectBytes.reduce((sum, bytes) => sum + t(bytes), 0);
  const k = Math.max(1, Math.floor(inputs.parallel));
  switch (mode) {
    case 'serial':
      return {
        totalMs: base + 2 * rtt * n + allObjects,
        connections: n + 1,
        requestsPerConnection: 1,
        formula: `(N + 1) × (2 RTT + L/R) = ${n + 1} × 2 RTT + transmit`,
      };
    case 'parallel': {
      const rounds = Math.ceil(n / k);
      // The k connections share the link: a round's transmissions add up.
      return {
        totalMs: base + 2 * rtt * rounds + allObjects,
        connections: n + 1,
        requestsPerConnection: 1,
        formula: `2 RTT + ⌈N / k⌉ × 2 RTT + transmit = ${1 + rounds} × 2 RTT + transmit (k = ${k})`,
      };
    }
    case 'persistent':
      return {
        totalMs: base + rtt * n + allObjects,
        connections: 1,
        requestsPerConnection: n + 1,
        formula: `2 RTT + N × (RTT + L/R) = ${2 + n} RTT + transmit`,
      };
    case 'pipelined':
      return {
        totalMs: base + (n > 0 ? rtt : 0) + allObjects,
        connections: 1,
        requestsPerConnection: n + 1,
        formula: `2 RTT + 1 RTT for all N + transmit = ${n > 0 ? 3 : 2} RTT + transmit`,
      };
  }
}

/** One sentence on why the measured total differs from the prediction (or that it does not, much). */
export function explainDifference(
  mode: ExperimentMode,
  measuredMs: number,
  predictedMs: number,
  rttMs: number,
): string {
  const difference = measuredMs - predictedMs;
  const ms = `${Math.abs(Math.round(difference))} ms`;
  const tolerance = Math.max(5, predictedMs * 0.05);
  if (Math.abs(difference) <= tolerance)
    return `Within ${ms} of the textbook: the link's delay dominates; the rest is processing at both ends and timers firing on whole milliseconds.`;
  if (difference > 0) {
    const why: Record<ExperimentMode, string> = {
      serial:
        'each of the connections also pays its setup in the app and the server, and timers that fire on whole milliseconds',
      parallel:
        'the k connections are set up and served one after another by one client and one server process, not truly at once',
      persistent: 'each request also waits for the previous response to be read and the next one composed',
      pipelined:
        'the server still answers the pipelined requests one after another (HTTP/1.1 keeps them in order), and large responses queue on the link',
    };
    return `${ms} slower than the textbook (${(difference / Math.max(rttMs, 1)).toFixed(1)} RTT): ${why[mode]}.`;
  }
  const why: Record<ExperimentMode, string> = {
    serial: 'the requests overlapped slightly with the previous connection closing',
    parallel: 'the client starts the next request as soon as any connection is free, not in whole rounds of k',
    persistent: 'the connection was already warm',
    pipelined: 'the responses overlapped on the link',
  };
  return `${ms} faster than the textbook: ${why[mode]}.`;
}
