import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VigilApp } from '../../src/app.js';
import { ROLLUP_SKETCH_ACCURACY } from '../../src/pipeline/aggregator.js';
import { DDSketch } from '../../src/pipeline/ddsketch.js';
import { ADMIN_TOKEN, appDatabases, batch, INGEST_KEY, testApp } from '../helpers/test-app.js';

const MINUTE = 60_000;

for (const db of await appDatabases())
  describe.skipIf(db.skipReason !== null)(
    `read API over real rollups (${db.name}${db.skipReason ? `: ${db.skipReason}` : ''})`,
    () => {
      let vigil: VigilApp;
      const dbConfig = db.config();
      const t0 = Math.floor(Date.now() / MINUTE) * MINUTE - 30 * MINUTE;
      const durations = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

      const ingest = async (events: unknown[]) => {
        const res = await vigil.app.inject({
          method: 'POST',
          url: '/api/v1/events',
          payload: JSON.stringify(batch(events)),
          headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' },
        });
        expect(res.statusCode).toBe(202);
      };
      const get = (url: string) =>
        vigil.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

      beforeAll(async () => {
        vigil = await testApp(dbConfig);
        // Minute 0: ten course calls with known durations (ids templated away), one 500.
        await ingest(
          durations.map((d, i) => ({
            type: 'api',
            ts: t0 + i * 1000,
            route: `/api/courses/${i + 1}?token=abc`,
            method: 'GET',
            status: 200,
            durationMs: d,
          })),
        );
        await ingest([
          { type: 'api', ts: t0 + 30_000, route: '/api/courses/77', method: 'GET', status: 503, durationMs: 1000 },
        ]);
        // Minute 2: two video loads, in two batches so the rollup row is merged in the store.
        await ingest([{ type: 'timing', ts: t0 + 2 * MINUTE, phase: 'content', name: 'video_load', durationMs: 300 }]);
        await vigil.pipeline.drain();
        await ingest([
          { type: 'timing', ts: t0 + 2 * MINUTE + 5, phase: 'content', name: 'video_load', durationMs: 900 },
        ]);
        // Errors: the same code location with different ids groups together.
        const stack =
          'TypeError: x\n    at loadCourse (https://portal.example/app.js:10:5)\n    at main (https://portal.example/app.js:99:1)';
        await ingest([
          {
            type: 'error',
            ts: t0 + 1000,
            kind: 'javascript',
            name: 'TypeError',
            message: 'Cannot read course 123',
            stack,
          },
          {
            type: 'error',
            ts: t0 + 2000,
            kind: 'javascript',
            name: 'TypeError',
            message: 'Cannot read course 456',
            stack,
          },
          { type: 'error', ts: t0 + 3000, kind: 'auth', message: 'invalid_credentials' },
        ]);
        await vigil.pipeline.drain();
      });
      afterAll(async () => {
        await vigil?.close();
        await db.cleanup(dbConfig);
      });

      it('merges api rollups per route template into buckets with exact count, avg, min, max and sketch quantiles', async () => {
        const res = await get(
          `/api/v1/series?metric=api&name=/api/courses/:id&statusClass=2xx&from=${t0}&to=${t0 + 3 * MINUTE}&step=60000`,
        );
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body.step).toBe(MINUTE);
        expect(body.resolution).toBe('minute');
        expect(body.buckets).toHaveLength(3);
        const [b0, b1] = body.buckets;
        const sketch = new DDSketch(ROLLUP_SKETCH_ACCURACY);
        for (const d of durations) sketch.add(d);
        expect(b0).toEqual({
          ts: t0,
          count: 10,
          sum: 550,
          avg: 55,
          min: 10,
          max: 100,
          p50: sketch.quantile(0.5),
          p95: Math.min(100, sketch.quantile(0.95) as number),
          p99: Math.min(100, sketch.quantile(0.99) as number),
        });
        expect(Math.abs((b0.p50 as number) - 50) / 50).toBeLessThanOrEqual(ROLLUP_SKETCH_ACCURACY);
        expect(b1).toEqual({
          ts: t0 + MINUTE,
          count: 0,
          sum: 0,
          avg: null,
          min: null,
          max: null,
          p50: null,
          p95: null,
          p99: null,
        });
      });

      it('without a status filter counts every status class', async () => {
        const res = await get(`/api/v1/series?metric=api&from=${t0}&to=${t0 + MINUTE}`);
        expect(res.json().buckets.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(11);
      });

      it('merges rows written by two pipeline steps', async () => {
        const res = await get(
          `/api/v1/series?metric=timing&phase=content&name=video_load&from=${t0 + 2 * MINUTE}&to=${t0 + 3 * MINUTE}&step=60000`,
        );
        expect(res.json().buckets[0]).toMatchObject({ count: 2, sum: 1200, avg: 600, min: 300, max: 900 });
      });

      it('reads the hourly table for wide steps', async () => {
        const hour = Math.floor(t0 / 3_600_000) * 3_600_000;
        const res = await get(`/api/v1/series?metric=api&from=${hour}&to=${hour + 2 * 3_600_000}&step=3600000`);
        const body = res.json();
        expect(body.resolution).toBe('hour');
        expect(body.buckets.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(11);
      });

      it('groups errors by fingerprint and serves their samples', async () => {
        const res = await get(`/api/v1/errors?from=${t0}&to=${t0 + MINUTE}`);
        const groups = res.json().groups;
        expect(
          groups.map((g: { kind: string; count: number; message: string }) => [g.kind, g.count, g.message]),
        ).toEqual([
          ['javascript', 2, 'Cannot read course <n>'],
          ['auth', 1, 'invalid_credentials'],
        ]);
        const detail = await get(`/api/v1/errors/${groups[0].fingerprint}`);
        expect(detail.statusCode).toBe(200);
        expect(detail.json().occurrences.map((o: { message: string }) => o.message)).toEqual([
          'Cannot read course 456',
          'Cannot read course 123',
        ]);
        expect((await get('/api/v1/errors/ffffffffffffffff')).statusCode).toBe(404);
      });

      it('rejects bad query parameters with a coded error naming the parameter', async () => {
        const cases = [
          ['/api/v1/series', 'metric must be one of action, timing, api, error, vital, gauge, rating, session'],
          ['/api/v1/series?metric=api&from=yesterday', 'from must be epoch milliseconds or an ISO 8601 time'],
          [`/api/v1/series?metric=api&from=${t0}&to=${t0 - 1}`, 'from must be before to'],
          ['/api/v1/series?metric=api&step=5', 'step must be an integer from 60000 to 2592000000'],
          ['/api/v1/errors?limit=1;DROP TABLE rollup_minute', 'limit must be an integer from 1 to 500'],
        ];
        for (const [url, detail] of cases) {
          const res = await get(url as string);
          expect([url, res.statusCode, res.json().error]).toEqual([
            url,
            400,
            { code: 'VIGIL_ERR_INVALID_QUERY', message: 'A query parameter is invalid.', detail },
          ]);
        }
      });

      it('documents every route in the OpenAPI document, and the document only has real routes', async () => {
        const doc = (await vigil.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
        const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
          .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`))
          .sort();
        const registered = vigil.routes.map((r) => `${r.method} ${r.url}`).sort();
        expect(documented).toEqual(registered);
        expect(vigil.routes.filter((r) => r.access === 'undeclared')).toEqual([]);
      });

      it('exposes self-metrics in Prometheus text', async () => {
        const res = await get('/metrics');
        expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
        expect(res.body).toContain('vigil_ingest_events_accepted_total 16');
        expect(res.body).toContain('vigil_ingest_batches_total{result="accepted"} 5');
        expect(res.body).toContain('vigil_journal_backlog_rows 0');
      });
    },
  );
