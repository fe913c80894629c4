import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { GaugeReading } from '../../src/health/gauge-recorder.js';
import { HealthScheduler } from '../../src/health/health-scheduler.js';
import { HttpProbe } from '../../src/health/probes/http-probe.js';
import { PostgresProbe } from '../../src/health/probes/postgres-probe.js';
import { RedisProbe } from '../../src/health/probes/redis-probe.js';
import { TcpProbe } from '../../src/health/probes/tcp-probe.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { tempDir } from '../helpers/test-app.js';
import { PG_TEST_URL, pgAvailable } from '../store/pg-test-url.js';

/** A port nothing listens on: bind, note it, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

const signal = () => AbortSignal.timeout(3_000);
const pgReady = await pgAvailable();
const REDIS_URL = process.env.VIGIL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('probes against real services', () => {
  it.skipIf(!pgReady && process.env.CI !== 'true')('PostgreSQL answers SELECT 1', async () => {
    const result = await new PostgresProbe(PG_TEST_URL).check(signal());
    expect([result.ok, result.detail]).toEqual([true, 'SELECT 1']);
  });

  it('Redis answers PING with PONG', async () => {
    const result = await new RedisProbe(REDIS_URL).check(signal());
    expect([result.ok, result.detail]).toEqual([true, 'PONG']);
  });

  it('a closed port fails PostgreSQL, Redis and TCP checks with ECONNREFUSED', async () => {
    const port = await closedPort();
    const pg = await new PostgresProbe(`postgres://postgres:secret@127.0.0.1:${port}/test`).check(signal());
    const redis = await new RedisProbe(`redis://127.0.0.1:${port}`).check(signal());
    const tcp = await new TcpProbe(`127.0.0.1:${port}`).check(signal());
    for (const r of [pg, redis, tcp]) {
      expect(r.ok).toBe(false);
      expect(r.detail).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
    }
  });

  it('a check that outlives its timeout fails with "timed out"', async () => {
    // A server that accepts the connection and never answers.
    const server = createServer(() => {});
    const port = await listen(server);
    try {
      const result = await new HttpProbe({
        target: `http://127.0.0.1:${port}/`,
        expectStatus: null,
        bodyMatch: null,
      }).check(AbortSignal.timeout(50));
      expect([result.ok, result.detail]).toEqual([false, 'timed out']);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('HTTP checks the status and the body', async () => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
      res.end('{"status": "ok", "videos": 12}');
    });
    const port = await listen(server);
    const probe = (path: string, expectStatus: number | null, bodyMatch: string | null) =>
      new HttpProbe({ target: `http://127.0.0.1:${port}${path}`, expectStatus, bodyMatch }).check(signal());
    try {
      expect((await probe('/', 200, '"status": "ok"')).detail).toBe('status 200, body matched');
      expect((await probe('/', null, '/"videos":\\s*\\d+/')).ok).toBe(true);
      expect(await probe('/', 200, 'degraded')).toMatchObject({
        ok: false,
        detail: 'status 200, body did not match degraded',
      });
      expect(await probe('/missing', null, null)).toMatchObject({
        ok: false,
        detail: 'status 404, expected 2xx or 3xx',
      });
      expect(await probe('/missing', 404, null)).toMatchObject({ ok: true, detail: 'status 404' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('scheduler with a service that stops and starts', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('goes degraded, then down after `retries` failures, and back up when the server returns', async () => {
    const { dir, cleanup } = tempDir();
    const store = new SqliteStore({ file: `${dir}/vigil.db`, durability: 'normal' });
    await store.migrate();
    cleanups.push(cleanup, () => store.close());
    let server = createServer((_req, res) => res.end('ok'));
    const port = await listen(server);
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));

    let clock = 1_000_000;
    const gauges: Array<[string, string, number]> = [];
    const scheduler = new HealthScheduler({
      store,
      recordGauges: async (service: string, readings: GaugeReading[]) => {
        for (const r of readings) gauges.push([service, r.name, r.name === 'service.up' ? r.value : -1]);
      },
      retentionMillis: 86_400_000,
      now: () => clock,
      onError: (e) => {
        throw e;
      },
    });
    await store.putHealthCheck({
      name: 'video',
      kind: 'http',
      target: `http://127.0.0.1:${port}/health`,
      intervalMillis: 10_000,
      timeoutMillis: 2_000,
      retries: 3,
      expectStatus: 200,
      bodyMatch: 'ok',
    });
    await scheduler.load();
    const step = async () => {
      const [result] = await scheduler.runOnce();
      clock += 10_000;
      return result?.status;
    };

    expect(await step()).toBe('up');
    await new Promise((resolve) => server.close(resolve));
    expect([await step(), await step(), await step(), await step()]).toEqual(['degraded', 'degraded', 'down', 'down']);
    server = createServer((_req, res) => res.end('ok'));
    await listen(server, port);
    expect(await step()).toBe('up');

    const history = await store.listHealthResults({ check: 'video', from: 0, to: clock, limit: 100 });
    expect(history.map((r) => [r.ts, r.ok, r.status])).toEqual([
      [1_000_000, true, 'up'],
      [1_010_000, false, 'degraded'],
      [1_020_000, false, 'degraded'],
      [1_030_000, false, 'down'],
      [1_040_000, false, 'down'],
      [1_050_000, true, 'up'],
    ]);
    expect(history[1]?.detail).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
    // Worked example: 2 of 6 runs succeeded → 33.3333 %.
    const [summary] = await store.summarizeHealthResults({ from: 0, to: clock });
    expect([summary?.total, summary?.ok]).toEqual([6, 2]);
    expect(gauges.filter((g) => g[1] === 'service.up').map((g) => g[2])).toEqual([1, 0, 0, 0, 0, 1]);
    expect(new Set(gauges.map((g) => g[0]))).toEqual(new Set(['video']));
  });
});
