import type { RollupQuery, Store } from '../store/store.js';
import { analyzeErrorData, trendsFromHalves } from './error-insights.js';
import { computeKpis } from './kpis.js';
import { alignRange, loadWindow, resolutionFor } from './load-window.js';
import { measureWindow } from './measures.js';
import { pageVitals, recommend } from './recommendations.js';
import { computeScore, RESOURCE_BANDS, scoreInputs } from './score.js';
import { autoStep, mergeSeries } from './series.js';
import { analyzeTrend, percentilesBy, type TrendStat } from './trends.js';
import { userExperience } from './ux.js';

const HOUR = 3_600_000;
/** Alert thresholds of the resource gauges (the spec's defaults): the poor end of their score bands. */
export const RESOURCE_THRESHOLDS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(RESOURCE_BANDS).map(([name, band]) => [name, band.poor]),
);

/** A resolved analytics range and the previous period of equal length. */
export interface AnalyticsRange {
  project: string;
  from: number;
  to: number;
  resolution: 'minute' | 'hour';
  previous: { from: number; to: number };
  /** The clock the range was resolved at (sealed days are cached relative to it). */
  now: number;
}

/**
 * Resolves a requested range: exact inside the detailed retention; aligned outward to hours and
 * read from the hourly table when it (or its previous period) reaches past it. The API routes
 * and the reports both resolve ranges here, so they read the same rows.
 *
 * @example
 * analyticsRange('learning-portal', from, to, Date.now(), 90 * 86_400_000).resolution; // 'minute'
 */
export function analyticsRange(
  project: string,
  rawFrom: number,
  rawTo: number,
  now: number,
  detailedMillis: number,
): AnalyticsRange {
  const resolution: 'minute' | 'hour' = rawFrom - (rawTo - rawFrom) < now - detailedMillis ? 'hour' : 'minute';
  const { from, to } = resolution === 'hour' ? alignRange(rawFrom, rawTo, 'hour') : { from: rawFrom, to: rawTo };
  return { project, from, to, resolution, previous: { from: from - (to - from), to: from }, now };
}

/**
 * The KPIs of a range compared with the previous period (`GET /api/v1/kpis`).
 *
 * @example
 * (await kpisFor(store, r)).operational[0].key; // 'availability'
 */
export async function kpisFor(store: Store, r: AnalyticsRange) {
  const metrics = ['api', 'error', 'action', 'gauge', 'rating', 'session'] as const;
  const [cur, prev] = await Promise.all([
    loadWindow(store, { ...r, metrics, sessions: true }),
    loadWindow(store, { ...r, ...r.previous, metrics, sessions: true }),
  ]);
  return computeKpis(measureWindow(cur), measureWindow(prev));
}

/**
 * The performance score of a range (`GET /api/v1/score`).
 *
 * @example
 * (await scoreFor(store, r)).score; // 81.4
 */
export async function scoreFor(store: Store, r: AnalyticsRange) {
  const data = await loadWindow(store, { ...r, metrics: ['api', 'error', 'action', 'gauge', 'vital'] });
  return computeScore(scoreInputs(measureWindow(data), data));
}

/**
 * Latency percentiles and throughput by phase or operation (`GET /api/v1/percentiles`).
 *
 * @example
 * (await percentilesFor(store, r, 'phase'))[0].key; // 'api'
 */
export async function percentilesFor(store: Store, r: AnalyticsRange, groupBy: 'phase' | 'operation') {
  const data = await loadWindow(store, { ...r, metrics: ['api', 'timing'] });
  return percentilesBy([...data.rollups.api, ...data.rollups.timing], groupBy, r.from, r.to);
}

/** Series filters and statistic of a trend. */
export interface TrendRequest {
  filters: Partial<RollupQuery> & { metric: RollupQuery['metric'] };
  stat: TrendStat;
  threshold: number | null;
}

/**
 * One series' trend (`GET /api/v1/trends`): buckets need one table, so long ranges read the
 * hourly table aligned to hours, shorter ones minutes, at the automatic step.
 *
 * @example
 * const t = await trendFor(store, r, now, detailedMillis, { filters: { metric: 'api' }, stat: 'p95', threshold: null });
 */
