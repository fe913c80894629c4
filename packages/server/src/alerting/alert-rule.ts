import type { AlertSeverity } from '../store/alert-records.js';

/** How a rule reduces the window's rollups to one number. */
export type Aggregation = 'avg' | 'max' | 'min' | 'p95' | 'rate' | 'ratio';
/** How the value is compared with the threshold. */
export type Comparator = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** Series filters: a string matches one value, a list any of them; absent matches all. */
export interface SeriesFilter {
  phase?: string | string[];
  name?: string | string[];
  service?: string | string[];
  environment?: string | string[];
  statusClass?: string | string[];
  method?: string | string[];
}

/**
 * What a rule measures: rollups of `metric` matching the filter over the last `windowMillis`,
 * reduced by `aggregation`. `rate` is events per minute; `ratio` is a percentage:
 * `numerator` (a further filter) over everything matched, by `ratioOf` (event counts or
 * summed values — cache hits over hits + misses are sums of gauges).
 */
export interface RuleQuery extends SeriesFilter {
  metric: string;
  aggregation: Aggregation;
  windowMillis: number;
  numerator?: SeriesFilter;
  ratioOf?: 'count' | 'sum';
  /** Fewest events in the window for a value to count (fewer: no data, nothing fires). */
  minCount?: number;
}

/**
 * An alert rule. It fires when `query` compared with `threshold` holds for `forMillis`, and
 * resolves only when the value passes `resolveThreshold` (hysteresis; default: the threshold).
 *
 * @example
 * const rule: AlertRule = { id: 'cpu-high', name: 'CPU above 80 %', type: 'system', severity: 'high',
 *   query: { metric: 'gauge', name: 'cpu.percent', aggregation: 'avg', windowMillis: 120_000 },
 *   comparator: '>', threshold: 80, resolveThreshold: 75, forMillis: 60_000, labels: {}, enabled: true };
 */
export interface AlertRule {
  id: string;
  name: string;
  /** `system`, `performance`, `error`, `auth`, `service`, `business`, `security`… */
  type: string;
  severity: AlertSeverity;
  query: RuleQuery;
  comparator: Comparator;
  threshold: number;
  resolveThreshold: number;
  forMillis: number;
  labels: Record<string, string>;
  enabled: boolean;
  /** Made by the server (one service-down rule per health check): not editable. */
  generated?: boolean;
}

