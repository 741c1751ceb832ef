import { describe, expect, it } from 'vitest';
import {
  answersPing,
  pingCsv,
  pingMessage,
  pingSeqOf,
  pingStatistics,
  rttEstimates,
} from '../../../../../shared/udp/client/ping';

describe('the UDP pinger', () => {
  it('writes `Ping <seq> <time>` with the time in seconds like time.time(), and accepts the uppercased echo', () => {
    const sent = pingMessage(3, 1_767_225_600_123.456);
    expect(sent).toBe('Ping 3 1767225600.123456');
    expect(answersPing('PING 3 1767225600.123456', sent)).toBe(true);
    expect(answersPing(sent, sent)).toBe(true);
    expect(answersPing('PING 2 1767225600.123456', sent)).toBe(false);
    expect(pingSeqOf('PING 12 1.5')).toBe(12);
    expect(pingSeqOf('hello')).toBeUndefined();
  });

  it('computes min, avg, max, the population standard deviation and the loss', () => {
    const stats = pingStatistics([
      { seq: 1, rttMs: 2 },
      { seq: 2, rttMs: null },
      { seq: 3, rttMs: 4 },
      { seq: 4, rttMs: 4 },
      { seq: 5, rttMs: 4 },
      { seq: 6, rttMs: 5 },
      { seq: 7, rttMs: 5 },
      { seq: 8, rttMs: 7 },
      { seq: 9, rttMs: 9 },
      { seq: 10, rttMs: null },
    ]);
    expect(stats).toEqual({
      sent: 10,
      received: 8,
      lost: 2,
      lossPercent: 20,
      minMs: 2,
      avgMs: 5,
      maxMs: 9,
      stddevMs: 2,
    });
    expect(pingStatistics([{ seq: 1, rttMs: null }])).toMatchObject({ lossPercent: 100, avgMs: undefined });
    expect(pingStatistics([])).toMatchObject({ sent: 0, lossPercent: 0 });
  });

  it('follows TCP: EstimatedRTT, DevRTT and TimeoutInterval with α = 0.125, β = 0.25, skipping lost pings', () => {
    const estimates = rttEstimates([
      { seq: 1, rttMs: 100 },
      { seq: 2, rttMs: null },
      { seq: 3, rttMs: 120 },
      { seq: 4, rttMs: 80 },
    ]);
    expect(estimates.map((e) => e.seq)).toEqual([1, 3, 4]);
    // First sample: EstimatedRTT = 100, DevRTT = 50, TimeoutInterval = 300.
    expect(estimates[0]).toEqual({ seq: 1, sampleMs: 100, estimatedMs: 100, devMs: 50, timeoutMs: 300 });
    // DevRTT = 0.75·50 + 0.25·|120 − 100| = 42.5; EstimatedRTT = 0.875·100 + 0.125·120 = 102.5.
    expect(estimates[1]?.devMs).toBeCloseTo(42.5, 9);
    expect(estimates[1]?.estimatedMs).toBeCloseTo(102.5, 9);
    expect(estimates[1]?.timeoutMs).toBeCloseTo(272.5, 9);
    // DevRTT = 0.75·42.5 + 0.25·|80 − 102.5| = 37.5; EstimatedRTT = 0.875·102.5 + 0.125·80 = 99.6875.
    expect(estimates[2]?.devMs).toBeCloseTo(37.5, 9);
    expect(estimates[2]?.estimatedMs).toBeCloseTo(99.6875, 9);
    expect(estimates[2]?.timeoutMs).toBeCloseTo(249.6875, 9);
  });

  it('exports the samples and estimates as CSV', () => {
    const csv = pingCsv([
      { seq: 1, rttMs: 100 },
      { seq: 2, rttMs: null },
    ]);
    expect(csv).toBe(
      'seq,rtt_ms,lost,estimated_rtt_ms,dev_rtt_ms,timeout_interval_ms\r\n' +
        '1,100.000,no,100.000,50.000,300.000\r\n' +
        '2,,yes,,,\r\n',
    );
  });
});
