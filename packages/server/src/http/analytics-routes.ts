import { EVENT_TYPES, VigilError } from '@vigil/schema';
import type { FastifyInstance } from 'fastify';
import { analyzeErrorData } from '../analytics/error-insights.js';
import { computeKpis } from '../analytics/kpis.js';
import { alignRange, loadWindow, resolutionFor } from '../analytics/load-window.js';
import { measureWindow } from '../analytics/measures.js';
import { pageVitals, recommend } from '../analytics/recommendations.js';
import { computeScore, RESOURCE_BANDS, scoreInputs } from '../analytics/score.js';
import { autoStep, mergeSeries } from '../analytics/series.js';
import { analyzeTrend, percentilesBy, type TrendStat } from '../analytics/trends.js';
import { userExperience } from '../analytics/ux.js';
import type { RollupQuery, Store } from '../store/store.js';
import { parseDim, parseInteger, parseRange } from './query-params.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STATS = new Set<TrendStat>(['avg', 'p50', 'p95', 'p99', 'count', 'max']);
/** Alert thresholds of the resource gauges (the spec's defaults): the poor end of their score bands. */
const THRESHOLDS: Record<string, number> = Object.fromEntries(
  Object.entries(RESOURCE_BANDS).map(([name, band]) => [name, band.poor]),
);

interface Opts {
  store: Store;
  defaultProject: string;
  detailedMillis: number;
  now: () => number;
}

/**
 * The range of an analytics request and the previous period of equal length. Inside the
 * detailed retention the range is exact (whole hours read from the hourly table, edges from
 * minutes); reaching past it, it is aligned outward to hours and read from the hourly table.
 */
function analyticsRange(q: Record<string, unknown>, o: Opts) {
  const now = o.now();
  const raw = parseRange(q, now, DAY);
  const resolution: 'minute' | 'hour' = raw.from - (raw.to - raw.from) < now - o.detailedMillis ? 'hour' : 'minute';
  const { from, to } = resolution === 'hour' ? alignRange(raw.from, raw.to, 'hour') : raw;
  const project = parseDim('project', q.project, 64) ?? o.defaultProject;
  return { project, from, to, resolution, previous: { from: from - (to - from), to: from } };
}

/**
 * Analytics read routes: KPIs, performance score, percentiles, trends, recommendations, error
 * analysis and user experience. Handlers only parse, load and call the pure functions in
 * `analytics/`; every number is computed there.
 */
