import type { Attrs } from '@vigil/schema';
import { read } from './analysis-registry.js';
import type { KpiDashboard, PerformanceScore, ReadResult } from './read-types.js';
import { recordTiming } from './record.js';

/**
 * The spec's phase timings and the collector's KPI dashboard and performance score. A
 * singleton; calls before `init()` are no-ops and reads resolve to `VIGIL_SDK_NOT_INITIALIZED`.
 *
 * @example
 * const tracker = PerformanceTracker.getInstance();
 * tracker.recordContentPerformance('video_load', 500);
 * const score = await tracker.calculatePerformanceScore();
 * if (score.ok) console.log(score.data.score);
 */
export class PerformanceTracker {
  private static instance: PerformanceTracker | undefined;

  /** The one instance. */
  static getInstance(): PerformanceTracker {
    PerformanceTracker.instance ??= new PerformanceTracker();
    return PerformanceTracker.instance;
  }

  /** An authentication timing, e.g. `login` 250 ms. */
  recordAuthPerformance(name: string, ms: number, attrs?: Attrs): void {
    recordTiming('auth', name, ms, attrs);
  }

  /** A content timing, e.g. `video_load` 500 ms. */
  recordContentPerformance(name: string, ms: number, attrs?: Attrs): void {
    recordTiming('content', name, ms, attrs);
  }

  /** A PWA timing, e.g. `cache_hit` 50 ms. */
  recordPWAPerformance(name: string, ms: number, attrs?: Attrs): void {
    recordTiming('pwa', name, ms, attrs);
  }

  /** A timing in any phase (`ui`, `api`, `system` or your own lowercase name). */
  recordPerformance(name: string, ms: number, phase: string, attrs?: Attrs): void {
    recordTiming(phase, name, ms, attrs);
  }

  /** The KPI dashboard (`GET /api/v1/kpis`, read token needed). Never rejects. */
  getKPIDashboard(): Promise<ReadResult<KpiDashboard>> {
    return read<KpiDashboard>('/api/v1/kpis', () => true);
  }

  /** The 0–100 performance score (`GET /api/v1/score`, read token needed). Never rejects. */
  calculatePerformanceScore(): Promise<ReadResult<PerformanceScore>> {
    return read<PerformanceScore>('/api/v1/score', (b) => typeof b.score === 'number');
  }
}
