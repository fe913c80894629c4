import type { Attrs } from '@vigil/schema';
import { recordUserAction, recordUserError, recordUserPerformance } from './core/user-api.js';

/** What {@link useMonitoring} returns: the spec's three recording calls, stable across renders. */
export interface Monitoring {
  /** A user action; the phase follows from the name (`login` → auth, `video_start` → content, `pwa_install` → pwa). */
  recordUserAction: (action: string, userId?: string | null, meta?: Attrs) => void;
  /** An error; `category` maps to a kind (`authentication` → auth, `api`, `validation`, `system`) and phase (`content`, `pwa`, `ui`). */
  recordError: (error: unknown, category: string, context?: Record<string, unknown>) => void;
  /** A timing in milliseconds in a phase (`auth`, `content`, `pwa`, `ui`…). */
  recordPerformance: (name: string, ms: number, phase: string) => void;
}

const MONITORING: Monitoring = Object.freeze({
  recordUserAction,
  recordError: recordUserError,
  recordPerformance: recordUserPerformance,
});

/**
 * The spec's React hook. It needs no provider and holds no React state, so it costs nothing per
 * render and its functions are the same object every time (safe in dependency arrays). Calls
 * before `init()` are no-ops.
 *
 * @example
 * const { recordUserAction, recordError } = useMonitoring();
 * try { await signIn(); recordUserAction('login', userId); }
 * catch (error) { recordError(error, 'authentication', { userId }); }
 */
export function useMonitoring(): Monitoring {
  return MONITORING;
}

export { ApplicationMonitor } from './core/application-monitor.js';
export { ErrorTracker } from './core/error-tracker.js';
export { PerformanceTracker } from './core/performance-tracker.js';