export async function trendFor(
  store: Store,
  base: AnalyticsRange,
  now: number,
  detailedMillis: number,
  t: TrendRequest,
) {
  const resolution = resolutionFor(base.from, base.to, now, detailedMillis);
  const aligned = alignRange(base.from, base.to, resolution);
  const span = aligned.to - aligned.from;
  const r = { ...base, ...aligned, resolution, previous: { from: aligned.from - span, to: aligned.from } };
  const unit = resolution === 'hour' ? HOUR : 60_000;
  const step = Math.max(unit, Math.ceil(autoStep(r.from, r.to) / unit) * unit);
  const read = (from: number, to: number) =>
    store.queryRollups({ project: r.project, ...t.filters, from, to, resolution });
  const [cur, prev] = await Promise.all([read(r.from, r.to), read(r.previous.from, r.previous.to)]);
  const trend = analyzeTrend(
    mergeSeries(cur, r.from, r.to, step),
    mergeSeries(prev, r.previous.from, r.previous.to, step),
    t.stat,
    t.threshold,
    r.to,
  );
  return { from: r.from, to: r.to, step, resolution, ...trend };
}

/**
 * The recommendations of a range with their evidence (`GET /api/v1/recommendations`).
 *
 * @example
 * (await recommendationsFor(store, r))[0].rule; // 'slow-operation'
 */
export async function recommendationsFor(store: Store, r: AnalyticsRange) {
  // Group trends from two SQL totals (range and first half): no per-minute rows on long ranges.
  const mid = r.from + Math.floor((r.to - r.from) / 2);
  const [data, groups, firstHalf] = await Promise.all([
    loadWindow(store, { ...r, metrics: ['api', 'timing', 'gauge', 'vital'] }),
    store.listErrorGroups({ project: r.project, from: r.from, to: r.to, limit: 20 }),
    store.listErrorGroups({ project: r.project, from: r.from, to: mid, limit: 5_000 }),
  ]);
  const step = Math.max(60_000, autoStep(r.from, r.to));
  const errorGroups = trendsFromHalves(groups, new Map(firstHalf.map((g) => [g.fingerprint, g.count])));
  const measures = measureWindow(data);
  const resources = Object.entries(RESOURCE_THRESHOLDS).map(([name, threshold]) => {
    const gauge = data.rollups.gauge.filter((g) => g.key.name === name);
    // Ranges of two hours or more mix hourly and minute rows: use hour buckets, hour-aligned.
    const hours = r.to - r.from >= 2 * HOUR;
    const buckets = hours
      ? mergeSeries(gauge, Math.floor(r.from / HOUR) * HOUR, r.to, HOUR)
      : mergeSeries(gauge, r.from, r.to, step);
    const trend = analyzeTrend(buckets, [], 'avg', threshold, r.to);
    const latest = [...buckets].reverse().find((b) => b.count > 0)?.avg ?? null;
    return { name, mean: trend.mean, latest, threshold, crossesAt: trend.crossesAt };
  });
  return recommend({
    now: r.to,
    operations: percentilesBy([...data.rollups.api, ...data.rollups.timing], 'operation', r.from, r.to),
    cacheHitRate: measures.cacheHitRate,
    resources,
    errorGroups,
    pageVitals: pageVitals(data.rollups.vital),
  });
}

/**
 * The error analysis of a range (`GET /api/v1/errors/analysis`): kinds, phases, top groups,
 * new and regressed groups, correlations and errors after a service went down.
 *
 * @example
 * (await errorAnalysisFor(store, r, 86_400_000)).newGroups.length; // 3
 */
export async function errorAnalysisFor(store: Store, r: AnalyticsRange, quietMillis: number) {
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
  return analyzeErrorData(
    { errorRollups: errorWindow.rollups.error, groups, minutes, serviceUp },
    { ...r, step, quietMillis },
  );
}

/**
 * User experience figures of a range (`GET /api/v1/ux`).
 *
 * @example
 * (await uxFor(store, r)).satisfaction.average; // 4.42
 */
export async function uxFor(store: Store, r: AnalyticsRange) {
  const data = await loadWindow(store, { ...r, metrics: ['session', 'action', 'rating'], sessions: true });
  return userExperience(data);
}
