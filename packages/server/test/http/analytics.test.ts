import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VigilApp } from '../../src/app.js';
import { ADMIN_TOKEN, appDatabases, batch, INGEST_KEY, SOURCE, testApp } from '../helpers/test-app.js';

const MIN = 60_000;
const HOUR = 3_600_000;

/**
 * One hour of known traffic, ingested through the collector and folded by the real pipeline;
 * every analytics route must answer the same exact numbers on SQLite and PostgreSQL.
 */
for (const db of await appDatabases())
  describe.skipIf(db.skipReason !== null)(
    `analytics API (${db.name}${db.skipReason ? `: ${db.skipReason}` : ''})`,
    () => {
      let vigil: VigilApp;
      const dbConfig = db.config();
      const NOW = Math.floor(Date.now() / HOUR) * HOUR;
      const FROM = NOW - HOUR;
      const range = `from=${FROM}&to=${NOW}`;

      const ingest = async (events: unknown[], extra: Record<string, unknown> = {}) => {
        const res = await vigil.app.inject({
          method: 'POST',
          url: '/api/v1/events',
          payload: JSON.stringify(batch(events, extra)),
          headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' },
        });
        expect(res.statusCode).toBe(202);
        expect(res.json().rejected).toEqual([]);
      };
      const get = async (url: string) => {
        const res = await vigil.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
        expect(res.statusCode, res.body).toBe(200);
        return res.json();
      };

      beforeAll(async () => {
        vigil = await testApp(dbConfig, { now: () => NOW });
        const t = NOW - 50 * MIN;
        const api = (i: number, status: number) => ({
          type: 'api',
          ts: t + i * 1000,
          route: '/api/courses',
          method: 'GET',
          status,
          durationMs: 100,
        });
        const action = (name: string, phase: string, i: number) => ({ type: 'action', ts: t + i * 1000, phase, name });
        await ingest([
          ...Array.from({ length: 18 }, (_, i) => api(i, 200)),
          api(18, 500),
          api(19, 503),
          { type: 'error', ts: t + 18_000, kind: 'api', name: 'HttpError', message: 'HTTP 500 Internal Server Error' },
          { type: 'error', ts: t + 19_000, kind: 'api', name: 'HttpError', message: 'HTTP 500 Internal Server Error' },
          {
            type: 'error',
            ts: t + 20_000,
            kind: 'javascript',
            name: 'TypeError',
            message: 'x is undefined',
            phase: 'content',
          },
          ...['course_view', 'course_view', 'course_view', 'course_view', 'course_complete'].map((n, i) =>
            action(n, 'content', i),
          ),
          action('video_start', 'content', 5),
          action('video_start', 'content', 6),
          action('video_complete', 'content', 7),
          action('pwa_install', 'pwa', 8),
          { type: 'session', ts: t, action: 'start', sessionId: 'sess-1', userId: 'u-1' },
          { type: 'session', ts: t + 1000, action: 'start', sessionId: 'sess-2', userId: 'u-2' },
          { type: 'session', ts: t + 60_000, action: 'end', sessionId: 'sess-1', userId: 'u-1', durationMs: 60_000 },
          { type: 'session', ts: t + 121_000, action: 'end', sessionId: 'sess-2', userId: 'u-2', durationMs: 120_000 },
          { type: 'rating', ts: t + 30_000, score: 5 },
          { type: 'rating', ts: t + 31_000, score: 4 },
          { type: 'gauge', ts: t, name: 'cache.hits', value: 80 },
          { type: 'gauge', ts: t, name: 'cache.misses', value: 20 },
          { type: 'gauge', ts: NOW - 50 * MIN, name: 'memory.percent', value: 60 },
          { type: 'gauge', ts: NOW - 30 * MIN, name: 'memory.percent', value: 70 },
          { type: 'gauge', ts: NOW - 10 * MIN, name: 'memory.percent', value: 80 },
          { type: 'vital', ts: t, name: 'LCP', value: 3000, page: '/' },
          { type: 'timing', ts: t, phase: 'content', name: 'video_load', durationMs: 300 },
          { type: 'timing', ts: t + 1, phase: 'content', name: 'video_load', durationMs: 300 },
        ]);
        await ingest(
          [
            { type: 'gauge', ts: t, name: 'service.up', value: 1 },
            { type: 'gauge', ts: t + MIN, name: 'service.up', value: 1 },
          ],
          { source: { ...SOURCE, service: 'db' } },
        );
        await vigil.pipeline.drain();
      });
      afterAll(async () => {
        await vigil?.close();
        await db.cleanup(dbConfig);
      });

      it('computes the KPIs against the previous period', async () => {
        const body = await get(`/api/v1/kpis?${range}`);
        expect(body).toMatchObject({
          from: FROM,
          to: NOW,
          previous: { from: FROM - HOUR, to: FROM },
          resolution: 'minute',
        });
        const value = Object.fromEntries(
          [...body.operational, ...body.business].map((k: { key: string; value: number }) => [k.key, k.value]),
        );
        expect(value).toEqual({
          availability: 90,
          p95ResponseMillis: 100,
          errorRate: 10.34, // (1 javascript + max(2 api errors, 2 failed requests)) / (20 requests + 9 actions)
          requestsPerMinute: 0.33,
          cacheHitRate: 80,
          activeUsers: 2,
          satisfaction: 4.5,
          courseCompletion: 25,
          videoEngagement: 50,
          pwaInstallRate: 50,
        });
        expect(body.operational[0]).toEqual({
          key: 'availability',
          label: 'Availability',
          unit: '%',
          value: 90,
          previous: null,
          change: null,
          changePercent: null,
          trend: 'flat',
          good: null,
          detail: { requestAvailability: 90, serviceUptime: 100 },
        });
      });

      it('gives the same numbers when whole hours are read from the hourly tables', async () => {
        // [NOW − 3.5 h, NOW + 30 min): 30 minutes, three whole hours, 30 minutes.
        const body = await get(`/api/v1/kpis?from=${NOW - 210 * MIN}&to=${NOW + 30 * MIN}`);
        const value = Object.fromEntries(
          [...body.operational, ...body.business].map((k: { key: string; value: number }) => [k.key, k.value]),
        );
        expect(value).toEqual({
          availability: 90,
          p95ResponseMillis: 100,
          errorRate: 10.34,
          requestsPerMinute: 0.08, // 20 requests over 240 minutes
          cacheHitRate: 80,
          activeUsers: 2,
          satisfaction: 4.5,
          courseCompletion: 25,
          videoEngagement: 50,
          pwaInstallRate: 50,
        });
      });

      it('scores performance with the documented weights', async () => {
        const body = await get(`/api/v1/score?${range}`);
        // .25·100 (P95 100 ms) + .2·0 (error rate 10.3 %) + .2·0 (availability 90 %) + .15·66.67 (LCP 3000)
        // + .1·50 (memory mean 70) + .1·66.67 (cache 80 %) = 46.67
        expect(body.score).toBe(46.7);
        expect(body.components.map((c: { key: string; score: number }) => [c.key, c.score])).toEqual([
          ['responseTime', 100],
          ['errorRate', 0],
          ['availability', 0],
          ['webVitals', 66.7],
          ['resources', 50],
          ['cacheHitRate', 66.7],
        ]);
        expect(body.excluded).toEqual([]);
      });

      it('gives percentiles per phase and per operation', async () => {
        const byPhase = await get(`/api/v1/percentiles?${range}&groupBy=phase`);
        expect(byPhase.rows).toEqual([
          { key: 'api', phase: 'api', count: 20, throughputPerMinute: 0.333, p50: 100, p95: 100, p99: 100 },
          { key: 'content', phase: 'content', count: 2, throughputPerMinute: 0.033, p50: 300, p95: 300, p99: 300 },
        ]);
        const byOp = await get(`/api/v1/percentiles?${range}&groupBy=operation`);
        expect(byOp.rows.map((r: { key: string }) => r.key)).toEqual(['GET /api/courses', 'content video_load']);
      });

      it('analyses a gauge trend with slope and threshold forecast', async () => {
        const body = await get(`/api/v1/trends?${range}&metric=gauge&name=memory.percent`);
        expect(body).toMatchObject({
          stat: 'avg',
          step: MIN,
          mean: 70,
          previousMean: null,
          slopePerHour: 30,
          threshold: 80,
          crossesAt: NOW, // the line is already over 80 at the end of the range
        });
        // A decimal threshold the line has not reached: 60 + 30/h from NOW − 50 min hits 90.5 at NOW + 11 min.
        const later = await get(`/api/v1/trends?${range}&metric=gauge&name=memory.percent&threshold=90.5`);
        expect(later).toMatchObject({ threshold: 90.5, crossesAt: NOW + 11 * MIN });
        expect(body.points.filter((p: { value: number | null }) => p.value !== null && p.value > 0)).toEqual([
          { ts: NOW - 50 * MIN, value: 60 },
          { ts: NOW - 30 * MIN, value: 70 },
          { ts: NOW - 10 * MIN, value: 80 },
        ]);
      });

      it('recommends with evidence and priority', async () => {
        const body = await get(`/api/v1/recommendations?${range}`);
        expect(body.recommendations.map((r: { id: string; priority: string }) => [r.id, r.priority])).toEqual([
          ['resource:memory.percent', 'high'],
          ['cache-hit-rate', 'medium'],
        ]);
        expect(body.recommendations[1].evidence).toEqual({ cacheHitRate: 80, target: 85, minimum: 70 });
      });

      it('analyses errors by kind, phase and group', async () => {
        const body = await get(`/api/v1/errors/analysis?${range}`);
        expect(body.total).toBe(3);
        expect(body.byKind).toEqual({ javascript: 1, api: 2, auth: 0, validation: 0, system: 0 });
        expect(body.byPhase).toEqual({ none: 2, content: 1 });
        expect(body.top.map((g: { kind: string; count: number; trend: string }) => [g.kind, g.count, g.trend])).toEqual(
          [
            ['api', 2, 'falling'],
            ['javascript', 1, 'falling'],
          ],
        );
        expect(body.newGroups).toHaveLength(2);
        expect(body.regressedGroups).toEqual([]);
        expect(body.correlations).toEqual([]);
      });

      it('summarises the user experience', async () => {
        const body = await get(`/api/v1/ux?${range}`);
        expect(body).toMatchObject({
          sessionsStarted: 2,
          distinctSessions: 2,
          distinctUsers: 2,
          avgSessionMillis: 90_000,
          actionsPerSession: 4.5,
          engagementByPhase: [
            { phase: 'content', actions: 8, share: 88.89 },
            { phase: 'pwa', actions: 1, share: 11.11 },
          ],
          satisfaction: { ratings: 2, average: 4.5, distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 1 } },
        });
      });

      it('opens an incident on an error spike, once, resolves it on recovery, and reports MTTR', async () => {
        await ingest(
          Array.from({ length: 30 }, (_, i) => ({
            type: 'api',
            ts: NOW - 2 * MIN + i * 1000,
            route: '/api/courses',
            method: 'GET',
            status: 500,
            durationMs: 100,
          })),
        );
        await vigil.pipeline.drain();
        const first = await vigil.detector.runOnce(NOW);
        expect(first.opened.map((i) => [i.signal, i.severity, i.status])).toEqual([['error_rate', 'critical', 'open']]);
        expect(first.opened[0]?.evidence).toMatchObject({ errorRate: 100, operations: 30 });
        const again = await vigil.detector.runOnce(NOW + 30_000);
        expect(again.opened).toEqual([]);
        expect(again.resolved).toEqual([]);
        const later = await vigil.detector.runOnce(NOW + 10 * MIN);
        expect(later.resolved.map((i) => [i.signal, i.status, i.resolvedAt])).toEqual([
          ['error_rate', 'resolved', NOW + 10 * MIN],
        ]);

        const list = await get(`/api/v1/incidents?from=${FROM}&to=${NOW + HOUR}`);
        expect(list.incidents).toHaveLength(1);
        const id = list.incidents[0].id;
        const detail = await get(`/api/v1/incidents/${id}`);
        expect(detail.incident).toMatchObject({ id, source: 'detector', status: 'resolved', openedAt: NOW });
        expect(detail.timeline.map((e: { type: string; ts: number }) => [e.type, e.ts])).toEqual([
          ['opened', NOW],
          ['resolved', NOW + 10 * MIN],
        ]);
        const mttr = await get(`/api/v1/mttr?from=${FROM}&to=${NOW + HOUR}`);
        expect(mttr.bySeverity.critical).toEqual({
          incidents: 1,
          resolved: 1,
          acknowledged: 0,
          mttrMillis: 10 * MIN,
          mttaMillis: null,
        });
        const missing = await vigil.app.inject({
          method: 'GET',
          url: '/api/v1/incidents/nope',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        });
        expect(missing.statusCode).toBe(404);
      });

      it('requires a token and validates parameters', async () => {
        expect((await vigil.app.inject({ method: 'GET', url: '/api/v1/kpis' })).statusCode).toBe(401);
        const bad = await vigil.app.inject({
          method: 'GET',
          url: '/api/v1/percentiles?groupBy=colour',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().error.code).toBe('VIGIL_ERR_INVALID_QUERY');
        const badThreshold = await vigil.app.inject({
          method: 'GET',
          url: '/api/v1/trends?metric=gauge&name=memory.percent&threshold=lots',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        });
        expect(badThreshold.statusCode).toBe(400);
      });
    },
  );
