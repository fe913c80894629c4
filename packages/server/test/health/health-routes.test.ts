import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VigilApp } from '../../src/app.js';
import { validateHealthCheck } from '../../src/health/health-check-config.js';
import { defaultHealthConfig } from '../../src/health/health-config.js';
import { ADMIN_TOKEN, appDatabases, testApp } from '../helpers/test-app.js';

const MINUTE = 60_000;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

for (const db of await appDatabases())
  describe.skipIf(db.skipReason !== null)(`health API (${db.name}${db.skipReason ? `: ${db.skipReason}` : ''})`, () => {
    let vigil: VigilApp;
    let port: number;
    const dbConfig = db.config();
    const t0 = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;
    let clock = t0;
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const get = (url: string) => vigil.app.inject({ method: 'GET', url, headers: auth });
    const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
      vigil.app.inject({
        method,
        url,
        headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
    const rollup = async (name: string, service: string) => {
      const rows = await vigil.store.queryRollups({
        project: 'learning-portal',
        metric: 'gauge',
        name,
        service,
        environment: 'staging',
        from: t0 - MINUTE,
        to: t0 + 10 * MINUTE,
        resolution: 'minute',
      });
      return { count: rows.reduce((n, r) => n + r.count, 0), sum: rows.reduce((n, r) => n + r.sum, 0) };
    };

    beforeAll(async () => {
      port = await closedPort();
      const health = {
        ...defaultHealthConfig(),
        environment: 'staging',
        checks: [
          validateHealthCheck({ name: 'cache', kind: 'redis', target: 'redis://127.0.0.1:6379', retries: 2 }),
          validateHealthCheck({ name: 'storage', kind: 'tcp', target: `127.0.0.1:${port}`, retries: 2 }),
        ],
      };
      vigil = await testApp({ ...dbConfig, health }, { now: () => clock });
    });
    afterAll(async () => {
      await vigil?.close();
      await db.cleanup(dbConfig);
    });

    it("records the host sampler's gauges as service vigil through the journal into rollups", async () => {
      await vigil.health.sampler.tick();
      await vigil.pipeline.drain();
      for (const name of ['cpu.percent', 'memory.percent', 'disk.percent', 'load.1m', 'eventloop.delay_ms', 'uptime']) {
        expect([name, (await rollup(name, 'vigil')).count]).toEqual([name, 1]);
      }
      const memory = await rollup('memory.percent', 'vigil');
      expect(memory.sum > 0 && memory.sum <= 100).toBe(true);
    });

    it('runs the configured checks: up, then degraded and down after 2 failures', async () => {
      const first = await vigil.health.scheduler.runOnce();
      clock += 30_000;
      const second = await vigil.health.scheduler.runOnce();
      clock += 30_000;
      expect(first.map((r) => [r.check, r.ok, r.status])).toEqual([
        ['cache', true, 'up'],
        ['storage', false, 'degraded'],
      ]);
      expect(second.map((r) => [r.check, r.status, r.detail])).toEqual([
        ['cache', 'up', 'PONG'],
        ['storage', 'down', `connect ECONNREFUSED 127.0.0.1:${port}`],
      ]);
      await vigil.pipeline.drain();
      expect(await rollup('service.up', 'cache')).toEqual({ count: 2, sum: 2 });
      expect(await rollup('service.up', 'storage')).toEqual({ count: 2, sum: 0 });
      expect((await rollup('service.latency_ms', 'storage')).count).toBe(2);
    });

    it('answers GET /api/v1/health in health+json: any check down → fail (503)', async () => {
      const res = await get('/api/v1/health');
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toBe('application/health+json; charset=utf-8');
      const body = res.json();
      expect(body.status).toBe('fail');
      expect(body.checks['cache:responseTime'][0]).toMatchObject({
        status: 'pass',
        observedUnit: 'ms',
        output: 'up: PONG',
      });
      expect(body.checks['storage:responseTime'][0]).toMatchObject({ status: 'fail', componentType: 'tcp' });
      expect(Object.keys(body.checks)).toEqual(
        expect.arrayContaining(['cpu:utilization', 'memory:utilization', 'disk:utilization', 'uptime']),
      );
      expect((await vigil.app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(401);
    });

    it('reports uptime % and latency per service over a range, and the history of one', async () => {
      const services = (await get(`/api/v1/health/services?from=${t0}&to=${clock}`)).json();
      expect(
        services.services.map((s: Record<string, unknown>) => [
          s.name,
          s.status,
          s.checks,
          s.failures,
          s.uptimePercent,
        ]),
      ).toEqual([
        ['cache', 'up', 2, 0, 100],
        ['storage', 'down', 2, 2, 0],
      ]);
      // Only the first run falls in this range.
      const firstOnly = (await get(`/api/v1/health/services?from=${t0}&to=${t0 + 1}`)).json();
      expect(firstOnly.services.map((s: Record<string, unknown>) => s.checks)).toEqual([1, 1]);
      const history = (await get(`/api/v1/health/services/storage/history?from=${t0}&to=${clock}`)).json();
      expect(history.uptimePercent).toBe(0);
      expect(history.results.map((r: Record<string, unknown>) => [r.ts, r.ok, r.status])).toEqual([
        [t0, false, 'degraded'],
        [t0 + 30_000, false, 'down'],
      ]);
      expect((await get(`/api/v1/health/services/nope/history?from=${t0}&to=${clock}`)).statusCode).toBe(404);
    });

    it('manages checks through the API (admin), validating them and masking passwords', async () => {
      const video = { name: 'video', kind: 'http', target: 'http://127.0.0.1:1/health', expectStatus: 200 };
      const created = await send('POST', '/api/v1/health/checks', video);
      expect(created.statusCode).toBe(201);
      expect(created.json().check).toEqual({
        ...video,
        intervalMillis: 30_000,
        timeoutMillis: 5_000,
        retries: 3,
        bodyMatch: null,
      });
      expect((await send('POST', '/api/v1/health/checks', video)).json().error.code).toBe('VIGIL_ERR_CONFLICT');
      const bad = await send('POST', '/api/v1/health/checks', { ...video, name: 'video2', timeoutMillis: 'soon' });
      expect([bad.statusCode, bad.json().error.code, bad.json().error.detail]).toEqual([
        400,
        'VIGIL_ERR_INVALID_INPUT',
        'timeoutMillis must be an integer from 10 to 60000 (got "soon")',
      ]);
      const db = { kind: 'postgres', target: 'postgres://postgres:pw@127.0.0.1:1/test', retries: 5 };
      const put = await send('PUT', '/api/v1/health/checks/database', db);
      expect([put.statusCode, put.json().check.target]).toEqual([200, 'postgres://postgres:***@127.0.0.1:1/test']);
      const list = (await get('/api/v1/health/checks')).json();
      expect(list.checks.map((c: Record<string, unknown>) => [c.name, c.kind, c.status])).toEqual([
        ['cache', 'redis', 'up'],
        ['database', 'postgres', 'unknown'],
        ['storage', 'tcp', 'down'],
        ['video', 'http', 'unknown'],
      ]);
      expect((await send('DELETE', '/api/v1/health/checks/video')).statusCode).toBe(204);
      expect((await send('DELETE', '/api/v1/health/checks/video')).statusCode).toBe(404);
      expect(vigil.health.scheduler.states().map((s) => s.name)).toEqual(['cache', 'database', 'storage']);
    });
  });
