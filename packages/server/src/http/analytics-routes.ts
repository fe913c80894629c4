import { EVENT_TYPES, VigilError } from '@vigil/schema';
import type { FastifyInstance } from 'fastify';
import {
  errorAnalysisFor,
  kpisFor,
  percentilesFor,
  RESOURCE_THRESHOLDS,
  recommendationsFor,
  analyticsRange as resolveRange,
  scoreFor,
  trendFor,
  uxFor,
} from '../analytics/analytics-queries.js';
import type { TrendStat } from '../analytics/trends.js';
import type { RollupQuery, Store } from '../store/store.js';
import { parseDim, parseInteger, parseRange } from './query-params.js';

const DAY = 24 * 3_600_000;
const STATS = new Set<TrendStat>(['avg', 'p50', 'p95', 'p99', 'count', 'max']);

/** A decimal threshold (e.g. 0.25 for CLS). */
function parseThreshold(raw: unknown): number {
  const n = typeof raw === 'string' && /^\d{1,12}(\.\d{1,6})?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n)) throw new VigilError('VIGIL_ERR_INVALID_QUERY', 'threshold must be a non-negative number');
  return n;
}

interface Opts {
  store: Store;
  defaultProject: string;
  detailedMillis: number;
  now: () => number;
}

/**
 * The range of an analytics request and the previous period of equal length, resolved by
 * `analytics/analytics-queries.ts` (shared with the reports).
 */
function analyticsRange(q: Record<string, unknown>, o: Opts) {
  const now = o.now();
  const raw = parseRange(q, now, DAY);
  const project = parseDim('project', q.project, 64) ?? o.defaultProject;
  return resolveRange(project, raw.from, raw.to, now, o.detailedMillis);
}

/**
 * Analytics read routes: KPIs, performance score, percentiles, trends, recommendations, error
 * analysis and user experience. Handlers only parse and call `analytics/analytics-queries.ts`,
 * which the reports use too; every number is computed in `analytics/`.
 */
export async function analyticsRoutes(app: FastifyInstance, opts: Opts): Promise<void> {
  const { store } = opts;

  app.get('/api/v1/kpis', { config: { access: 'viewer' } }, async (request) => {
    const r = analyticsRange(request.query as Record<string, unknown>, opts);
    const kpis = await kpisFor(store, r);
    return { project: r.project, from: r.from, to: r.to, previous: r.previous, resolution: r.resolution, ...kpis };
  });

  app.get('/api/v1/score', { config: { access: 'viewer' } }, async (request) => {
    const r = analyticsRange(request.query as Record<string, unknown>, opts);
    const score = await scoreFor(store, r);
    return { project: r.project, from: r.from, to: r.to, resolution: r.resolution, ...score };
  });

  app.get('/api/v1/percentiles', { config: { access: 'viewer' } }, async (request) => {
    const q = request.query as Record<string, unknown>;
    const groupBy = parseDim('groupBy', q.groupBy, 16) ?? 'phase';
    if (groupBy !== 'phase' && groupBy !== 'operation') {
      throw new VigilError('VIGIL_ERR_INVALID_QUERY', 'groupBy must be phase or operation');
    }
    const r = analyticsRange(q, opts);
    const rows = await percentilesFor(store, r, groupBy);
    return { project: r.project, from: r.from, to: r.to, resolution: r.resolution, groupBy, rows };
  });

  app.get('/api/v1/trends', { config: { access: 'viewer' } }, async (request) => {
    const q = request.query as Record<string, unknown>;
    const metric = parseDim('metric', q.metric, 32);
    if (metric === undefined || !(EVENT_TYPES as readonly string[]).includes(metric)) {
      throw new VigilError('VIGIL_ERR_INVALID_QUERY', `metric must be one of ${EVENT_TYPES.join(', ')}`);
    }
    const statText = parseDim('stat', q.stat, 8);
    const fallback: TrendStat =
      metric === 'gauge' ? 'avg' : ['api', 'timing', 'vital'].includes(metric) ? 'p95' : 'count';
    const stat = (statText ?? fallback) as TrendStat;
    if (!STATS.has(stat))
      throw new VigilError('VIGIL_ERR_INVALID_QUERY', 'stat must be avg, p50, p95, p99, count or max');
    const name = parseDim('name', q.name);
    const threshold =
      q.threshold !== undefined
        ? parseThreshold(q.threshold)
        : metric === 'gauge' && name !== undefined
          ? (RESOURCE_THRESHOLDS[name] ?? null)
          : null;
    const base = analyticsRange(q, opts);
    const filters = { metric } as Partial<RollupQuery> & { metric: RollupQuery['metric'] };
    for (const dim of ['phase', 'method', 'statusClass', 'service', 'environment'] as const) {
      const v = parseDim(dim, q[dim]);
      if (v !== undefined) filters[dim] = v;
    }
    if (name !== undefined) filters.name = name;
    const trend = await trendFor(store, base, opts.now(), opts.detailedMillis, { filters, stat, threshold });
    const { from, to, step, resolution, ...analysis } = trend;
    return { project: base.project, from, to, step, resolution, ...filters, ...analysis };
  });

  app.get('/api/v1/recommendations', { config: { access: 'viewer' } }, async (request) => {
    const r = analyticsRange(request.query as Record<string, unknown>, opts);
    const recommendations = await recommendationsFor(store, r);
    return { project: r.project, from: r.from, to: r.to, resolution: r.resolution, recommendations };
  });

  app.get('/api/v1/errors/analysis', { config: { access: 'viewer' } }, async (request) => {
    const q = request.query as Record<string, unknown>;
    const r = analyticsRange(q, opts);
    const quietMillis = parseInteger('quietMinutes', q.quietMinutes, 1, 60 * 24 * 30, 24 * 60) * 60_000;
    const analysis = await errorAnalysisFor(store, r, quietMillis);
    return { project: r.project, resolution: r.resolution, quietMillis, ...analysis };
  });

  app.get('/api/v1/ux', { config: { access: 'viewer' } }, async (request) => {
    const r = analyticsRange(request.query as Record<string, unknown>, opts);
    const ux = await uxFor(store, r);
    return { project: r.project, from: r.from, to: r.to, resolution: r.resolution, ...ux };
  });
}
