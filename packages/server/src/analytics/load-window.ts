import type { RollupRecord, SessionMinuteRecord, Store } from '../store/store.js';
import { readHoursWithSealedDays } from './sealed-day-cache.js';

/** The rollup metrics analytics reads. */
export type AnalyticsMetric = 'api' | 'timing' | 'action' | 'error' | 'vital' | 'gauge' | 'rating' | 'session';

/**
 * Everything the pure analytics functions need about one time range: rollups by metric (empty
 * when not loaded) and, when asked, the per-minute session sketches.
 */
export interface WindowData {
  from: number;
  to: number;
  /** `hour` when only the hourly table was read (the range is then aligned to hours). */
  resolution: 'minute' | 'hour';
  rollups: Record<AnalyticsMetric, RollupRecord[]>;
  /** Session sketches of minutes and, for whole hours, of hours. */
  sessions: SessionMinuteRecord[];
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Ranges longer than this read the hourly table (a 30-day range is 720 rows per series, not 43,200). */
export const HOURLY_SPAN_MILLIS = 48 * HOUR;

/**
 * The resolution a range is read at: hourly for long ranges or ranges reaching past the
 * detailed retention (minute rows are gone there), minute otherwise.
 *
 * @example
 * resolutionFor(now - 30 * 86_400_000, now, now, 7 * 86_400_000); // 'hour'
 */
export function resolutionFor(from: number, to: number, now: number, detailedMillis: number): 'minute' | 'hour' {
  return to - from > HOURLY_SPAN_MILLIS || from < now - detailedMillis ? 'hour' : 'minute';
}

/**
 * `[from, to)` aligned outward to whole buckets of the resolution, so an hourly read covers the
 * requested range (the answer reports the aligned range).
 *
 * @example
 * alignRange(90_000, 150_000, 'minute'); // { from: 60_000, to: 180_000 }
 */
export function alignRange(from: number, to: number, resolution: 'minute' | 'hour'): { from: number; to: number } {
  const unit = resolution === 'hour' ? HOUR : MINUTE;
  return { from: Math.floor(from / unit) * unit, to: Math.ceil(to / unit) * unit };
}

/** A part of a range and the table it is read from. */
export interface RangePart {
  from: number;
  to: number;
  resolution: 'minute' | 'hour';
}

/**
 * How a range is read: the whole hours inside it from the hourly table and the partial hours at
 * its edges from the minute table, so the answer is exact for any range while a 30-day read
 * touches ~720 rows per series instead of 43,200. Ranges under two hours read minutes only;
 * `hourOnly` (ranges past the detailed retention, already aligned to hours) reads hours only.
 *
 * @example
 * splitRange(90 * 60_000, 5 * 3_600_000 + 60_000);
 * // [{ from: 5_400_000, to: 7_200_000, resolution: 'minute' }, { from: 7_200_000, to: 18_000_000, resolution: 'hour' },
 * //  { from: 18_000_000, to: 18_060_000, resolution: 'minute' }]
 */
export function splitRange(from: number, to: number, hourOnly = false): RangePart[] {
  if (hourOnly) return [{ from, to, resolution: 'hour' }];
  const hs = Math.ceil(from / HOUR) * HOUR;
  const he = Math.floor(to / HOUR) * HOUR;
  if (to - from < 2 * HOUR || hs >= he) return [{ from, to, resolution: 'minute' }];
  const parts: RangePart[] = [];
  if (from < hs) parts.push({ from, to: hs, resolution: 'minute' });
  parts.push({ from: hs, to: he, resolution: 'hour' });
  if (he < to) parts.push({ from: he, to, resolution: 'minute' });
  return parts;
}

/**
 * Reads the rollups of the given metrics (and the session sketches when `sessions` is set) for
 * one project and range, in parallel, split by {@link splitRange}; with `resolution: 'hour'`
 * (past the detailed retention) the hourly tables only. Session sketches are read the same way
 * (minute and hour sketches are both HyperLogLogs, and a union does not care which). With `now`,
 * sealed whole days come merged per series from the day cache (`sealed-day-cache.ts`): such
 * records are stamped with the day's start, so callers must not assume hour buckets.
 *
 * @example
 * const data = await loadWindow(store, { project: 'default', from, to, resolution: 'minute', metrics: ['api'] });
 */
export async function loadWindow(
  store: Store,
  q: {
    project: string;
    from: number;
    to: number;
    resolution: 'minute' | 'hour';
    metrics: readonly AnalyticsMetric[];
    sessions?: boolean;
    /** The clock; when given, sealed whole days are read through the per-store day cache. */
    now?: number;
  },
): Promise<WindowData> {
  const rollups: Record<AnalyticsMetric, RollupRecord[]> = {
    api: [],
    timing: [],
    action: [],
    error: [],
    vital: [],
    gauge: [],
    rating: [],
    session: [],
  };
  const parts = splitRange(q.from, q.to, q.resolution === 'hour');
  const [loaded, sessions] = await Promise.all([
    Promise.all(
      q.metrics.map(async (metric) => {
        const chunks = await Promise.all(
          parts.map((p) => {
            const query = { project: q.project, metric, ...p };
            return p.resolution === 'hour' && q.now !== undefined
              ? readHoursWithSealedDays(store, query, q.now)
              : store.queryRollups(query);
          }),
        );
        return chunks.flat();
      }),
    ),
    q.sessions === true
      ? Promise.all(parts.map((p) => store.querySessions({ project: q.project, ...p }))).then((c) => c.flat())
      : Promise.resolve([]),
  ]);
  q.metrics.forEach((metric, i) => {
    rollups[metric] = loaded[i] ?? [];
  });
  return { from: q.from, to: q.to, resolution: q.resolution, rollups, sessions };
}

/**
 * An empty window (for tests and for ranges with no data).
 *
 * @example
 * const data = { ...emptyWindow(0, 60_000), rollups: { ...emptyWindow(0, 60_000).rollups, api } };
 */
export function emptyWindow(from: number, to: number): WindowData {
  return {
    from,
    to,
    resolution: 'minute',
    rollups: { api: [], timing: [], action: [], error: [], vital: [], gauge: [], rating: [], session: [] },
    sessions: [],
  };
}
