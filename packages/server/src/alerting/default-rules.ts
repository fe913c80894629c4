import type { AlertRule } from './alert-rule.js';

const rule = (r: Omit<AlertRule, 'labels' | 'enabled'> & { labels?: Record<string, string> }): AlertRule => ({
  labels: {},
  enabled: true,
  ...r,
});

/**
 * The spec's default thresholds ("Alert Configuration"), shipped enabled: memory 80 %, CPU 80 %,
 * API response time P95 1000 ms, error rate 5 %, disk 85 %, cache hit rate below 70 %. Each
 * resolves a little inside its threshold so a value hovering at the line does not flap.
 *
 * @example
 * const ids = defaultRules().map((r) => r.id); // ['memory-high', 'cpu-high', …]
 */
export function defaultRules(): AlertRule[] {
  return [
    rule({
      id: 'memory-high',
      name: 'Memory usage above 80 %',
      type: 'system',
      severity: 'high',
      query: { metric: 'gauge', name: 'memory.percent', aggregation: 'avg', windowMillis: 120_000 },
      comparator: '>',
      threshold: 80,
      resolveThreshold: 75,
      forMillis: 60_000,
    }),
    rule({
      id: 'cpu-high',
      name: 'CPU usage above 80 %',
      type: 'system',
      severity: 'high',
      query: { metric: 'gauge', name: 'cpu.percent', aggregation: 'avg', windowMillis: 120_000 },
      comparator: '>',
      threshold: 80,
      resolveThreshold: 75,
      forMillis: 60_000,
    }),
    rule({
      id: 'api-p95-slow',
      name: 'API response time P95 above 1000 ms',
      type: 'performance',
      severity: 'medium',
      query: { metric: 'api', aggregation: 'p95', windowMillis: 300_000, minCount: 20 },
      comparator: '>',
      threshold: 1000,
      resolveThreshold: 900,
      forMillis: 60_000,
    }),
    rule({
      id: 'error-rate-high',
      name: 'API error rate above 5 %',
      type: 'error',
      severity: 'high',
      query: {
        metric: 'api',
        aggregation: 'ratio',
        numerator: { statusClass: ['5xx', 'net'] },
        ratioOf: 'count',
        windowMillis: 300_000,
        minCount: 20,
      },
      comparator: '>',
      threshold: 5,
      resolveThreshold: 4,
      forMillis: 60_000,
    }),
    rule({
      id: 'disk-high',
      name: 'Disk usage above 85 %',
      type: 'system',
      severity: 'high',
      query: { metric: 'gauge', name: 'disk.percent', aggregation: 'max', windowMillis: 120_000 },
      comparator: '>',
      threshold: 85,
      resolveThreshold: 83,
      forMillis: 0,
    }),
    rule({
      id: 'cache-hit-low',
      name: 'Cache hit rate below 70 %',
      type: 'performance',
      severity: 'low',
      query: {
        metric: 'gauge',
        name: ['cache.hits', 'cache.misses'],
        aggregation: 'ratio',
        numerator: { name: 'cache.hits' },
        ratioOf: 'sum',
        windowMillis: 900_000,
        minCount: 4,
      },
      comparator: '<',
      threshold: 70,
      resolveThreshold: 75,
      forMillis: 300_000,
    }),
  ];
}

/**
 * The service-down rule of one health check: its `service.up` gauge (1 up, 0 down) was 0 for
 * the whole last minute. The check's own retries already debounce, so it fires at once.
 *
 * @example
 * serviceDownRule('postgres').id; // 'service-down.postgres'
 */
export function serviceDownRule(check: string): AlertRule {
  return {
    id: `service-down.${check}`,
    name: `Service ${check} is down`,
    type: 'service',
    severity: 'high',
    query: { metric: 'gauge', name: 'service.up', service: check, aggregation: 'max', windowMillis: 60_000 },
    comparator: '<',
    threshold: 0.5,
    resolveThreshold: 0.5,
    forMillis: 0,
    labels: { service: check },
    enabled: true,
    generated: true,
  };
}
