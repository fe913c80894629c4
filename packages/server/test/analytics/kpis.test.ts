import { describe, expect, it } from 'vitest';
import { compare, computeKpis } from '../../src/analytics/kpis.js';
import { emptyWindow, type WindowData } from '../../src/analytics/load-window.js';
import { errorRate, measureWindow } from '../../src/analytics/measures.js';
import { ROLLUP_SKETCH_ACCURACY } from '../../src/pipeline/aggregator.js';
import { DDSketch } from '../../src/pipeline/ddsketch.js';
import { actions, rollup, sessionMinute, times } from './rollup-builders.js';

const TEN_MIN = 600_000;
/** The value a 2%-accuracy sketch answers for `v` (the P95 lands in v's bin). */
const binValue = (v: number): number => {
  const s = new DDSketch(ROLLUP_SKETCH_ACCURACY);
  s.add(v);
  return s.quantile(0.5) as number;
};

function current(): WindowData {
  const w = emptyWindow(0, TEN_MIN);
  w.rollups.api = [
    rollup('api', { phase: 'api', name: '/api/courses', method: 'GET', statusClass: '2xx' }, [
      ...times(90, 50),
      ...times(5, 400),
    ]),
    rollup('api', { phase: 'api', name: '/api/courses', method: 'GET', statusClass: '5xx' }, times(3, 800)),
    rollup('api', { phase: 'api', name: '/api/courses', method: 'GET', statusClass: 'net' }, times(2, 3000)),
  ];
  w.rollups.gauge = [
    rollup('gauge', { name: 'service.up', service: 'db' }, [...times(9, 1), 0]),
    rollup('gauge', { name: 'cache.hits' }, [100, 70]),
    rollup('gauge', { name: 'cache.misses' }, [30]),
  ];
  w.rollups.error = [
    rollup('error', { phase: 'content', name: 'api' }, times(4, 1)),
    rollup('error', { phase: 'content', name: 'javascript' }, times(2, 1)),
  ];
  w.rollups.action = [
    actions('content', 'course_view', 20),
    actions('content', 'course_complete', 5),
    actions('content', 'video_start', 10),
    actions('content', 'video_complete', 8),
    actions('pwa', 'pwa_install', 3),
  ];
  w.rollups.session = [rollup('session', { name: 'start' }, times(30, 1))];
  w.rollups.rating = [rollup('rating', { name: 'satisfaction' }, [5, 5, 4, 3])];
  w.sessions = [sessionMinute(0, ['s1', 's2'], ['u1']), sessionMinute(60_000, ['s2', 's3', 's4'], ['u1', 'u2', 'u3'])];
  return w;
}

function previous(): WindowData {
  const w = emptyWindow(-TEN_MIN, 0);
  w.rollups.api = [
    rollup('api', { phase: 'api', name: '/api/courses', method: 'GET', statusClass: '2xx' }, times(100, 50)),
  ];
  w.rollups.rating = [rollup('rating', { name: 'satisfaction' }, [5, 5])];
  return w;
}

describe('KPI measures', () => {
  it('computes every measure of the worked example exactly', () => {
    const m = measureWindow(current());
    expect(m).toEqual({
      requests: 100,
      requestAvailability: 95,
      serviceUptime: 90,
      availability: 90,
      p95ResponseMillis: binValue(400),
      errorRate: (100 * (2 + 5)) / (100 + 46),
      requestsPerMinute: 10,
      cacheHitRate: 85,
      activeUsers: 3,
      activeSessions: 4,
      satisfaction: 4.25,
      courseCompletion: 25,
      videoEngagement: 80,
      pwaInstallRate: 10,
    });
  });

  it('counts a failed request once whether the api event, the api error, or both report it', () => {
    const api = [
      rollup('api', { statusClass: '2xx' }, times(95, 10)),
      rollup('api', { statusClass: '5xx' }, times(5, 10)),
    ];
    const apiErrors = [rollup('error', { name: 'api' }, times(5, 1))];
    expect(errorRate(api, apiErrors, [])).toBe(5);
    expect(errorRate(api, [], [])).toBe(5);
    expect(errorRate([rollup('api', { statusClass: '2xx' }, times(100, 10))], apiErrors, [])).toBe(5);
    expect(errorRate([], [], [])).toBeNull();
  });
});

describe('computeKpis', () => {
  it('compares with the previous period and says which way is good', () => {
    const { operational, business } = computeKpis(measureWindow(current()), measureWindow(previous()));
    const byKey = Object.fromEntries([...operational, ...business].map((k) => [k.key, k]));
    expect(operational.map((k) => k.key)).toEqual([
      'availability',
      'p95ResponseMillis',
      'errorRate',
      'requestsPerMinute',
      'cacheHitRate',
      'activeUsers',
      'satisfaction',
    ]);
    expect(business.map((k) => k.key)).toEqual(['courseCompletion', 'videoEngagement', 'pwaInstallRate']);
    expect(byKey.availability).toEqual({
      key: 'availability',
      label: 'Availability',
      unit: '%',
      value: 90,
      previous: 100,
      change: -10,
      changePercent: -10,
      trend: 'down',
      good: false,
      detail: { requestAvailability: 95, serviceUptime: 90 },
    });
    expect(byKey.errorRate).toMatchObject({
      value: 4.79,
      previous: 0,
      change: 4.79,
      changePercent: null,
      trend: 'up',
      good: false,
    });
    expect(byKey.requestsPerMinute).toMatchObject({ value: 10, previous: 10, change: 0, trend: 'flat', good: null });
    expect(byKey.p95ResponseMillis).toMatchObject({ previous: 50, trend: 'up', good: false });
    expect(byKey.satisfaction).toMatchObject({
      value: 4.25,
      previous: 5,
      change: -0.75,
      changePercent: -15,
      trend: 'down',
    });
    expect(byKey.activeUsers).toMatchObject({ value: 3, previous: 0, detail: { sessions: 4, previousSessions: 0 } });
    expect(byKey.cacheHitRate).toMatchObject({ value: 85, previous: null, change: null, trend: 'flat', good: null });
    expect(byKey.pwaInstallRate).toMatchObject({ value: 10, previous: null });
  });

  it('treats a change under 1 % of the previous value as flat', () => {
    expect(compare(100.5, 100, true)).toEqual({ change: 0.5, changePercent: 0.5, trend: 'flat', good: null });
    expect(compare(102, 100, false)).toEqual({ change: 2, changePercent: 2, trend: 'up', good: false });
    expect(compare(null, 100, true)).toEqual({ change: null, changePercent: null, trend: 'flat', good: null });
  });
});
