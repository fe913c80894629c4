import type { RollupRecord } from '../store/store.js';
import type { GroupTrend } from './error-insights.js';
import { mergeDistribution, quantileOf, round } from './rollup-math.js';
import { CACHE_BAND, RESPONSE_BAND, VITAL_BANDS } from './score.js';
import type { PercentileRow } from './trends.js';

/** One optimisation recommendation with the numbers that triggered it. */
export interface Recommendation {
  /** Stable for the same finding, e.g. `slow:GET /api/courses/:id`. */
  id: string;
  rule: 'slow-operation' | 'low-cache-hit-rate' | 'resource-pressure' | 'error-hotspot' | 'poor-web-vital';
  priority: 'high' | 'medium' | 'low';
  title: string;
  evidence: Record<string, number | string | null>;
}

/** A resource gauge's mean, alert threshold and forecast crossing. */
export interface ResourceOutlook {
  name: string;
  mean: number | null;
  latest: number | null;
  threshold: number;
  crossesAt: number | null;
}

/** One vital on one page at P75. */
export interface PageVital {
  page: string;
  vital: string;
  p75: number;
  count: number;
}

/** The inputs of {@link recommend}. */
export interface RecommendationInputs {
  now: number;
  operations: readonly PercentileRow[];
  cacheHitRate: number | null;
  resources: readonly ResourceOutlook[];
  errorGroups: readonly GroupTrend[];
  pageVitals: readonly PageVital[];
}

/** Fewest samples before a latency or vital finding is trusted. */
const MIN_SAMPLES = 20;
const DAY = 86_400_000;
const RANK = { high: 0, medium: 1, low: 2 } as const;

function slowOperations(ops: readonly PercentileRow[]): Recommendation[] {
  return ops
    .filter((o) => o.count >= MIN_SAMPLES && o.p95 !== null && o.p95 > RESPONSE_BAND.good)
    .sort((a, b) => (b.p95 as number) - (a.p95 as number))
    .slice(0, 5)
    .map((o) => ({
      id: `slow:${o.key}`,
      rule: 'slow-operation' as const,
      priority: (o.p95 as number) > RESPONSE_BAND.poor ? ('high' as const) : ('medium' as const),
      title: `${o.key}: P95 ${o.p95} ms is over the ${RESPONSE_BAND.good} ms target`,
      evidence: {
        operation: o.key,
        p95Millis: o.p95,
        p50Millis: o.p50,
        count: o.count,
        targetMillis: RESPONSE_BAND.good,
      },
    }));
}

function cache(rate: number | null): Recommendation[] {
  if (rate === null || rate >= CACHE_BAND.good) return [];
  return [
    {
      id: 'cache-hit-rate',
      rule: 'low-cache-hit-rate',
      priority: rate < CACHE_BAND.poor ? 'high' : 'medium',
      title: `Cache hit rate ${round(rate, 1)}% is under the ${CACHE_BAND.good}% target: review cache keys and TTLs`,
      evidence: { cacheHitRate: round(rate), target: CACHE_BAND.good, minimum: CACHE_BAND.poor },
    },
  ];
}

function resources(list: readonly ResourceOutlook[], now: number): Recommendation[] {
  return list.flatMap((r): Recommendation[] => {
    const evidence = {
      gauge: r.name,
      mean: round(r.mean),
      latest: round(r.latest),
      threshold: r.threshold,
      crossesAt: r.crossesAt,
    };
    if (r.latest !== null && r.latest >= r.threshold) {
      return [
        {
          id: `resource:${r.name}`,
          rule: 'resource-pressure',
          priority: 'high',
          title: `${r.name} is at ${round(r.latest, 1)}, over its ${r.threshold} threshold`,
          evidence,
        },
      ];
    }
    if (r.crossesAt !== null && r.crossesAt - now <= 7 * DAY) {
      const days = round((r.crossesAt - now) / DAY, 1);
      return [
        {
          id: `resource:${r.name}`,
          rule: 'resource-pressure',
          priority: r.crossesAt - now <= DAY ? 'high' : 'medium',
          title: `${r.name} is rising and will reach ${r.threshold} in about ${days} days at the current rate`,
          evidence,
        },
      ];
    }
    return [];
  });
}

function hotspots(groups: readonly GroupTrend[]): Recommendation[] {
  return groups
    .filter((g) => g.trend === 'rising' && g.count >= 10)
    .slice(0, 5)
    .map((g) => ({
      id: `errors:${g.fingerprint}`,
      rule: 'error-hotspot' as const,
      priority: g.kind === 'system' || g.kind === 'api' ? ('high' as const) : ('medium' as const),
      title: `Rising ${g.kind} error: ${g.message}`.slice(0, 200),
      evidence: { fingerprint: g.fingerprint, kind: g.kind, phase: g.phase, count: g.count, trend: g.trend },
    }));
}

function vitals(list: readonly PageVital[]): Recommendation[] {
  return list.flatMap((v): Recommendation[] => {
    const band = VITAL_BANDS[v.vital];
    if (band === undefined || v.count < MIN_SAMPLES || v.p75 <= band.good) return [];
    return [
      {
        id: `vital:${v.vital}:${v.page}`,
        rule: 'poor-web-vital',
        priority: v.p75 > band.poor ? 'high' : 'low',
        title: `${v.vital} on ${v.page} is ${v.p75 > band.poor ? 'poor' : 'needs improvement'} (P75 ${round(v.p75, 3)})`,
        evidence: {
          page: v.page,
          vital: v.vital,
          p75: round(v.p75, 3),
          good: band.good,
          poor: band.poor,
          count: v.count,
        },
      },
    ];
  });
}

/**
 * Optimisation recommendations by rule, highest priority first: slow operations (P95 over the
 * 100 ms target; high over 1000 ms), a cache hit rate under 85 % (high under 70 %), resources
 * over their threshold or forecast to cross it within 7 days (high within a day), rising error
 * groups with at least 10 occurrences, and web vitals over their good threshold per page at P75.
 *
 * @example
 * recommend(inputs)[0]; // { rule: 'resource-pressure', priority: 'high', evidence: { gauge: 'disk.percent', … } }
 */
export function recommend(inputs: RecommendationInputs): Recommendation[] {
  return [
    ...slowOperations(inputs.operations),
    ...cache(inputs.cacheHitRate),
    ...resources(inputs.resources, inputs.now),
    ...hotspots(inputs.errorGroups),
    ...vitals(inputs.pageVitals),
  ].sort((a, b) => RANK[a.priority] - RANK[b.priority] || (a.id < b.id ? -1 : 1));
}

/**
 * P75 of each vital per page, from vital rollups (whose `phase` holds the templated page).
 *
 * @example
 * pageVitals(vitalRollups); // [{ page: '/courses/:id', vital: 'LCP', p75: 3120, count: 240 }, …]
 */
export function pageVitals(records: readonly RollupRecord[]): PageVital[] {
  const groups = new Map<string, RollupRecord[]>();
  for (const r of records) {
    const id = `${r.key.phase}\u0001${r.key.name}`;
    const list = groups.get(id);
    if (list === undefined) groups.set(id, [r]);
    else list.push(r);
  }
  return [...groups.entries()].flatMap(([id, list]) => {
    const [page, vital] = id.split('\u0001') as [string, string];
    const d = mergeDistribution(list);
    const p75 = quantileOf(d, 0.75);
    return p75 === null || d === null ? [] : [{ page, vital, p75, count: d.count }];
  });
}