/** A bad rule; `field` is the dotted path of the offending field, e.g. `query.windowMillis`. */
export class RuleInvalid extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field} ${message}`);
    this.name = 'RuleInvalid';
  }
}

const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const AGGREGATIONS = ['avg', 'max', 'min', 'p95', 'rate', 'ratio'];
const COMPARATORS = ['>', '>=', '<', '<=', '==', '!='];
const FILTER_KEYS = ['phase', 'name', 'service', 'environment', 'statusClass', 'method'] as const;
const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(field: string, v: unknown, max: number, pattern?: RegExp): string {
  if (typeof v !== 'string' || v === '' || v.length > max || (pattern !== undefined && !pattern.test(v))) {
    throw new RuleInvalid(
      field,
      `must be a string of 1 to ${max} characters${pattern ? ` matching ${pattern.source}` : ''}`,
    );
  }
  return v;
}

function integer(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new RuleInvalid(field, `must be an integer from ${min} to ${max}`);
  }
  return v;
}

function finite(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RuleInvalid(field, 'must be a finite number');
  return v;
}

function oneOf<T extends string>(field: string, v: unknown, allowed: string[]): T {
  if (typeof v !== 'string' || !allowed.includes(v))
    throw new RuleInvalid(field, `must be one of ${allowed.join(', ')}`);
  return v as T;
}

function filter(prefix: string, raw: Record<string, unknown>, allowExtra: string[]): SeriesFilter {
  for (const key of Object.keys(raw)) {
    if (!(FILTER_KEYS as readonly string[]).includes(key) && !allowExtra.includes(key)) {
      throw new RuleInvalid(`${prefix}${key}`, 'is not a known field');
    }
  }
  const out: SeriesFilter = {};
  for (const key of FILTER_KEYS) {
    const v = raw[key];
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.length === 0 || v.length > 32) throw new RuleInvalid(`${prefix}${key}`, 'must list 1 to 32 values');
      out[key] = v.map((x, i) => str(`${prefix}${key}[${i}]`, x, 256));
    } else {
      out[key] = str(`${prefix}${key}`, v, 256);
    }
  }
  return out;
}

function query(raw: unknown): RuleQuery {
  if (!isObject(raw)) throw new RuleInvalid('query', 'must be an object');
  const extra = ['metric', 'aggregation', 'windowMillis', 'numerator', 'ratioOf', 'minCount'];
  const q: RuleQuery = {
    ...filter('query.', raw, extra),
    metric: str('query.metric', raw.metric, 32, /^[a-z][a-z_.]*$/),
    aggregation: oneOf('query.aggregation', raw.aggregation, AGGREGATIONS),
    windowMillis: integer('query.windowMillis', raw.windowMillis ?? 120_000, 60_000, 86_400_000),
  };
  if (q.aggregation === 'ratio') {
    if (!isObject(raw.numerator)) throw new RuleInvalid('query.numerator', 'is required for the ratio aggregation');
    q.numerator = filter('query.numerator.', raw.numerator, []);
    q.ratioOf = oneOf<'count' | 'sum'>('query.ratioOf', raw.ratioOf ?? 'count', ['count', 'sum']);
  } else if (raw.numerator !== undefined) {
    throw new RuleInvalid('query.numerator', 'is only allowed with the ratio aggregation');
  }
  if (raw.minCount !== undefined) q.minCount = integer('query.minCount', raw.minCount, 0, 1_000_000_000);
  return q;
}

function labels(raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw new RuleInvalid('labels', 'must be an object of strings');
  const entries = Object.entries(raw);
  if (entries.length > 16) throw new RuleInvalid('labels', 'must have at most 16 entries');
  for (const [k, v] of entries) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/.test(k)) throw new RuleInvalid(`labels.${k}`, 'is not a valid label name');
    str(`labels.${k}`, v, 256);
  }
  return raw as Record<string, string>;
}

const RULE_KEYS = new Set([
  'id',
  'name',
  'type',
  'severity',
  'query',
  'comparator',
  'threshold',
  'resolveThreshold',
  'forMillis',
  'labels',
  'enabled',
]);

/**
 * Checks a rule from the API or the config file and fills defaults; throws {@link RuleInvalid}
 * naming the first bad field. A resolve threshold on the firing side of the threshold would
 * flap, so it is rejected.
 *
 * @example
 * const rule = validateRule({ id: 'cpu-high', name: 'CPU', type: 'system', severity: 'high',
 *   query: { metric: 'gauge', name: 'cpu.percent', aggregation: 'avg' }, comparator: '>', threshold: 80 });
 */
export function validateRule(raw: unknown): AlertRule {
  if (!isObject(raw)) throw new RuleInvalid('rule', 'must be a JSON object');
  for (const key of Object.keys(raw)) if (!RULE_KEYS.has(key)) throw new RuleInvalid(key, 'is not a known field');
  const rule: AlertRule = {
    id: str('id', raw.id, 64, ID),
    name: str('name', raw.name, 200),
    type: str('type', raw.type, 32, /^[a-z][a-z0-9_-]*$/),
    severity: oneOf('severity', raw.severity, SEVERITIES),
    query: query(raw.query),
    comparator: oneOf('comparator', raw.comparator, COMPARATORS),
    threshold: finite('threshold', raw.threshold),
    resolveThreshold: 0,
    forMillis: integer('forMillis', raw.forMillis ?? 0, 0, 86_400_000),
    labels: labels(raw.labels),
    enabled: raw.enabled === undefined ? true : raw.enabled === true,
  };
  if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean')
    throw new RuleInvalid('enabled', 'must be true or false');
  rule.resolveThreshold =
    raw.resolveThreshold === undefined ? rule.threshold : finite('resolveThreshold', raw.resolveThreshold);
  const above = rule.comparator === '>' || rule.comparator === '>=';
  const below = rule.comparator === '<' || rule.comparator === '<=';
  if ((above && rule.resolveThreshold > rule.threshold) || (below && rule.resolveThreshold < rule.threshold)) {
    throw new RuleInvalid('resolveThreshold', `must be on the healthy side of the threshold (${rule.threshold})`);
  }
  return rule;
}
