import type { TrendAnalysis, TrendStat } from '@vigil/schema';
import type { RollupRecord, SeriesKey } from '../store/store.js';
import { countOf, mergeDistribution, quantileOf, round } from './rollup-math.js';
import type { SeriesBucket } from './series.js';

/** Latency figures of one phase or operation over a range. */
export interface PercentileRow {
  /** The phase (`auth`, `content`, `pwa`, `api`…) or the operation (`content video_load`, `GET /api/courses/:id`). */
  key: string;
  phase: string;
  count: number;
  /** Calls per minute over the range. */
  throughputPerMinute: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** How a timing or api series is named when grouped by operation. */
function operationOf(k: SeriesKey): string {
  return k.metric === 'api' ? `${k.method} ${k.name}` : `${k.phase} ${k.name}`;
}

/**
 * P50/P95/P99, count and throughput of timings and API calls, per phase (api calls form the
 * `api` phase) or per operation (timing name within its phase; method and route for api
 * calls), busiest first.
 *
 * @example
 * percentilesBy([...timings, ...api], 'phase', from, to); // [{ key: 'api', count: 1200, p95: 410, … }, …]
 */
export function percentilesBy(
  records: readonly RollupRecord[],
  groupBy: 'phase' | 'operation',
  from: number,
  to: number,
): PercentileRow[] {
  const groups = new Map<string, { phase: string; records: RollupRecord[] }>();
  for (const r of records) {
    const key = groupBy === 'phase' ? r.key.phase : operationOf(r.key);
    let g = groups.get(key);
    if (g === undefined) {
      g = { phase: r.key.phase, records: [] };
      groups.set(key, g);
    }
    g.records.push(r);
  }
  const minutes = (to - from) / 60_000;
  return [...groups.entries()]
    .map(([key, g]): PercentileRow => {
      const d = mergeDistribution(g.records);
      const count = countOf(g.records);
      return {
        key,
        phase: g.phase,
        count,
        throughputPerMinute: round(count / minutes, 3) as number,
        p50: round(quantileOf(d, 0.5)),
        p95: round(quantileOf(d, 0.95)),
        p99: round(quantileOf(d, 0.99)),
      };
    })
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
}

/** A least-squares line through (time, value) points; slope per hour. */
export interface LinearFit {
  slopePerHour: number;
  /** The fitted value at `t` ms is `intercept + slopePerHour · (t − origin) / 3,600,000`. */
  intercept: number;
  origin: number;
  points: number;
}

/**
 * Ordinary least squares over the points; null with fewer than two distinct times.
 *
 * @example
 * linearFit([{ ts: 0, value: 50 }, { ts: 3_600_000, value: 52 }]); // { slopePerHour: 2, intercept: 50, … }
 */
export function linearFit(points: readonly { ts: number; value: number }[]): LinearFit | null {
  if (points.length < 2) return null;
  const origin = points[0]!.ts;
  const xs = points.map((p) => (p.ts - origin) / 3_600_000);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = points.reduce((a, p) => a + p.value, 0) / points.length;
  let sxx = 0;
  let sxy = 0;
  points.forEach((p, i) => {
    const dx = xs[i]! - mx;
    sxx += dx * dx;
    sxy += dx * (p.value - my);
  });
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slopePerHour: slope, intercept: my - slope * mx, origin, points: points.length };
}

/**
 * When the fitted line reaches `threshold`: null unless the line rises; `at` (now) when it is
 * already at or over the threshold there.
 *
 * @example
 * forecastCrossing({ slopePerHour: 1, intercept: 70, origin: 0, points: 10 }, 80, 0); // 36_000_000
 */
export function forecastCrossing(fit: LinearFit | null, threshold: number, at: number): number | null {
  if (fit === null || !(fit.slopePerHour > 0)) return null;
  const valueAt = fit.intercept + (fit.slopePerHour * (at - fit.origin)) / 3_600_000;
  if (valueAt >= threshold) return at;
  return Math.round(fit.origin + ((threshold - fit.intercept) / fit.slopePerHour) * 3_600_000);
}

// What analyzeTrend returns is the API's trend shape, declared once in @vigil/schema.
export type { TrendAnalysis, TrendStat };

/** Buckets' mean of a stat, weighting averages by count; `count` is a rate per bucket. */
function meanStat(buckets: readonly SeriesBucket[], stat: TrendStat): number | null {
  const values = buckets.map((b) => statOf(b, stat)).filter((v): v is number => v !== null);
  if (stat === 'avg') {
    const n = buckets.reduce((a, b) => a + b.count, 0);
    return n === 0 ? null : buckets.reduce((a, b) => a + b.sum, 0) / n;
  }
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function statOf(b: SeriesBucket, stat: TrendStat): number | null {
  return stat === 'count' ? b.count : b[stat];
}

/**
 * Trend of one series: its points, mean against the previous period's, the least-squares
 * slope per hour and, with a threshold, when the line crosses it (linear extrapolation from
 * the end of the range; null when the series is not rising).
 *
 * @example
 * analyzeTrend(buckets, previousBuckets, 'avg', 80, to).crossesAt; // epoch ms, or null
 */
export function analyzeTrend(
  buckets: readonly SeriesBucket[],
  previous: readonly SeriesBucket[],
  stat: TrendStat,
  threshold: number | null,
  to: number,
): TrendAnalysis {
  const points = buckets.map((b) => ({ ts: b.ts, value: round(statOf(b, stat), 3) }));
  const fit = linearFit(
    buckets.flatMap((b) => {
      const v = statOf(b, stat);
      return v === null || (stat !== 'count' && b.count === 0) ? [] : [{ ts: b.ts, value: v }];
    }),
  );
  const mean = meanStat(buckets, stat);
  const previousMean = meanStat(previous, stat);
  return {
    stat,
    points,
    mean: round(mean, 3),
    previousMean: round(previousMean, 3),
    changePercent:
      mean === null || previousMean === null || previousMean === 0
        ? null
        : round((100 * (mean - previousMean)) / Math.abs(previousMean)),
    slopePerHour: fit === null ? null : round(fit.slopePerHour, 4),
    threshold,
    crossesAt: threshold === null ? null : forecastCrossing(fit, threshold, to),
  };
}
