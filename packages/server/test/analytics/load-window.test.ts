import { describe, expect, it } from 'vitest';
import { alignRange, resolutionFor, splitRange } from '../../src/analytics/load-window.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('splitRange', () => {
  it('reads whole hours from the hourly table and the partial edges from minutes', () => {
    expect(splitRange(90 * MIN, 5 * HOUR + MIN)).toEqual([
      { from: 90 * MIN, to: 2 * HOUR, resolution: 'minute' },
      { from: 2 * HOUR, to: 5 * HOUR, resolution: 'hour' },
      { from: 5 * HOUR, to: 5 * HOUR + MIN, resolution: 'minute' },
    ]);
    expect(splitRange(0, DAY)).toEqual([{ from: 0, to: DAY, resolution: 'hour' }]);
  });

  it('reads minutes only under two hours, and hours only when asked', () => {
    expect(splitRange(0, HOUR + 59 * MIN)).toEqual([{ from: 0, to: HOUR + 59 * MIN, resolution: 'minute' }]);
    expect(splitRange(0, DAY, true)).toEqual([{ from: 0, to: DAY, resolution: 'hour' }]);
  });
});

describe('resolutionFor and alignRange', () => {
  it('picks hours past 48 h or the detailed retention, and aligns outward', () => {
    expect(resolutionFor(0, 48 * HOUR, 48 * HOUR, 90 * DAY)).toBe('minute');
    expect(resolutionFor(0, 49 * HOUR, 49 * HOUR, 90 * DAY)).toBe('hour');
    expect(resolutionFor(0, HOUR, 10 * DAY, 7 * DAY)).toBe('hour');
    expect(alignRange(90 * MIN, 150 * MIN, 'hour')).toEqual({ from: HOUR, to: 3 * HOUR });
    expect(alignRange(90_000, 150_000, 'minute')).toEqual({ from: 60_000, to: 180_000 });
  });
});
