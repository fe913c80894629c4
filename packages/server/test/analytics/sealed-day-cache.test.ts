import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeDistribution, quantileOf } from '../../src/analytics/rollup-math.js';
import { mergePerSeries, readHoursWithSealedDays, SEALED_AFTER_MILLIS } from '../../src/analytics/sealed-day-cache.js';
import type { RollupQuery } from '../../src/store/store.js';
import { loadAdapters, type OpenedStore } from '../store/store-adapters.js';
import { rollup, times } from './rollup-builders.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const D0 = 20_000 * DAY;
const sqlite = (await loadAdapters())[0]!;

describe('mergePerSeries', () => {
  it('merges each series into one record stamped with the day', () => {
    const a1 = rollup('api', { name: '/a' }, [10, 20], D0);
    const a2 = { ...rollup('api', { name: '/a' }, [5, 40], D0 + HOUR), key: a1.key };
    const b = rollup('api', { name: '/b' }, [7], D0 + 2 * HOUR);
    const merged = mergePerSeries([a1, a2, b], D0);
    expect(merged.map((r) => [r.key.name, r.bucket, r.count, r.sum, r.min, r.max])).toEqual([
      ['/a', D0, 4, 75, 5, 40],
      ['/b', D0, 1, 7, 7, 7],
    ]);
    expect(quantileOf(mergeDistribution(merged.slice(0, 1)), 1)).toBe(40);
  });
});

describe('readHoursWithSealedDays (SQLite)', () => {
  let opened: OpenedStore;
  const q: RollupQuery = {
    project: 'p',
    metric: 'api',
    from: D0 + 12 * HOUR,
    to: D0 + 3 * DAY + 5 * HOUR,
    resolution: 'hour',
  };

  beforeAll(async () => {
    opened = await sqlite.open(() => D0);
    const rollups = Array.from({ length: 80 }, (_, h) => ({
      ...rollup('api', { name: h % 2 === 0 ? '/a' : '/b', statusClass: '2xx' }, times(h + 1, 10 + h), D0 + h * HOUR),
      project: 'p',
    }));
    await opened.store.commitPipeline({ seqs: [], rollups, errors: [], sessions: [] });
  });
  afterAll(async () => {
    await opened?.dispose();
  });

  it('answers the same totals and quantiles as the hour rows, with one record per series per sealed day', async () => {
    const now = D0 + 4 * DAY + SEALED_AFTER_MILLIS;
    const plain = await opened.store.queryRollups(q);
    for (let i = 0; i < 2; i++) {
      const cached = await readHoursWithSealedDays(opened.store, q, now);
      // 12 edge hours of day 0, days 1 and 2 as 2 series × 2 days, 5 edge hours of day 3.
      expect(cached).toHaveLength(12 + 4 + 5);
      expect(cached.reduce((n, r) => n + r.count, 0)).toBe(plain.reduce((n, r) => n + r.count, 0));
      expect(cached.reduce((n, r) => n + r.sum, 0)).toBe(plain.reduce((n, r) => n + r.sum, 0));
      expect(quantileOf(mergeDistribution(cached), 0.95)).toBe(quantileOf(mergeDistribution(plain), 0.95));
    }
  });

  it('reads plain hour rows when no whole day is sealed yet', async () => {
    const recent = await readHoursWithSealedDays(opened.store, q, D0 + 3 * DAY);
    expect(recent).toEqual(await opened.store.queryRollups(q));
  });
});
