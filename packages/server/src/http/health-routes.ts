import { VigilError } from '@vigil/schema';
import type { FastifyInstance } from 'fastify';
import { HealthCheckInvalid, redactTarget, validateHealthCheck } from '../health/health-check-config.js';
import type { HealthScheduler } from '../health/health-scheduler.js';
import { healthJson, uptimePercent } from '../health/health-status.js';
import type { SystemSampler } from '../health/system-sampler.js';
import type { HealthCheckRecord, Store } from '../store/store.js';
import { parseInteger, parseRange } from './query-params.js';

const DAY = 86_400_000;

function validated(raw: unknown): HealthCheckRecord {
  try {
    return validateHealthCheck(raw);
  } catch (e) {
    if (e instanceof HealthCheckInvalid) throw new VigilError('VIGIL_ERR_INVALID_INPUT', e.message);
    throw e;
  }
}

/** A check as the API shows it: the target's password, if any, is masked. */
function shown(check: HealthCheckRecord): HealthCheckRecord {
  return { ...check, target: redactTarget(check.target) };
}

/**
 * Health routes: the health+json summary, check management (admin) and per-service status
 * history, latency and uptime (viewer).
 *
 * @example
 * await app.register(healthRoutes, { store, scheduler, sampler, now });
 */
export async function healthRoutes(
  app: FastifyInstance,
  opts: { store: Store; scheduler: HealthScheduler; sampler: SystemSampler; now: () => number },
): Promise<void> {
  const { store, scheduler, sampler, now } = opts;

  app.get('/api/v1/health', { config: { access: 'viewer' } }, async (_request, reply) => {
    const system = sampler.latest ?? (await sampler.sample());
    const body = healthJson(scheduler.states(), system, now());
    // draft-inadarei-api-health-check: fail answers 5xx, pass and warn 2xx.
    return reply
      .code(body.status === 'fail' ? 503 : 200)
      .type('application/health+json')
      .header('cache-control', 'no-store')
      .send(body);
  });

  app.get('/api/v1/health/checks', { config: { access: 'admin' } }, async () => {
    const states = new Map(scheduler.states().map((s) => [s.name, s]));
    const checks = await store.listHealthChecks();
    return { checks: checks.map((c) => ({ ...shown(c), status: states.get(c.name)?.status ?? 'unknown' })) };
  });

  app.post('/api/v1/health/checks', { config: { access: 'admin' } }, async (request, reply) => {
    const check = validated(request.body);
    const existing = await store.listHealthChecks();
    if (existing.some((c) => c.name === check.name)) {
      throw new VigilError('VIGIL_ERR_CONFLICT', `a health check named ${check.name} exists; PUT replaces it`);
    }
    await store.putHealthCheck(check);
    await scheduler.load();
    return reply.code(201).send({ check: shown(check) });
  });

  app.put('/api/v1/health/checks/:name', { config: { access: 'admin' } }, async (request) => {
    const { name } = request.params as { name: string };
    const body = request.body;
    if (typeof body === 'object' && body !== null && 'name' in body && body.name !== name) {
      throw new VigilError('VIGIL_ERR_INVALID_INPUT', 'name must match the path (or be left out)');
    }
    const check = validated(typeof body === 'object' && body !== null ? { ...body, name } : body);
    await store.putHealthCheck(check);
    await scheduler.load();
    return { check: shown(check) };
  });

  app.delete('/api/v1/health/checks/:name', { config: { access: 'admin' } }, async (request, reply) => {
    const { name } = request.params as { name: string };
    if (!(await store.deleteHealthCheck(name))) throw new VigilError('VIGIL_ERR_NOT_FOUND');
    await scheduler.load();
    return reply.code(204).send();
  });

  app.get('/api/v1/health/services', { config: { access: 'viewer' } }, async (request) => {
    const { from, to } = parseRange(request.query as Record<string, unknown>, now(), DAY);
    const summaries = new Map((await store.summarizeHealthResults({ from, to })).map((s) => [s.check, s]));
    const states = new Map(scheduler.states().map((s) => [s.name, s]));
    const names = [...new Set([...states.keys(), ...summaries.keys()])].sort();
    const services = names.map((name) => {
      const s = summaries.get(name);
      const state = states.get(name);
      return {
        name,
        kind: state?.kind ?? null,
        status: state?.status ?? 'removed',
        lastCheckedAt: state?.last?.ts ?? null,
        lastDetail: state?.last?.detail ?? null,
        checks: s?.total ?? 0,
        failures: s === undefined ? 0 : s.total - s.ok,
        uptimePercent: s === undefined ? null : uptimePercent(s.ok, s.total),
        latencyMillis: s === undefined ? null : { avg: round(s.avgLatencyMillis), max: round(s.maxLatencyMillis) },
      };
    });
    return { from, to, uptime: 'sample-weighted: successful runs / runs in the range', services };
  });

  app.get('/api/v1/health/services/:name/history', { config: { access: 'viewer' } }, async (request) => {
    const { name } = request.params as { name: string };
    const q = request.query as Record<string, unknown>;
    const { from, to } = parseRange(q, now(), DAY);
    const limit = parseInteger('limit', q.limit, 1, 10_000, 1_000);
    const results = await store.listHealthResults({ check: name, from, to, limit });
    const known = scheduler.states().some((s) => s.name === name);
    if (results.length === 0 && !known) throw new VigilError('VIGIL_ERR_NOT_FOUND');
    // Uptime covers the whole range, not only the `limit` newest results returned.
    const summary = (await store.summarizeHealthResults({ from, to })).find((s) => s.check === name);
    return {
      name,
      from,
      to,
      uptimePercent: summary === undefined ? null : uptimePercent(summary.ok, summary.total),
      results: results.map((r) => ({
        ts: r.ts,
        ok: r.ok,
        latencyMillis: r.latencyMillis,
        status: r.status,
        detail: r.detail,
      })),
    };
  });
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
