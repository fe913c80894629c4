import { describe, expect, it } from 'vitest';
import { mergeSeries } from '../../src/analytics/series.js';
import { analyzeTrend, forecastCrossing, linearFit, percentilesBy } from '../../src/analytics/trends.js';
import { rollup, times } from './rollup-builders.js';

const HOUR = 3_600_000;

describe('linearFit and forecastCrossing', () => {
  it('fits a least-squares line with the slope per hour', () => {
    const fit = linearFit([
      { ts: 0, value: 50 },
      { ts: HOUR, value: 52 },
      { ts: 2 * HOUR, value: 54 },
    ]);
    expect(fit).toEqual({ slopePerHour: 2, intercept: 50, origin: 0, points: 3 });
    // Noisy points: x = 0,1,2,3 h, y = 1,3,2,4 → slope 0.8, intercept 1.3.
    const noisy = linearFit([1, 3, 2, 4].map((value, i) => ({ ts: i * HOUR, value })));
    expect(noisy?.slopePerHour).toBeCloseTo(0.8, 12);
    expect(noisy?.intercept).toBeCloseTo(1.3, 12);
    expect(linearFit([{ ts: 0, value: 1 }])).toBeNull();
  });

  it('extrapolates the crossing time, null when not rising, now when already over', () => {
    const fit = { slopePerHour: 1, intercept: 70, origin: 0, points: 10 };
    expect(forecastCrossing(fit, 80, 0)).toBe(10 * HOUR);
    expect(forecastCrossing(fit, 80, 12 * HOUR)).toBe(12 * HOUR);
    expect(forecastCrossing({ ...fit, slopePerHour: 0 }, 80, 0)).toBeNull();
    expect(forecastCrossing({ ...fit, slopePerHour: -1 }, 80, 0)).toBeNull();
    expect(forecastCrossing(null, 80, 0)).toBeNull();
  });
});

describe('analyzeTrend', () => {
  it('gives points, change against the previous period, slope and the threshold forecast', () => {
    // Memory rises 1 point per hour: 70, 71, 72, 73 at hours 0–3; the previous 4 hours sat at 60.
    const cur = [70, 71, 72, 73].map((v, i) => rollup('gauge', { name: 'memory.percent' }, [v], i * HOUR));
    const prev = [0, 1, 2, 3].map((i) => rollup('gauge', { name: 'memory.percent' }, [60], -4 * HOUR + i * HOUR));
    const t = analyzeTrend(
      mergeSeries(cur, 0, 4 * HOUR, HOUR),
      mergeSeries(prev, -4 * HOUR, 0, HOUR),
      'avg',
      80,
      4 * HOUR,
    );
    expect(t.points).toEqual([
      { ts: 0, value: 70 },
      { ts: HOUR, value: 71 },
      { ts: 2 * HOUR, value: 72 },
      { ts: 3 * HOUR, value: 73 },
    ]);
    expect(t.mean).toBe(71.5);
    expect(t.previousMean).toBe(60);
    expect(t.changePercent).toBe(19.17);
    expect(t.slopePerHour).toBe(1);
    expect(t.crossesAt).toBe(10 * HOUR);
  });

  it('has no forecast for a falling series', () => {
    const cur = [73, 72].map((v, i) => rollup('gauge', { name: 'disk.percent' }, [v], i * HOUR));
    const t = analyzeTrend(mergeSeries(cur, 0, 2 * HOUR, HOUR), [], 'avg', 85, 2 * HOUR);
    expect(t.slopePerHour).toBe(-1);
    expect(t.crossesAt).toBeNull();
    expect(t.previousMean).toBeNull();
  });
});

describe('percentilesBy', () => {
  const records = [
    rollup('api', { phase: 'api', name: '/api/courses', method: 'GET', statusClass: '2xx' }, times(30, 100)),
    rollup('api', { phase: 'api', name: '/api/courses', method: 'GET', statusClass: '5xx' }, times(10, 100)),
    rollup('api', { phase: 'api', name: '/api/login', method: 'POST', statusClass: '2xx' }, times(20, 300)),
    rollup('timing', { phase: 'content', name: 'video_load' }, times(10, 500)),
    rollup('timing', { phase: 'pwa', name: 'cache_hit' }, times(5, 20)),
  ];

  it('groups by phase, busiest first, with throughput per minute', () => {
    const rows = percentilesBy(records, 'phase', 0, 10 * 60_000);
    expect(rows.map((r) => [r.key, r.count, r.throughputPerMinute])).toEqual([
      ['api', 60, 6],
      ['content', 10, 1],
      ['pwa', 5, 0.5],
    ]);
    // Single-valued groups answer the exact value (quantiles are clamped to min and max).
    expect(rows[1]).toMatchObject({ p50: 500, p95: 500, p99: 500 });
  });

  it('groups by operation: method and route for api calls, phase and name for timings', () => {
    const rows = percentilesBy(records, 'operation', 0, 10 * 60_000);
    expect(rows.map((r) => [r.key, r.phase, r.count])).toEqual([
      ['GET /api/courses', 'api', 40],
      ['POST /api/login', 'api', 20],
      ['content video_load', 'content', 10],
      ['pwa cache_hit', 'pwa', 5],
    ]);
    expect(rows[0]).toMatchObject({ p50: 100, p95: 100, p99: 100 });
  });
});
