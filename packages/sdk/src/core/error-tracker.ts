import {
  type AnalyzeOptions,
  type Attrs,
  type DetectedIncident,
  type DetectOptions,
  ERROR_KINDS,
  type ErrorAnalysis,
  type ErrorKind,
  templateRoute,
} from '@vigil/schema';
import { insights, NOT_LOADED } from './analysis-registry.js';
import { recordErrorEvent, report } from './record.js';

const KINDS = new Set<string>(ERROR_KINDS);

/**
 * The spec's error tracker: errors of the five kinds, API and auth errors, and pattern analysis
 * and incident detection over what this process has seen, with the same pure functions the
 * collector uses (`analyzeErrors`, `detectIncidents` from `@vigil/schema`).
 *
 * @example
 * const errorTracker = ErrorTracker.getInstance();
 * errorTracker.trackError(new Error('JS error'), 'javascript');
 * errorTracker.trackAPIError('/api/courses', 500, 'Server Error');
 * const incidents = errorTracker.detectIncidents();
 */
export class ErrorTracker {
  private static instance: ErrorTracker | undefined;

  /** The one instance. */
  static getInstance(): ErrorTracker {
    ErrorTracker.instance ??= new ErrorTracker();
    return ErrorTracker.instance;
  }

  /** Any thrown value, as an error of `kind` (default `javascript`). */
  trackError(error: unknown, kind: ErrorKind = 'javascript', context?: Attrs, phase?: string): void {
    recordErrorEvent(error, KINDS.has(kind) ? kind : 'javascript', { phase, context });
  }

  /** A failed API call: kind `api`, the route templated, the status in the context. */
  trackAPIError(route: string, status: number, message: string): void {
    try {
      const context = { route: templateRoute(String(route)), status };
      recordErrorEvent(message || `HTTP ${status}`, 'api', { phase: 'api', context });
    } catch (error) {
      report('trackAPIError', error);
    }
  }

  /** A failed sign-in or session problem: kind `auth`, phase `auth`; the user id is pseudonymised at ingest. */
  trackAuthError(reason: string, userId?: string): void {
    recordErrorEvent(reason, 'auth', { phase: 'auth', userId });
  }

  /**
   * Error patterns over the last hour of this process (`analyzeErrors` of `@vigil/schema`).
   * The browser entry needs `import '@vigil/sdk/analysis'` for this; without it the result is
   * empty and a diagnostic says so.
   */
  analyzeErrors(options?: Partial<AnalyzeOptions>): ErrorAnalysis {
    const fns = insights();
    if (fns !== undefined) return fns.analyzeErrors(options);
    report('analyzeErrors', new Error(NOT_LOADED));
    const now = Date.now();
    return {
      total: 0,
      byKind: { javascript: 0, api: 0, auth: 0, validation: 0, system: 0 },
      errorRate: null,
      groups: [],
      trend: 'stable',
      from: now,
      to: now,
    };
  }

  /** Incidents in the last five minutes of this process (`detectIncidents` of `@vigil/schema`; browser: as above). */
  detectIncidents(options?: Partial<DetectOptions>): DetectedIncident[] {
    const fns = insights();
    if (fns !== undefined) return fns.detectIncidents(options);
    report('detectIncidents', new Error(NOT_LOADED));
    return [];
  }
}
