import { describe, expect, it } from 'vitest';
import type { AlertRule, RuleQuery } from '../../src/alerting/alert-rule.js';
import { compare, evaluateRule, rollupQueryFor, ruleWindow } from '../../src/alerting/rule-evaluation.js';
import { DDSketch } from '../../src/pipeline/ddsketch.js';
import type { RollupRecord, SeriesKey } from '../../src/store/store.js';

const MIN = 60_000;
/** A whole minute; "now" is 10 s into it, so a 2 min window holds the previous and the current bucket. */
const M = 1_750_000_020_000;
const NOW = M + 10_000;

const key = (over: Partial<SeriesKey> = {}): SeriesKey => ({
  metric: 'gauge',
  phase: '',
  name: 'cpu.percent',
  method: '',
  statusClass: '',
  service: 'portal-web',
  environment: 'production',
  ...over,
});

function rec(bucket: number, values: number[], over: Partial<SeriesKey> = {}): RollupRecord {
  const sketch = new DDSketch();
  for (const v of values) sketch.add(v);
  return {
    project: 'p',
    bucket,
    key: key(over),
    count: values.length,
    sum: values.reduce((a, b) => a + b, 0),
    min: Math.min(...values),
    max: Math.max(...values),
    sketch: sketch.encode(),
  };
}

const ruleOf = (query: Partial<RuleQuery>, over: Partial<AlertRule> = {}): AlertRule => ({
  id: 'r',
  name: 'r',
  type: 'system',
  severity: 'high',
  query: { metric: 'gauge', name: 'cpu.percent', aggregation: 'avg', windowMillis: 2 * MIN, ...query },
  comparator: '>',
  threshold: 80,
  resolveThreshold: 75,
  forMillis: 0,
  labels: {},
  enabled: true,
  ...over,
});

/** Before the window, in it (previous and current minute), and a bucket from the future. */
const cpu = [rec(M - 2 * MIN, [100, 100]), rec(M - MIN, [70, 90]), rec(M, [95]), rec(M + MIN, [100])];

