import { describe, expect, it } from 'vitest';
import { emptyWindow } from '../../src/analytics/load-window.js';
import { pageVitals, recommend } from '../../src/analytics/recommendations.js';
import { userExperience } from '../../src/analytics/ux.js';
import { actions, rollup, sessionMinute, times } from './rollup-builders.js';

const DAY = 86_400_000;

describe('userExperience', () => {
  it('computes sessions, length, actions per session, engagement and the satisfaction histogram', () => {
    const w = emptyWindow(0, 600_000);
    w.rollups.session = [
      rollup('session', { name: 'start' }, times(4, 1)),
      rollup('session', { name: 'end' }, [60_000, 120_000, 300_000]),
    ];
    w.rollups.action = [
      actions('content', 'course_view', 6),
      actions('auth', 'login', 3),
      actions('pwa', 'pwa_install', 1),
    ];
    w.rollups.rating = [rollup('rating', { name: 'satisfaction' }, [5, 5, 5, 4, 4, 3, 1])];
    w.sessions = [sessionMinute(0, ['s1', 's2', 's3', 's4'], ['u1', 'u2'])];
    expect(userExperience(w)).toEqual({
      sessionsStarted: 4,
      distinctSessions: 4,
      distinctUsers: 2,
      avgSessionMillis: 160_000,
      actionsPerSession: 2.5,
      engagementByPhase: [
        { phase: 'content', actions: 6, share: 60 },
        { phase: 'auth', actions: 3, share: 30 },
        { phase: 'pwa', actions: 1, share: 10 },
      ],
      satisfaction: { ratings: 7, average: 3.86, distribution: { '1': 1, '2': 0, '3': 1, '4': 2, '5': 3 } },
    });
  });
});

describe('recommend', () => {
  const now = 30 * DAY;
  const base = { now, operations: [], cacheHitRate: null, resources: [], errorGroups: [], pageVitals: [] };

  it('flags slow operations with evidence, high over the 1000 ms threshold', () => {
    const recs = recommend({
      ...base,
      operations: [
        { key: 'GET /api/search', phase: 'api', count: 50, throughputPerMinute: 1, p50: 300, p95: 1400, p99: 2000 },
        { key: 'content video_load', phase: 'content', count: 50, throughputPerMinute: 1, p50: 90, p95: 240, p99: 400 },
        { key: 'pwa cache_hit', phase: 'pwa', count: 50, throughputPerMinute: 1, p50: 10, p95: 40, p99: 60 },
        { key: 'GET /api/rare', phase: 'api', count: 3, throughputPerMinute: 0, p50: 3000, p95: 5000, p99: 5000 },
      ],
    });
    expect(recs.map((r) => [r.id, r.priority])).toEqual([
      ['slow:GET /api/search', 'high'],
      ['slow:content video_load', 'medium'],
    ]);
    expect(recs[0]?.evidence).toEqual({
      operation: 'GET /api/search',
      p95Millis: 1400,
      p50Millis: 300,
      count: 50,
      targetMillis: 100,
    });
  });

  it('flags cache hit rate, resource pressure and its forecast, rising errors and poor vitals', () => {
    const recs = recommend({
      ...base,
      cacheHitRate: 68,
      resources: [
        { name: 'memory.percent', mean: 70, latest: 83, threshold: 80, crossesAt: now },
        { name: 'disk.percent', mean: 75, latest: 76, threshold: 85, crossesAt: now + 3 * DAY },
        { name: 'cpu.percent', mean: 30, latest: 31, threshold: 80, crossesAt: now + 30 * DAY },
      ],
      errorGroups: [
        {
          fingerprint: 'ab12cd34',
          kind: 'system',
          errorName: 'Error',
          message: 'connect ECONNREFUSED',
          phase: 'content',
          service: 'portal-api',
          environment: 'production',
          firstSeen: 0,
          lastSeen: now,
          count: 40,
          buckets: [],
          trend: 'rising',
        },
      ],
      pageVitals: [
        { page: '/courses/:id', vital: 'LCP', p75: 4200, count: 100 },
        { page: '/', vital: 'LCP', p75: 3000, count: 100 },
        { page: '/login', vital: 'CLS', p75: 0.05, count: 100 },
      ],
    });
    expect(recs.map((r) => [r.rule, r.id, r.priority])).toEqual([
      ['low-cache-hit-rate', 'cache-hit-rate', 'high'],
      ['error-hotspot', 'errors:ab12cd34', 'high'],
      ['resource-pressure', 'resource:memory.percent', 'high'],
      ['poor-web-vital', 'vital:LCP:/courses/:id', 'high'],
      ['resource-pressure', 'resource:disk.percent', 'medium'],
      ['poor-web-vital', 'vital:LCP:/', 'low'],
    ]);
    expect(recs[4]?.title).toBe('disk.percent is rising and will reach 85 in about 3 days at the current rate');
  });

  it('reads P75 per page and vital from vital rollups', () => {
    const rows = pageVitals([
      rollup('vital', { name: 'LCP', phase: '/' }, times(10, 3000)),
      rollup('vital', { name: 'LCP', phase: '/login' }, times(4, 1000)),
    ]);
    expect(rows).toEqual([
      { page: '/', vital: 'LCP', p75: 3000, count: 10 },
      { page: '/login', vital: 'LCP', p75: 1000, count: 4 },
    ]);
  });
});
