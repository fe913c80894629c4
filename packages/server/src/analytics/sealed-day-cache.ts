import { LIMITS } from '@vigil/schema';
import { DDSketch } from '../pipeline/ddsketch.js';
import type { RollupQuery, RollupRecord, Store } from '../store/store.js';

const DAY = 86_400_000;
/**
 * A day is sealed once it ended before the oldest event the collector still accepts, plus a
 * day for pipeline backlog: no commit can change its rollups any more (retention only deletes).
 */
export const SEALED_AFTER_MILLIS = LIMITS.maxEventAgeMillis + DAY;
/** Entries are re-read after an hour, so rows removed by retention stop being served. */
const TTL_MILLIS = 3_600_000;
/** Most cached (project, metric, day) entries per store: 8 metrics × 400 days × a few projects. */
const MAX_ENTRIES = 20_000;

/**
 * Merges records per series into one record stamped `bucket` (sums, min, max, merged sketch).
 *
 * @example
 * mergePerSeries(hourRecords, dayStart); // one record per series for the day
 */
export function mergePerSeries(records: readonly RollupRecord[], bucket: number): RollupRecord[] {
  const acc = new Map<SeriesKeyRef, { record: RollupRecord; sketch: DDSketch | null }>();
  for (const r of records) {
    let a = acc.get(r.key);
    if (a === undefined) {
      a = {
        record: { ...r, bucket, sketch: null },
        sketch: r.sketch === null ? null : DDSketch.decode(r.sketch),
      };
      acc.set(r.key, a);
      continue;
    }
    a.record.count += r.count;
    a.record.sum += r.sum;
    if (r.min < a.record.min) a.record.min = r.min;
    if (r.max > a.record.max) a.record.max = r.max;
    if (r.sketch !== null) {
      if (a.sketch === null) a.sketch = DDSketch.decode(r.sketch);
      else a.sketch.mergeEncoded(r.sketch);
    }
  }
  return [...acc.values()].map(({ record, sketch }) => ({ ...record, sketch: sketch?.encode() ?? null }));
}
/** Records of one series share their key object (see `joinRollupRows`), so it identifies the series. */
type SeriesKeyRef = RollupRecord['key'];

const caches = new WeakMap<Store, Map<string, { at: number; records: RollupRecord[] }>>();

/**
 * Hourly rollups of `[from, to)` with every sealed whole day merged into one record per series
 * and kept in memory per store: a 30-day read then merges ~23 day records per series instead of
 * ~550 hour rows. Unsealed days and partial days are read as hour rows. `now` decides sealing.
 *
 * @example
 * const records = await readHoursWithSealedDays(store, { project, metric: 'vital', from, to, resolution: 'hour' }, now);
 */
export async function readHoursWithSealedDays(store: Store, q: RollupQuery, now: number): Promise<RollupRecord[]> {
  const ds = Math.ceil(q.from / DAY) * DAY;
  const de = Math.min(Math.floor(q.to / DAY) * DAY, Math.floor((now - SEALED_AFTER_MILLIS) / DAY) * DAY);
  if (de <= ds) return store.queryRollups(q);
  let cache = caches.get(store);
  if (cache === undefined) {
    cache = new Map();
    caches.set(store, cache);
  }
  const keyOf = (day: number) => `${q.project}\u0001${q.metric}\u0001${day}`;
  const days: number[] = [];
  for (let d = ds; d < de; d += DAY) days.push(d);
  const missing = days.filter((d) => {
    const hit = cache.get(keyOf(d));
    return hit === undefined || now - hit.at > TTL_MILLIS || hit.at > now;
  });
  const edges = await Promise.all([
    ds > q.from ? store.queryRollups({ ...q, to: ds }) : Promise.resolve([]),
    de < q.to ? store.queryRollups({ ...q, from: de }) : Promise.resolve([]),
    missing.length > 0
      ? store.queryRollups({ ...q, from: missing[0] as number, to: (missing.at(-1) as number) + DAY })
      : Promise.resolve([]),
  ]);
  const byDay = new Map<number, RollupRecord[]>();
  for (const r of edges[2]) {
    const d = Math.floor(r.bucket / DAY) * DAY;
    const list = byDay.get(d);
    if (list === undefined) byDay.set(d, [r]);
    else list.push(r);
  }
  for (const d of missing) {
    cache.delete(keyOf(d));
    cache.set(keyOf(d), { at: now, records: mergePerSeries(byDay.get(d) ?? [], d) });
  }
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  const sealed = days.flatMap((d) => cache.get(keyOf(d))?.records ?? []);
  return [...edges[0], ...sealed, ...edges[1]];
}