describe('rule evaluation', () => {
  it('reads the minute buckets that start inside the window, the current one included', () => {
    expect(ruleWindow(2 * MIN, NOW)).toEqual({ from: M - MIN, to: NOW + 1 });
    expect(ruleWindow(2 * MIN, M)).toEqual({ from: M - 2 * MIN, to: M + 1 });
    expect(ruleWindow(5 * MIN, M + 1)).toEqual({ from: M - 4 * MIN, to: M + 2 });
  });

  it('sends single-valued filters to the store and applies lists afterwards', () => {
    expect(rollupQueryFor(ruleOf({ service: 'api', environment: ['a', 'b'] }), 'p', NOW)).toEqual({
      project: 'p',
      metric: 'gauge',
      resolution: 'minute',
      name: 'cpu.percent',
      service: 'api',
      from: M - MIN,
      to: NOW + 1,
    });
  });

  it('avg, max and min over the window', () => {
    expect(evaluateRule(ruleOf({ aggregation: 'avg' }), cpu, NOW)).toEqual({
      ruleId: 'r',
      value: 85,
      count: 3,
      breaching: true,
      healthy: false,
    });
    expect(evaluateRule(ruleOf({ aggregation: 'max' }), cpu, NOW).value).toBe(95);
    expect(evaluateRule(ruleOf({ aggregation: 'min' }), cpu, NOW).value).toBe(70);
  });

  it('rate: events per minute of the window span', () => {
    // 3 events over 70,001 ms (previous minute + 10 s of this one) = 2.571 per minute.
    expect(evaluateRule(ruleOf({ aggregation: 'rate' }, { threshold: 2, resolveThreshold: 2 }), cpu, NOW)).toEqual({
      ruleId: 'r',
      value: 2.571,
      count: 3,
      breaching: true,
      healthy: false,
    });
  });

  it('p95 from the merged sketches (DDSketch, 1 % relative accuracy)', () => {
    const api = { metric: 'api', name: 'GET /courses' };
    const latencies = [
      rec(
        M - MIN,
        Array.from({ length: 50 }, (_, i) => (i + 1) * 20),
        api,
      ),
      rec(
        M,
        Array.from({ length: 50 }, (_, i) => (i + 1) * 20 + 10),
        api,
      ),
    ];
    const rule = ruleOf(
      { metric: 'api', name: 'GET /courses', aggregation: 'p95' },
      { threshold: 1000, resolveThreshold: 900 },
    );
    // 10…1000 in steps of 10 over two buckets: the sketch's p95 rank (0.95 × 99, rounded up) is
    // the 96th value, 960; its bin answers 963.121, inside the 1 % bound.
    expect(evaluateRule(rule, latencies, NOW)).toEqual({
      ruleId: 'r',
      value: 963.121,
      count: 100,
      breaching: false,
      healthy: false,
    });
  });

  it('ratio by count: the share of matching events (API 5xx and network errors)', () => {
    const api = (statusClass: string, n: number) =>
      rec(
        M,
        Array.from({ length: n }, () => 120),
        { metric: 'api', name: 'GET /x', statusClass },
      );
    const records = [api('2xx', 88), api('4xx', 2), api('5xx', 6), api('net', 4)];
    const rule = ruleOf(
      {
        metric: 'api',
        name: undefined,
        aggregation: 'ratio',
        numerator: { statusClass: ['5xx', 'net'] },
        ratioOf: 'count',
      },
      { threshold: 5, resolveThreshold: 4 },
    );
    expect(evaluateRule(rule, records, NOW)).toEqual({
      ruleId: 'r',
      value: 10,
      count: 100,
      breaching: true,
      healthy: false,
    });
  });

  it('ratio by sum: cache hits over hits + misses, other gauges ignored', () => {
    const records = [
      rec(M - MIN, [60, 70], { name: 'cache.hits' }),
      rec(M - MIN, [30, 40], { name: 'cache.misses' }),
      rec(M, [90], { name: 'cpu.percent' }),
    ];
    const rule = ruleOf(
      { name: ['cache.hits', 'cache.misses'], aggregation: 'ratio', numerator: { name: 'cache.hits' }, ratioOf: 'sum' },
      { comparator: '<', threshold: 70, resolveThreshold: 75 },
    );
    expect(evaluateRule(rule, records, NOW)).toEqual({
      ruleId: 'r',
      value: 65,
      count: 4,
      breaching: true,
      healthy: false,
    });
  });

  it('too little data is no data: nothing breaches and nothing is healthy', () => {
    expect(evaluateRule(ruleOf({ minCount: 4 }), cpu, NOW)).toEqual({
      ruleId: 'r',
      value: null,
      count: 3,
      breaching: false,
      healthy: false,
    });
    expect(evaluateRule(ruleOf({}), [], NOW)).toEqual({
      ruleId: 'r',
      value: null,
      count: 0,
      breaching: false,
      healthy: false,
    });
  });

  it('hysteresis: between the resolve threshold and the threshold is neither breaching nor healthy', () => {
    const at = (v: number, rule = ruleOf({})) => {
      const e = evaluateRule(rule, [rec(M, [v])], NOW);
      return [e.breaching, e.healthy];
    };
    expect(at(80.001)).toEqual([true, false]);
    expect(at(80)).toEqual([false, false]);
    expect(at(75.001)).toEqual([false, false]);
    expect(at(75)).toEqual([false, true]);
    const low = ruleOf({}, { comparator: '<', threshold: 70, resolveThreshold: 75 });
    expect(at(69.999, low)).toEqual([true, false]);
    expect(at(72, low)).toEqual([false, false]);
    expect(at(75, low)).toEqual([false, true]);
    // Two-sided comparators: healthy is simply "not breaching".
    const eq = ruleOf({}, { comparator: '==', threshold: 0, resolveThreshold: 0 });
    expect(at(0, eq)).toEqual([true, false]);
    expect(at(1, eq)).toEqual([false, true]);
  });

  it('compares with every comparator', () => {
    expect(['>', '>=', '<', '<=', '==', '!='].map((c) => compare(80, c as '>', 80))).toEqual([
      false,
      true,
      false,
      true,
      true,
      false,
    ]);
  });
});
