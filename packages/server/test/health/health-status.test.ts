import { describe, expect, it } from 'vitest';
import { bodyMatcher, redactTarget, validateHealthCheck } from '../../src/health/health-check-config.js';
import { healthJson, statusAfter, uptimePercent } from '../../src/health/health-status.js';
import type { SystemReading } from '../../src/health/system-sampler.js';

const T = Date.UTC(2026, 10, 27, 12, 0, 0);

describe('health status', () => {
  it('is up with no failure, degraded below retries, down from retries on', () => {
    expect([0, 1, 2, 3, 4].map((n) => statusAfter(n, 3))).toEqual(['up', 'degraded', 'degraded', 'down', 'down']);
    expect(statusAfter(1, 1)).toBe('down');
  });

  it('computes sample-weighted uptime', () => {
    expect(uptimePercent(7, 8)).toBe(87.5);
    expect(uptimePercent(2, 3)).toBe(66.6667);
    expect(uptimePercent(0, 0)).toBeNull();
  });

  it('builds health+json: worst entry wins, host readings against 80/80/85', () => {
    const system: SystemReading = {
      ts: T,
      cpuPercent: 50,
      memoryPercent: 81.234,
      disks: [{ mount: '/data', percent: 85, gauge: 'disk.percent' }],
      pressure: { cpu: null, memory: null, io: null },
      load1m: 1,
      eventLoopDelayMillis: 2,
      uptimeSeconds: 99.6,
    };
    const up = { check: 'database', ts: T, ok: true, latencyMillis: 3.5, status: 'up' as const, detail: 'SELECT 1' };
    const body = healthJson([{ name: 'database', kind: 'postgres', status: 'up', last: up }], system, T);
    expect(body.status).toBe('warn');
    expect(body.checks).toEqual({
      'database:responseTime': [
        {
          componentType: 'postgres',
          status: 'pass',
          observedValue: 3.5,
          observedUnit: 'ms',
          time: '2026-11-27T12:00:00.000Z',
          output: 'up: SELECT 1',
        },
      ],
      'cpu:utilization': [
        {
          componentType: 'system',
          status: 'pass',
          observedValue: 50,
          observedUnit: 'percent',
          time: '2026-11-27T12:00:00.000Z',
        },
      ],
      'memory:utilization': [
        {
          componentType: 'system',
          status: 'warn',
          observedValue: 81.23,
          observedUnit: 'percent',
          time: '2026-11-27T12:00:00.000Z',
          output: 'at or above 80 %',
        },
      ],
      'disk:utilization': [
        {
          componentId: '/data',
          componentType: 'system',
          status: 'warn',
          observedValue: 85,
          observedUnit: 'percent',
          time: '2026-11-27T12:00:00.000Z',
          output: 'at or above 85 %',
        },
      ],
      uptime: [
        {
          componentType: 'system',
          status: 'pass',
          observedValue: 100,
          observedUnit: 's',
          time: '2026-11-27T12:00:00.000Z',
        },
      ],
    });
    const down = { ...up, ok: false, status: 'down' as const, detail: 'ECONNREFUSED' };
    expect(healthJson([{ name: 'database', kind: 'postgres', status: 'down', last: down }], undefined, T).status).toBe(
      'fail',
    );
    expect(healthJson([], undefined, T).status).toBe('pass');
  });
});

describe('health check definitions', () => {
  it('fills defaults and names the bad field', () => {
    expect(validateHealthCheck({ name: 'cache', kind: 'redis', target: 'redis://127.0.0.1:6379' })).toEqual({
      name: 'cache',
      kind: 'redis',
      target: 'redis://127.0.0.1:6379',
      intervalMillis: 30_000,
      timeoutMillis: 5_000,
      retries: 3,
      expectStatus: null,
      bodyMatch: null,
    });
    const bad = (raw: unknown) => {
      try {
        validateHealthCheck(raw);
        return 'valid';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(bad({ name: 'Cache', kind: 'redis', target: 'redis://x' })).toBe('name must match [a-z][a-z0-9_.-]{0,63}');
    expect(bad({ name: 'cache', kind: 'mongo', target: 'x' })).toBe('kind must be one of postgres, redis, http, tcp');
    expect(bad({ name: 'video', kind: 'tcp', target: 'http://x' })).toBe('target must be host:port for a tcp check');
    expect(bad({ name: 'video', kind: 'tcp', target: 'x:1', retries: 0 })).toBe(
      'retries must be an integer from 1 to 100 (got 0)',
    );
    expect(bad({ name: 'video', kind: 'tcp', target: 'x:1', expectStatus: 200 })).toBe(
      'expectStatus applies to http checks only',
    );
    expect(bad({ name: 's', kind: 'http', target: 'http://x', bodyMatch: '/(/' })).toBe(
      'bodyMatch is not a valid /regular expression/',
    );
    expect(bad({ name: 's', kind: 'http', target: 'http://x', timeoutMillis: 40_000 })).toBe(
      'timeoutMillis must not exceed intervalMillis',
    );
    expect(bad({ name: 's', kind: 'http', target: 'http://x', color: 'red' })).toBe('color is not a known field');
  });

  it('matches bodies by substring or /regex/ and masks passwords', () => {
    expect(bodyMatcher('ok')('{"status":"ok"}')).toBe(true);
    expect(bodyMatcher('/"status":\\s*"OK"/i')('{"status": "ok"}')).toBe(true);
    expect(bodyMatcher('/^ok$/')('not ok')).toBe(false);
    expect(redactTarget('postgres://app:s3cret@db/app')).toBe('postgres://app:***@db/app');
    expect(redactTarget('redis://:pw@cache:6379')).toBe('redis://:***@cache:6379');
    expect(redactTarget('http://cdn/health')).toBe('http://cdn/health');
  });
});
