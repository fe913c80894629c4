import { mergeSeries } from '../analytics/series.js';
import type { RollupQuery, RollupRecord, SeriesKey } from '../store/store.js';
import type { AlertRule, Comparator, RuleQuery, SeriesFilter } from './alert-rule.js';

/** What one rule measured at one instant. */
export interface Evaluation {
  ruleId: string;
  /** Null when the window holds too little data to judge (the alert's state is kept). */
  value: number | null;
  /** Events the value was computed from. */
  count: number;
  /** The value passes the firing threshold. */
  breaching: boolean;
  /** The value is back on the healthy side of the resolve threshold. */
  healthy: boolean;
}

const MINUTE = 60_000;
const FILTER_KEYS = ['phase', 'name', 'service', 'environment', 'statusClass', 'method'] as const;

/**
 * The window a rule reads at `now`: the minute buckets that start inside the last
 * `windowMillis` (the current, partial minute included), so fresh data counts at once.
 *
 * @example
 * ruleWindow(120_000, 1_000_090_000); // { from: 999_960_000, to: 1_000_090_001 }
 */
export function ruleWindow(windowMillis: number, now: number): { from: number; to: number } {
  return { from: Math.ceil((now - windowMillis) / MINUTE) * MINUTE, to: now + 1 };
}

/**
 * The store query for a rule: single-valued filters go to the store, lists are applied after.
 *
 * @example
 * const records = await store.queryRollups(rollupQueryFor(rule, 'learning-portal', now));
 */
export function rollupQueryFor(rule: AlertRule, project: string, now: number): RollupQuery {
  const q = rule.query;
  const query: RollupQuery = { project, metric: q.metric, resolution: 'minute', ...ruleWindow(q.windowMillis, now) };
  for (const key of FILTER_KEYS) {
    const v = q[key];
    if (typeof v === 'string') query[key] = v;
  }
  return query;
}

function matches(key: SeriesKey, filter: SeriesFilter): boolean {
  for (const k of FILTER_KEYS) {
    const want = filter[k];
    if (want === undefined) continue;
    if (typeof want === 'string' ? key[k] !== want : !want.includes(key[k])) return false;
  }
  return true;
}

/**
 * Whether `value comparator threshold` holds.
 *
 * @example
 * compare(91, '>', 80); // true
 */
export function compare(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

function measure(q: RuleQuery, records: RollupRecord[], from: number, to: number): number | null {
  const count = records.reduce((n, r) => n + r.count, 0);
  if (count === 0) return null;
  switch (q.aggregation) {
    case 'avg':
      return records.reduce((s, r) => s + r.sum, 0) / count;
    case 'max':
      return Math.max(...records.map((r) => r.max));
    case 'min':
      return Math.min(...records.map((r) => r.min));
    case 'p95':
      return mergeSeries(records, from, to, to - from)[0]?.p95 ?? null;
    case 'rate':
      return count / Math.max(1, (to - from) / MINUTE);
    case 'ratio': {
      const by = (r: RollupRecord) => (q.ratioOf === 'sum' ? r.sum : r.count);
      const total = records.reduce((s, r) => s + by(r), 0);
      if (total === 0) return null;
      const part = records.filter((r) => matches(r.key, q.numerator ?? {})).reduce((s, r) => s + by(r), 0);
      return (part / total) * 100;
    }
  }
}

/**
 * Evaluates one rule over the rollups its query returned (pure). The value is the window's
 * aggregate; `breaching` uses the threshold, `healthy` the resolve threshold (hysteresis).
 *
 * @example
 * const e = evaluateRule(cpuRule, records, now); // { value: 91.5, breaching: true, healthy: false, … }
 */
export function evaluateRule(rule: AlertRule, records: RollupRecord[], now: number): Evaluation {
  const { from, to } = ruleWindow(rule.query.windowMillis, now);
  const kept = records.filter((r) => matches(r.key, rule.query) && r.bucket >= from && r.bucket < to);
  const count = kept.reduce((n, r) => n + r.count, 0);
  const raw = count < (rule.query.minCount ?? 1) ? null : measure(rule.query, kept, from, to);
  const value = raw === null ? null : Math.round(raw * 1000) / 1000;
  if (value === null) return { ruleId: rule.id, value, count, breaching: false, healthy: false };
  const breaching = compare(value, rule.comparator, rule.threshold);
  const twoSided = rule.comparator === '==' || rule.comparator === '!=';
  const healthy = twoSided ? !breaching : !compare(value, rule.comparator, rule.resolveThreshold);
  return { ruleId: rule.id, value, count, breaching, healthy };
}
