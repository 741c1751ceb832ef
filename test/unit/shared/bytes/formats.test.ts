import { describe, expect, it } from 'vitest';
import { formatByteCount, formatDuration, groupThousands } from '../../../../shared/bytes';

describe('formatByteCount', () => {
  it('counts exactly below 1 MiB, with "," as the thousands separator', () => {
    expect(formatByteCount(0)).toBe('0 bytes');
    expect(formatByteCount(1)).toBe('1 byte');
    expect(formatByteCount(2)).toBe('2 bytes');
    expect(formatByteCount(1024)).toBe('1,024 bytes');
    expect(formatByteCount(2048)).toBe('2,048 bytes');
    expect(formatByteCount(65_507)).toBe('65,507 bytes');
    expect(formatByteCount(1_048_575)).toBe('1,048,575 bytes');
  });

  it('uses binary units from 1 MiB, one decimal below 100', () => {
    expect(formatByteCount(1024 ** 2)).toBe('1.0 MiB');
    expect(formatByteCount(1.5 * 1024 ** 2)).toBe('1.5 MiB');
    expect(formatByteCount(64 * 1024 ** 2)).toBe('64.0 MiB');
    expect(formatByteCount(99.96 * 1024 ** 2)).toBe('100 MiB');
    expect(formatByteCount(512 * 1024 ** 2)).toBe('512 MiB');
    expect(formatByteCount(1024 ** 3 - 1)).toBe('1.0 GiB');
    expect(formatByteCount(5.5 * 1024 ** 3)).toBe('5.5 GiB');
    expect(formatByteCount(3 * 1024 ** 4)).toBe('3.0 TiB');
    expect(formatByteCount(2 ** 60)).toBe('1,024 PiB');
  });

  it('never throws on odd input', () => {
    expect(formatByteCount(-2048)).toBe('-2,048 bytes');
    expect(formatByteCount(-2 * 1024 ** 2)).toBe('-2.0 MiB');
    expect(formatByteCount(2.6)).toBe('3 bytes');
    expect(formatByteCount(Number.NaN)).toBe('NaN bytes');
    expect(groupThousands(1234567.5)).toBe('1,234,567.5');
  });
});

describe('formatDuration', () => {
  it('shows three significant digits in ms below a second', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(0.004)).toBe('< 0.01 ms');
    expect(formatDuration(0.42)).toBe('0.42 ms');
    expect(formatDuration(4.567)).toBe('4.57 ms');
    expect(formatDuration(12.34)).toBe('12.3 ms');
    expect(formatDuration(345.4)).toBe('345 ms');
  });

  it('switches unit on the rounded value', () => {
    expect(formatDuration(9.996)).toBe('10.0 ms');
    expect(formatDuration(99.96)).toBe('100 ms');
    expect(formatDuration(999.6)).toBe('1.00 s');
    expect(formatDuration(9996)).toBe('10.0 s');
    expect(formatDuration(59_960)).toBe('1 min 00 s');
  });

  it('shows seconds, minutes and hours', () => {
    expect(formatDuration(1200)).toBe('1.20 s');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(3_723_000)).toBe('1 h 02 min');
  });

  it('never throws on odd input', () => {
    expect(formatDuration(-1.5)).toBe('-1.50 ms');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('Infinity ms');
  });
});
