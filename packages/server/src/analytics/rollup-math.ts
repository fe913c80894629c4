import { DDSketch } from '../pipeline/ddsketch.js';
import { HyperLogLog } from '../pipeline/hll.js';
import type { RollupRecord, SeriesKey, SessionMinuteRecord } from '../store/store.js';

/** A predicate over series keys; omitted means every record. */
export type KeyFilter = (key: SeriesKey) => boolean;

/**
 * Σ count of the records the filter keeps.
 *
 * @example
 * countOf(api, (k) => k.statusClass === '5xx'); // failed requests
 */
export function countOf(records: readonly RollupRecord[], filter?: KeyFilter): number {
  let n = 0;
  for (const r of records) if (filter === undefined || filter(r.key)) n += r.count;
  return n;
}

/**
 * Σ sum of the records the filter keeps (gauge values, durations, scores).
 *
 * @example
 * sumOf(gauges, (k) => k.name === 'cache.hits');
 */
export function sumOf(records: readonly RollupRecord[], filter?: KeyFilter): number {
  let n = 0;
  for (const r of records) if (filter === undefined || filter(r.key)) n += r.sum;
  return n;
}

/**
 * Σ sum / Σ count of the records the filter keeps, or null without any.
 *
 * @example
 * meanOf(gauges, (k) => k.name === 'memory.percent'); // 63.2
 */
export function meanOf(records: readonly RollupRecord[], filter?: KeyFilter): number | null {
  const n = countOf(records, filter);
  return n === 0 ? null : sumOf(records, filter) / n;
}

/**
 * The merged sketch of the records the filter keeps, with the exact min and max, or null when
 * none carries a sketch. Quantiles read from it are clamped to [min, max], as in `mergeSeries`.
 *
 * @example
 * const d = mergeDistribution(api);
 * quantileOf(d, 0.95);
 */
export function mergeDistribution(
  records: readonly RollupRecord[],
  filter?: KeyFilter,
): { sketch: DDSketch; min: number; max: number; count: number } | null {
  let sketch: DDSketch | null = null;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let count = 0;
  for (const r of records) {
    if (r.sketch === null || (filter !== undefined && !filter(r.key))) continue;
    if (sketch === null) sketch = DDSketch.decode(r.sketch);
    else sketch.mergeEncoded(r.sketch);
    if (r.min < min) min = r.min;
    if (r.max > max) max = r.max;
    count += r.count;
  }
  return sketch === null ? null : { sketch, min, max, count };
}

/**
 * A quantile of a merged distribution, clamped to its exact min and max; null when empty.
 *
 * @example
 * quantileOf(mergeDistribution(api), 0.95); // 412.7
 */
export function quantileOf(d: { sketch: DDSketch; min: number; max: number } | null, q: number): number | null {
  if (d === null) return null;
  const v = d.sketch.quantile(q);
  return v === null ? null : Math.min(d.max, Math.max(d.min, v));
}

/**
 * Distinct sessions and users over many minutes: the union of the per-minute HyperLogLogs.
 *
 * @example
 * distinctVisitors(minutes); // { sessions: 812, users: 640 }
 */
export function distinctVisitors(minutes: readonly SessionMinuteRecord[]): { sessions: number; users: number } {
  const first = minutes[0];
  if (first === undefined) return { sessions: 0, users: 0 };
  const sessions = HyperLogLog.decode(first.sessions);
  const users = HyperLogLog.decode(first.users);
  for (let i = 1; i < minutes.length; i++) {
    sessions.mergeEncoded(minutes[i]!.sessions);
    users.mergeEncoded(minutes[i]!.users);
  }
  return { sessions: sessions.estimate(), users: users.estimate() };
}

/**
 * Rounds to `digits` decimals (answers carry stable, readable numbers); null stays null.
 *
 * @example
 * round(99.87654, 2); // 99.88
 */
export function round(value: number | null, digits = 2): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * 100 × part / whole, or null when `whole` is 0.
 *
 * @example
 * percent(3, 4); // 75
 */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? (100 * part) / whole : null;
}
