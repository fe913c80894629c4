import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HealthCheckRecord, HealthResultRecord, Store } from '../../src/store/store.js';
import { loadAdapters, type OpenedStore } from './store-adapters.js';

const ADAPTERS = await loadAdapters();
const T = 1_800_000_000_000;

const check = (name: string, extra: Partial<HealthCheckRecord> = {}): HealthCheckRecord => ({
  name,
  kind: 'http',
  target: `http://${name}.internal/health`,
  intervalMillis: 30_000,
  timeoutMillis: 5_000,
  retries: 3,
  expectStatus: 200,
  bodyMatch: '/ok/i',
  ...extra,
});

const result = (name: string, ts: number, ok: boolean, latencyMillis: number): HealthResultRecord => ({
  check: name,
  ts,
  ok,
  latencyMillis,
  status: ok ? 'up' : 'down',
  detail: ok ? null : 'connect ECONNREFUSED 10.0.0.1:443',
});

for (const adapter of ADAPTERS)
  describe.skipIf(adapter.skipReason !== null)(`health tables (${adapter.name})`, () => {
    let opened: OpenedStore;
    let store: Store;
    beforeEach(async () => {
      opened = await adapter.open(() => T);
      store = opened.store;
    });
    afterEach(async () => {
      await opened.dispose();
    });

    it('stores, replaces and deletes check definitions', async () => {
      await store.putHealthCheck(check('video'));
      await store.putHealthCheck(
        check('cache', { kind: 'redis', target: 'redis://c:6379', expectStatus: null, bodyMatch: null }),
      );
      await store.putHealthCheck(check('video', { retries: 5 }));
      expect(await store.listHealthChecks()).toEqual([
        check('cache', { kind: 'redis', target: 'redis://c:6379', expectStatus: null, bodyMatch: null }),
        check('video', { retries: 5 }),
      ]);
      expect(await store.deleteHealthCheck('video')).toBe(true);
      expect(await store.deleteHealthCheck('video')).toBe(false);
      expect((await store.listHealthChecks()).map((c) => c.name)).toEqual(['cache']);
    });

    it('lists the newest `limit` results oldest first, summarizes and prunes them', async () => {
      await store.appendHealthResults([
        result('video', T, true, 10),
        result('video', T + 1000, false, 30),
        result('video', T + 2000, true, 20),
        result('cache', T + 500, true, 1.5),
      ]);
      await store.appendHealthResults([result('video', T + 3000, true, 40)]);
      expect(await store.listHealthResults({ check: 'video', from: T, to: T + 3000, limit: 2 })).toEqual([
        result('video', T + 1000, false, 30),
        result('video', T + 2000, true, 20),
      ]);
      expect(await store.summarizeHealthResults({ from: T, to: T + 10_000 })).toEqual([
        {
          check: 'cache',
          total: 1,
          ok: 1,
          avgLatencyMillis: 1.5,
          maxLatencyMillis: 1.5,
          firstTs: T + 500,
          lastTs: T + 500,
        },
        { check: 'video', total: 4, ok: 3, avgLatencyMillis: 25, maxLatencyMillis: 40, firstTs: T, lastTs: T + 3000 },
      ]);
      expect(await store.pruneHealthResults(T + 1000)).toBe(2);
      expect((await store.summarizeHealthResults({ from: 0, to: T + 10_000 })).map((s) => [s.check, s.total])).toEqual([
        ['video', 3],
      ]);
    });
  });
