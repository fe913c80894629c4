/**
 * The portal's `@/lib/monitoring` on the server side: one `init`, then the spec's classes and
 * hook-free recording functions, re-exported so the spec's imports work unchanged.
 *
 * @example
 * import { ApplicationMonitor } from './lib/monitoring.js';
 * ApplicationMonitor.getInstance().recordAuthEvent('login');
 */
import { init } from '@vigil/sdk/node';

/** Starts the SDK from the environment: `VIGIL_URL`, `VIGIL_KEY`, optional `VIGIL_READ_TOKEN`. */
export function startMonitoring(): void {
  init({
    endpoint: process.env.VIGIL_URL ?? 'http://127.0.0.1:4600',
    key: process.env.VIGIL_KEY ?? '',
    readToken: process.env.VIGIL_READ_TOKEN,
    service: 'learning-portal-api',
    release: '1.0.0',
    environment: process.env.NODE_ENV ?? 'development',
    onDiagnostic: (d) => {
      if (d.type !== 'retry')
        console.warn('[vigil]', d.type, 'reason' in d ? d.reason : '', 'count' in d ? d.count : '');
    },
  });
}

export {
  ApplicationMonitor,
  ErrorTracker,
  flush,
  getStats,
  PerformanceTracker,
  recordUserAction,
  recordUserError as recordError,
  recordUserPerformance as recordPerformance,
} from '@vigil/sdk/node';
