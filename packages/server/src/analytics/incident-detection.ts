import { errorRateSeverity, type Severity } from '@vigil/schema';
import type { RollupRecord } from '../store/store.js';
import { errorRate } from './measures.js';
import { countOf, mergeDistribution, quantileOf, round } from './rollup-math.js';
import { RESPONSE_BAND } from './score.js';

/** One evaluated signal: firing or not, with the numbers behind it. */
export interface Signal {
  /** Stable key; at most one unresolved incident exists per signal. */
  signal: string;
  firing: boolean;
  severity: Severity;
  title: string;
  evidence: Record<string, number | string | null>;
}

/** Settings of the detectors; every field has the default shown. */
export interface DetectionOptions {
  /** The recent window judged, ms (5 minutes). */
  windowMillis: number;
  /** The baseline before it, ms (1 hour). */
  baselineMillis: number;
  /** Error rate % the window must reach (the spec's ERROR_RATE 5). */
  errorRatePercent: number;
  /** …and this multiple of the baseline rate (3). */
  spikeFactor: number;
  /** P95 must reach this multiple of the baseline P95 (2)… */
  latencyFactor: number;
  /** …and this many ms (the spec's 100 ms response target). */
  latencyFloorMillis: number;
  /** Fewest operations in the window for rate and latency rules (20). */
  minOperations: number;
}

/** The defaults of {@link DetectionOptions}. */
export const DEFAULT_DETECTION: DetectionOptions = {
  windowMillis: 300_000,
  baselineMillis: 3_600_000,
  errorRatePercent: 5,
  spikeFactor: 3,
  latencyFactor: 2,
  latencyFloorMillis: 100,
  minOperations: 20,
};

/** Minute rollups covering `[now − windowMillis − baselineMillis, now)`, by metric. */
export interface DetectionInput {
  api: readonly RollupRecord[];
  error: readonly RollupRecord[];
  action: readonly RollupRecord[];
  /** Gauges; only `service.up` is read. */
  gauge: readonly RollupRecord[];
}

const split = (records: readonly RollupRecord[], start: number) => ({
  baseline: records.filter((r) => r.bucket < start),
  recent: records.filter((r) => r.bucket >= start),
});

/**
 * Error-rate spike: the window's error rate (the KPI definition) is at least `errorRatePercent`
 * and at least `spikeFactor` × the baseline's. Severity as in the SDK's `detectIncidents`
 * (critical above twice the threshold).
 *
 * @example
 * detectErrorSpike(input, now, DEFAULT_DETECTION).firing; // true
 */
export function detectErrorSpike(input: DetectionInput, now: number, o: DetectionOptions): Signal {
  const start = now - o.windowMillis;
  const api = split(input.api, start);
  const err = split(input.error, start);
  const act = split(input.action, start);
  const operations = countOf(api.recent) + countOf(act.recent);
  const rate = errorRate(api.recent, err.recent, act.recent);
  const baseline = errorRate(api.baseline, err.baseline, act.baseline);
  const firing =
    operations >= o.minOperations &&
    rate !== null &&
    rate >= o.errorRatePercent &&
    rate >= o.spikeFactor * (baseline ?? 0);
  const shown = round(rate, 1);
  return {
    signal: 'error_rate',
    firing,
    severity: errorRateSeverity(rate ?? 0, o.errorRatePercent),
    title: `Error rate ${shown}% over the last ${o.windowMillis / 60_000} min (baseline ${round(baseline, 1) ?? 'none'}%)`,
    evidence: { errorRate: shown, baselineErrorRate: round(baseline, 2), operations, windowMillis: o.windowMillis },
  };
}

/**
 * Latency regression: the window's API P95 is at least `latencyFactor` × the baseline P95 and
 * above `latencyFloorMillis`. High when over the spec's 1000 ms threshold, medium otherwise.
 *
 * @example
 * detectLatencyRegression(input, now, DEFAULT_DETECTION).evidence.p95Millis; // 1840
 */
export function detectLatencyRegression(input: DetectionInput, now: number, o: DetectionOptions): Signal {
  const { baseline, recent } = split(input.api, now - o.windowMillis);
  const p95 = quantileOf(mergeDistribution(recent), 0.95);
  const base = quantileOf(mergeDistribution(baseline), 0.95);
  const firing =
    countOf(recent) >= o.minOperations &&
    p95 !== null &&
    base !== null &&
    p95 >= o.latencyFactor * base &&
    p95 > o.latencyFloorMillis;
  return {
    signal: 'latency:api',
    firing,
    severity: p95 !== null && p95 >= RESPONSE_BAND.poor ? 'high' : 'medium',
    title: `API P95 ${round(p95, 0)} ms against a baseline of ${round(base, 0)} ms`,
    evidence: { p95Millis: round(p95), baselineP95Millis: round(base), requests: countOf(recent) },
  };
}

/**
 * Service down: one signal per service with `service.up` gauges in the window, firing when the
 * latest minute's mean is below 0.5. Critical: the spec counts outages as system failures.
 *
 * @example
 * detectServicesDown(input, now, DEFAULT_DETECTION).map((s) => s.signal); // ['service_down:db']
 */
export function detectServicesDown(input: DetectionInput, now: number, o: DetectionOptions): Signal[] {
  const latest = new Map<string, { bucket: number; sum: number; count: number; downMinutes: number }>();
  const start = now - o.windowMillis;
  const perMinute = new Map<string, { sum: number; count: number }>();
  for (const r of input.gauge) {
    if (r.key.name !== 'service.up' || r.bucket < start) continue;
    const id = `${r.key.service}\u0001${r.bucket}`;
    const m = perMinute.get(id) ?? { sum: 0, count: 0 };
    m.sum += r.sum;
    m.count += r.count;
    perMinute.set(id, m);
  }
  for (const [id, m] of perMinute) {
    const [service, bucketText] = id.split('\u0001') as [string, string];
    const bucket = Number(bucketText);
    const cur = latest.get(service);
    const down = m.sum / m.count < 0.5 ? 1 : 0;
    if (cur === undefined || bucket > cur.bucket) {
      latest.set(service, { bucket, ...m, downMinutes: (cur?.downMinutes ?? 0) + down });
    } else cur.downMinutes += down;
  }
  return [...latest.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([service, l]) => ({
      signal: `service_down:${service}`,
      firing: l.sum / l.count < 0.5,
      severity: 'critical' as const,
      title: `Service ${service} is down`,
      evidence: { service, lastCheckMinute: l.bucket, upShare: round(l.sum / l.count, 3), downMinutes: l.downMinutes },
    }));
}

/**
 * Every detector over the same input: error spike, latency regression and one signal per service.
 *
 * @example
 * detectSignals(input, now).filter((s) => s.firing);
 */
export function detectSignals(input: DetectionInput, now: number, o: DetectionOptions = DEFAULT_DETECTION): Signal[] {
  return [
    detectErrorSpike(input, now, o),
    detectLatencyRegression(input, now, o),
    ...detectServicesDown(input, now, o),
  ];
}
