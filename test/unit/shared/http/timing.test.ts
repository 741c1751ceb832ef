import { describe, expect, it } from 'vitest';
import { explainDifference, predict, transmitMs } from '../../../../shared/http/timing';

const inputs = {
  rttMs: 100,
  baseBytes: 1000,
  objectBytes: [10_000, 10_000, 10_000, 10_000],
  bandwidthBytesPerSecond: null,
  parallel: 2,
};

describe('the textbook HTTP timing', () => {
  it('charges 2 RTT per object without a kept connection', () => {
    expect(predict('serial', inputs)).toMatchObject({ totalMs: 1000, connections: 5, requestsPerConnection: 1 });
  });

  it('runs the objects in rounds of k with parallel connections', () => {
    expect(predict('parallel', inputs).totalMs).toBe(200 + 2 * 200);
    expect(predict('parallel', { ...inputs, parallel: 3 }).totalMs).toBe(200 + 2 * 200);
    expect(predict('parallel', { ...inputs, parallel: 4 }).totalMs).toBe(400);
  });

  it('charges 1 RTT per object after the first on a kept connection, about 1 RTT for all pipelined', () => {
    expect(predict('persistent', inputs)).toMatchObject({ totalMs: 600, connections: 1, requestsPerConnection: 5 });
    expect(predict('pipelined', inputs)).toMatchObject({ totalMs: 300, connections: 1, requestsPerConnection: 5 });
  });

  it('adds the transmission time L/R of every byte at the bandwidth', () => {
    expect(transmitMs(10_000, 100_000)).toBe(100);
    const slow = { ...inputs, bandwidthBytesPerSecond: 100_000 };
    // 41 000 bytes at 100 kB/s: 410 ms on top of the RTTs.
    expect(predict('serial', slow).totalMs).toBeCloseTo(1410);
    expect(predict('pipelined', slow).totalMs).toBeCloseTo(710);
  });

  it('orders the modes as the textbook does', () => {
    const totals = (['serial', 'parallel', 'persistent', 'pipelined'] as const).map((m) => predict(m, inputs).totalMs);
    expect([...totals].sort((a, b) => b - a)).toEqual(totals);
  });

  it('explains a difference in a sentence', () => {
    expect(explainDifference('serial', 1002, 1000, 100)).toMatch(/^Within 2 ms of the textbook/);
    expect(explainDifference('parallel', 700, 600, 100)).toMatch(/^100 ms slower than the textbook \(1\.0 RTT\)/);
    expect(explainDifference('parallel', 500, 600, 100)).toMatch(/faster than the textbook: the client starts/);
  });
});
