/**
 * `@vigil/sdk/analysis`: turns on the SDK's insight calls in the browser —
 * `ErrorTracker.analyzeErrors()` / `detectIncidents()` (the error fingerprinting and analysis of
 * `@vigil/schema`, over this process's recent errors) and the collector read API behind
 * `getHealthStatus()`, `getKPIDashboard()` and `calculatePerformanceScore()`. The Node and core
 * entries include it already; the browser entry does not, to keep the capture bundle within 8 KB.
 *
 * @example
 * import '@vigil/sdk/analysis';
 * ErrorTracker.getInstance().analyzeErrors().groups;
 */
import {
  type AnalyzeOptions,
  analyzeErrors,
  type DetectOptions,
  detectIncidents,
  ERROR_KINDS,
  type ErrorAnalysis,
  type ErrorKind,
} from '@vigil/schema';
import { registerInsights } from './core/analysis-registry.js';
import { getClient } from './core/client.js';
import { eventsSince } from './core/minute-counts.js';
import { readApi } from './core/read-api.js';
import { report } from './core/record.js';

function emptyAnalysis(now: number): ErrorAnalysis {
  const byKind = Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as Record<ErrorKind, number>;
  return { total: 0, byKind, errorRate: null, groups: [], trend: 'stable', from: now, to: now };
}

/** Runs one analysis over the current client's recent errors; `empty` before `init()` or on failure. */
function run<O extends { now: number; windowMillis?: number; totalEvents?: number }, T>(
  name: string,
  options: Partial<O> | undefined,
  window: number,
  fn: (errors: Parameters<typeof analyzeErrors>[0], o: O) => T,
  empty: (now: number) => T,
): T {
  const now = options?.now ?? Date.now();
  try {
    const c = getClient();
    if (c !== undefined) {
      const totalEvents = eventsSince(c, now - (options?.windowMillis ?? window), now);
      return fn(c.recentErrors, { totalEvents, ...options, now } as O);
    }
  } catch (error) {
    report(name, error);
  }
  return empty(now);
}

registerInsights({
  analyzeErrors: (options) =>
    run<AnalyzeOptions, ErrorAnalysis>('analyzeErrors', options, 3_600_000, analyzeErrors, emptyAnalysis),
  detectIncidents: (options) =>
    run<DetectOptions, ReturnType<typeof detectIncidents>>(
      'detectIncidents',
      options,
      300_000,
      detectIncidents,
      () => [],
    ),
  readApi,
});

export { analyzeErrors, detectIncidents, emptyAnalysis, readApi, registerInsights };
