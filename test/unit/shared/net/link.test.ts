import { describe, expect, it } from 'vitest';
import { describeLink, emulatedLink, linkIsIdle, seededRandom } from '../../../../shared/net/link';

describe('the emulated link contract', () => {
  it('fills the defaults: no jitter, no loss, no bandwidth limit, seed 1', () => {
    expect(emulatedLink.parse({ delayMs: 50 })).toEqual({
      delayMs: 50,
      jitterMs: 0,
      lossPercent: 0,
      bandwidthBytesPerSecond: null,
      seed: 1,
    });
  });

  it('refuses negative values, loss over 100 % and a zero bandwidth, each with its message', () => {
    const messages = (input: unknown) => {
      const result = emulatedLink.safeParse(input);
      return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    };
    expect(messages({ delayMs: -1 })).toEqual(['delayMs: the delay cannot be negative']);
    expect(messages({ delayMs: 0, lossPercent: 100.5 })).toEqual(['lossPercent: the loss can be at most 100 %']);
    expect(messages({ delayMs: 0, bandwidthBytesPerSecond: 0 })).toEqual([
      'bandwidthBytesPerSecond: the bandwidth must be more than 0 bytes/s (leave it empty for no limit)',
    ]);
    expect(messages({ delayMs: 0, jitterMs: -2 })).toEqual(['jitterMs: the jitter cannot be negative']);
  });

  it('describes a link for its badge', () => {
    const link = emulatedLink.parse({ delayMs: 50, jitterMs: 5, lossPercent: 30, bandwidthBytesPerSecond: 1048576 });
    expect(describeLink(link)).toBe('50 ms each way · ±5 ms jitter · 30 % loss · 1 MiB/s');
    expect(describeLink(link, 'TCP')).toBe('50 ms each way · ±5 ms jitter · 1 MiB/s');
    expect(describeLink(emulatedLink.parse({ delayMs: 10, returnDelayMs: 20 }))).toBe('10 ms in, 20 ms out');
    expect(linkIsIdle(emulatedLink.parse({ delayMs: 0 }))).toBe(true);
    expect(linkIsIdle(link)).toBe(false);
  });

  it('draws the same numbers for the same seed, spread evenly over [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const draws = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(draws);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const below = draws.filter((x) => x < 0.3).length;
    expect(below).toBeGreaterThan(2800);
    expect(below).toBeLessThan(3200);
  });
});