export async function analyticsRoutes(app: FastifyInstance, opts: Opts): Promise<void> {
  const { store } = opts;

  app.get('/api/v1/kpis', { config: { access: 'viewer' } }, async (request) => {
    const r = analyticsRange(request.query as Record<string, unknown>, opts);
    const metrics = ['api', 'error', 'action', 'gauge', 'rating', 'session'] as const;
    const [cur, prev] = await Promise.all([
      loadWindow(store, { ...r, metrics, sessions: true }),
      loadWindow(store, { ...r, ...r.previous, metrics, sessions: true }),
    ]);
    const kpis = computeKpis(measureWindow(cur), measureWindow(prev));
    return { project: r.project, from: r.from, to: r.to, previous: r.previous, resolution: r.resolution, ...kpis };
  });

  app.get('/api/v1/score', { config: { access: 'viewer' } }, async (request) => {
    const r = analyticsRange(request.query as Record<string, unknown>, opts);
    const data = await loadWindow(store, { ...r, metrics: ['api', 'error', 'action', 'gauge', 'vital'] });
    const score = computeScore(scoreInputs(measureWindow(data), data));
    return { project: r.project, from: r.from, to: r.to, resolution: r.resolution, ...score };
  });

  app.get('/api/v1/percentiles', { config: { access: 'viewer' } }, async (request) => {
    const q = request.query as Record<string, unknown>;
    const groupBy = parseDim('groupBy', q.groupBy, 16) ?? 'phase';
    if (groupBy !== 'phase' && groupBy !== 'operation') {
      throw new VigilError('VIGIL_ERR_INVALID_QUERY', 'groupBy must be phase or operation');
    }
    const r = analyticsRange(q, opts);
    const data = await loadWindow(store, { ...r, metrics: ['api', 'timing'] });
    const rows = percentilesBy([...data.rollups.api, ...data.rollups.timing], groupBy, r.from, r.to);
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
        ? parseInteger('threshold', q.threshold, 0, 1e12, 0)
        : metric === 'gauge' && name !== undefined
          ? (THRESHOLDS[name] ?? null)
          : null;
    const base = analyticsRange(q, opts);
    // Buckets of a series need one table: hourly for long ranges, aligned to hours.
    const resolution = resolutionFor(base.from, base.to, opts.now(), opts.detailedMillis);
    const aligned = alignRange(base.from, base.to, resolution);
    const span = aligned.to - aligned.from;
    const r = { ...base, ...aligned, resolution, previous: { from: aligned.from - span, to: aligned.from } };
    const filters: Partial<RollupQuery> = { metric };
    for (const dim of ['phase', 'method', 'statusClass', 'service', 'environment'] as const) {
      const v = parseDim(dim, q[dim]);
      if (v !== undefined) filters[dim] = v;
    }
    if (name !== undefined) filters.name = name;
    const unit = r.resolution === 'hour' ? 3_600_000 : 60_000;
    const step = Math.max(unit, Math.ceil(autoStep(r.from, r.to) / unit) * unit);
    const read = (from: number, to: number) =>
      store.queryRollups({ project: r.project, metric, ...filters, from, to, resolution: r.resolution });
    const [cur, prev] = await Promise.all([read(r.from, r.to), read(r.previous.from, r.previous.to)]);
    const trend = analyzeTrend(
      mergeSeries(cur, r.from, r.to, step),
      mergeSeries(prev, r.previous.from, r.previous.to, step),
      stat,
      threshold,
      r.to,
    );
    return { project: r.project, from: r.from, to: r.to, step, resolution: r.resolution, ...filters, ...trend };
  });

  app.get('/api/v1/recommendations', { config: { access: 'viewer' } }, async (request) => {
    const r = analyticsRange(request.query as Record<string, unknown>, opts);
    const [data, groups, minutes] = await Promise.all([
      loadWindow(store, { ...r, metrics: ['api', 'timing', 'gauge', 'vital'] }),
      store.listErrorGroups({ project: r.project, from: r.from, to: r.to, limit: 20 }),
      store.queryErrorMinutes({ project: r.project, from: r.from, to: r.to }),
    ]);
    const step = Math.max(60_000, autoStep(r.from, r.to));
    const errors = analyzeErrorData(
      { errorRollups: [], groups, minutes, serviceUp: [] },
      { from: r.from, to: r.to, step, top: 20 },
    );
    const measures = measureWindow(data);
    const resources = Object.entries(THRESHOLDS).map(([name, threshold]) => {
      const gauge = data.rollups.gauge.filter((g) => g.key.name === name);
      // Ranges of two hours or more mix hourly and minute rows: use hour buckets, hour-aligned.
      const hours = r.to - r.from >= 2 * HOUR;
      const buckets = hours ? mergeSeries(gauge, Math.floor(r.from / HOUR) * HOUR, r.to, HOUR) : mergeSeries(gauge, r.from, r.to, step);
      const trend = analyzeTrend(buckets, [], 'avg', threshold, r.to);
      const latest = [...buckets].reverse().find((b) => b.count > 0)?.avg ?? null;
      return { name, mean: trend.mean, latest, threshold, crossesAt: trend.crossesAt };
    });
    const recommendations = recommend({
      now: r.to,
      operations: percentilesBy([...data.rollups.api, ...data.rollups.timing], 'operation', r.from, r.to),
      cacheHitRate: measures.cacheHitRate,
      resources,
      errorGroups: errors.top,
      pageVitals: pageVitals(data.rollups.vital),
    });
    return { project: r.project, from: r.from, to: r.to, resolution: r.resolution, recommendations };
  });

  app.get('/api/v1/errors/analysis', { config: { access: 'viewer' } }, async (request) => {
    const q = request.query as Record<string, unknown>;
    const r = analyticsRange(q, opts);
    const quietMillis = parseInteger('quietMinutes', q.quietMinutes, 1, 60 * 24 * 30, 24 * 60) * 60_000;
    const [errorWindow, groups, minutes, serviceUp] = await Promise.all([
      loadWindow(store, { ...r, metrics: ['error'] }),
      store.listErrorGroups({ project: r.project, from: r.from, to: r.to, limit: 500 }),
      store.queryErrorMinutes({ project: r.project, from: r.from - quietMillis, to: r.to }),
      store.queryRollups({
        project: r.project,
        metric: 'gauge',
        name: 'service.up',
        from: r.from,
        to: r.to,
        resolution: 'minute',
      }),
    ]);
    const step = Math.max(60_000, autoStep(r.from, r.to));
    const analysis = analyzeErrorData({ errorRollups: errorWindow.rollups.error, groups, minutes, serviceUp }, { ...r, step, quietMillis });
    return { project: r.project, resolution: r.resolution, quietMillis, ...analysis };
  });

  app.get('/api/v1/ux', { config: { access: 'viewer' } }, async (request) => {
    const r = analyticsRange(request.query as Record<string, unknown>, opts);
    const data = await loadWindow(store, { ...r, metrics: ['session', 'action', 'rating'], sessions: true });
    return { project: r.project, from: r.from, to: r.to, resolution: r.resolution, ...userExperience(data) };
  });
}
