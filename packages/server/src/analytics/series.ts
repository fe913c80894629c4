import type { SeriesBucket } from '@vigil/schema';
import { DDSketch } from '../pipeline/ddsketch.js';
import type { RollupRecord } from '../store/store.js';

// The bucket shape is the API's, declared once in @vigil/schema; named here for the server's modules.
export type { SeriesBucket };

/** Steps the automatic choice picks from, ms: at most {@link MAX_POINTS} buckets per answer. */
const NICE_STEPS = [
  60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000,
  86_400_000, 604_800_000,
];
/** Most buckets in one series answer. */
export const MAX_POINTS = 1_440;

/**
 * The step for a range: the requested one rounded up to whole minutes (or hours when the hourly
 * table is used), or the smallest nice step that gives at most 300 points.
 *
 * @example
 * autoStep(0, 86_400_000); // 300_000 (five minutes: 288 points)
 */
export function autoStep(from: number, to: number, requested?: number): number {
  const span = Math.max(1, to - from);
  if (requested !== undefined) {
    const minStep = Math.ceil(span / MAX_POINTS / 60_000) * 60_000;
    return Math.max(minStep, Math.ceil(requested / 60_000) * 60_000);
  }
  return NICE_STEPS.find((s) => span / s <= 300) ?? (NICE_STEPS.at(-1) as number);
}

/**
 * Merges rollup records (from any number of series and minutes) into buckets of `step` ms
 * aligned to `from`. Quantiles come from merged sketches, clamped to the exact min and max.
 * Buckets without data are returned with count 0 so charts show gaps honestly.
 *
 * @example
 * const buckets = mergeSeries(records, from, to, 300_000);
 */
export function mergeSeries(records: RollupRecord[], from: number, to: number, step: number): SeriesBucket[] {
  const n = Math.max(0, Math.ceil((to - from) / step));
  const acc = Array.from({ length: n }, () => ({
    count: 0,
    sum: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    sketch: null as DDSketch | null,
  }));
  for (const r of records) {
    const i = Math.floor((r.bucket - from) / step);
    const a = acc[i];
    if (a === undefined) continue;
    a.count += r.count;
    a.sum += r.sum;
    if (r.min < a.min) a.min = r.min;
    if (r.max > a.max) a.max = r.max;
    if (r.sketch) {
      if (a.sketch) a.sketch.mergeEncoded(r.sketch);
      else a.sketch = DDSketch.decode(r.sketch);
    }
  }
  const clamp = (v: number | null, lo: number, hi: number): number | null =>
    v === null ? null : Math.min(hi, Math.max(lo, v));
  return acc.map((a, i) => {
    const empty = a.count === 0;
    const q = (p: number): number | null => (a.sketch ? clamp(a.sketch.quantile(p), a.min, a.max) : null);
    return {
      ts: from + i * step,
      count: a.count,
      sum: a.sum,
      avg: empty ? null : a.sum / a.count,
      min: empty ? null : a.min,
      max: empty ? null : a.max,
      p50: q(0.5),
      p95: q(0.95),
      p99: q(0.99),
    };
  });
}
