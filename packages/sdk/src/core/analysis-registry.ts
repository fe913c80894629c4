import type { AnalyzeOptions, DetectedIncident, DetectOptions, ErrorAnalysis } from '@vigil/schema';
import type { ReadResult } from './read-types.js';

/**
 * The "insight" half of the SDK: error analysis over this process's recent errors (with the pure
 * functions of `@vigil/schema`) and the collector's read API. `@vigil/sdk`, `@vigil/sdk/node` and
 * `@vigil/sdk/analysis` register it on import; the browser entry leaves it out to keep the
 * capture bundle within its size budget.
 */
export interface Insights {
  analyzeErrors(options?: Partial<AnalyzeOptions>): ErrorAnalysis;
  detectIncidents(options?: Partial<DetectOptions>): DetectedIncident[];
  readApi<T>(path: string, check: (body: Record<string, unknown>) => boolean): Promise<ReadResult<T>>;
}

let impl: Insights | undefined;

/** The hint given when a browser app calls an insight without `import '@vigil/sdk/analysis'`. */
export const NOT_LOADED = "not loaded: import '@vigil/sdk/analysis'";

/**
 * Registers the insight functions (done by importing `@vigil/sdk/analysis`).
 *
 * @example
 * registerInsights(insightsImpl);
 */
export function registerInsights(functions: Insights): void {
  impl = functions;
}

/** The registered insight functions, if any. */
export function insights(): Insights | undefined {
  return impl;
}

/**
 * Reads a collector API path through the registered read API; without it, resolves to
 * `{ ok: false, error: { code: 'VIGIL_SDK_NOT_LOADED' } }`.
 */
export function read<T>(path: string, check: (body: Record<string, unknown>) => boolean): Promise<ReadResult<T>> {
  return (
    impl?.readApi<T>(path, check) ??
    Promise.resolve({ ok: false, error: { code: 'VIGIL_SDK_NOT_LOADED', status: 0, message: NOT_LOADED } })
  );
}
