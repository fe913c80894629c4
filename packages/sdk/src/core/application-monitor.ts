import type { Attrs, HttpMethod } from '@vigil/schema';
import { read } from './analysis-registry.js';
import { getClient } from './client.js';
import type { HealthStatus, ReadResult } from './read-types.js';
import { duration, recordAction, report } from './record.js';

/**
 * The spec's core recorder: user actions per phase and API response times, plus the
 * collector's health. A singleton that works before `init()` (every call is then a no-op).
 *
 * @example
 * const monitor = ApplicationMonitor.getInstance();
 * monitor.recordAuthEvent('login');
 * monitor.recordAPIResponse(150); // 150 ms
 * const health = await monitor.getHealthStatus(); // { ok: true, data } or { ok: false, error }
 */
export class ApplicationMonitor {
  private static instance: ApplicationMonitor | undefined;

  /** The one instance. */
  static getInstance(): ApplicationMonitor {
    ApplicationMonitor.instance ??= new ApplicationMonitor();
    return ApplicationMonitor.instance;
  }

  /** An authentication action (`login`, `logout`, `signup`…). */
  recordAuthEvent(name: string, userId?: string, attrs?: Attrs): void {
    recordAction('auth', name, userId, attrs);
  }

  /** A content action (`course_view`, `video_start`…). */
  recordContentEvent(name: string, userId?: string, attrs?: Attrs): void {
    recordAction('content', name, userId, attrs);
  }

  /** A PWA action (`pwa_install`, `offline_sync_success`…). */
  recordPWAEvent(name: string, userId?: string, attrs?: Attrs): void {
    recordAction('pwa', name, userId, attrs);
  }

  /**
   * One API response time in milliseconds. Without a route it counts toward the `*` series.
   * This is the SDK's hottest call: one object and a queue push.
   */
  recordAPIResponse(durationMs: number, route = '*', status = 200, method: HttpMethod = 'GET'): void {
    const c = getClient();
    if (c === undefined) return;
    try {
      const ms = duration(durationMs);
      if (ms < 0) return;
      c.record({ type: 'api', ts: Date.now(), sessionId: c.sessionId, route, method, status, durationMs: ms });
    } catch (error) {
      report('recordAPIResponse', error);
    }
  }

  /** The collector's health (`GET /api/v1/health`, read token needed). Never rejects. */
  getHealthStatus(): Promise<ReadResult<HealthStatus>> {
    return read<HealthStatus>('/api/v1/health', (b) => typeof b.status === 'string');
  }
}
