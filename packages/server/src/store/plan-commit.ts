import { mergeEncodedSketches } from '../pipeline/ddsketch.js';
import { mergeEncodedHll } from '../pipeline/hll.js';
import type { ErrorGroupDelta, OccurrenceRecord, PipelineCommit, RollupRecord, SeriesKey } from './store.js';

/**
 * How many sample occurrences a store keeps per error group (the newest ones).
 *
 * @example
 * const samples = await store.listOccurrences({ project, fingerprint, limit: MAX_SAMPLES_PER_GROUP });
 */
export const MAX_SAMPLES_PER_GROUP = 20;

const HOUR_MILLIS = 3_600_000;

/**
 * One stored rollup row, keyed by the series' numeric id.
 *
 * @example
 * const row: RollupRow = { seriesId: 1, bucket: 0, count: 1, sum: 5, min: 5, max: 5, sketch: null };
 */
export interface RollupRow {
  seriesId: number;
  bucket: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  sketch: Uint8Array | null;
}

/**
 * A session-minute row (HyperLogLog sketches of sessions and users).
 *
 * @example
 * const row: SessionRow = { project: 'p', bucket: 0, sessions: hll.encode(), users: hll.encode() };
 */
export interface SessionRow {
  project: string;
  bucket: number;
  sessions: Uint8Array;
  users: Uint8Array;
}

/**
 * What one pipeline commit writes, with every key present at most once: a multi-row upsert may
 * not touch the same row twice (PostgreSQL rejects it), and merging in memory first means each
 * stored row is read and written once per commit.
 *
 * @example
 * const plan = planCommit(commit, (project, key) => ids.get(seriesCacheKey(project, key))!);
 */
export interface CommitPlan {
  minute: RollupRow[];
  hour: RollupRow[];
  errors: ErrorGroupDelta[];
  sessions: SessionRow[];
  /** The same session sketches merged per (project, hour), for long-range distinct counts. */
  sessionHours: SessionRow[];
}

/**
 * The in-memory cache key of a series: project plus every dimension, unambiguous for any text.
 *
 * @example
 * seriesCacheKey('portal', { metric: 'api', phase: 'api', name: '/x', method: 'GET', statusClass: '2xx', service: 'web', environment: 'prod' });
 */
export function seriesCacheKey(project: string, key: SeriesKey): string {
  return JSON.stringify([
    project,
    key.metric,
    key.phase,
    key.name,
    key.method,
    key.statusClass,
    key.service,
    key.environment,
  ]);
}

/**
 * The start of the hour containing `bucket` (epoch ms).
 *
 * @example
 * hourBucketOf(7_260_000); // 7_200_000
 */
export function hourBucketOf(bucket: number): number {
  return Math.floor(bucket / HOUR_MILLIS) * HOUR_MILLIS;
}

/**
 * Merges two rollup rows of the same series and bucket: counts and sums add, min/max combine and
 * the sketches merge. Returns a new row; the inputs are not modified.
 *
 * @example
 * mergeRollupRows(stored, delta).count; // stored.count + delta.count
 */
export function mergeRollupRows(a: RollupRow, b: RollupRow): RollupRow {
  return {
    seriesId: a.seriesId,
    bucket: a.bucket,
    count: a.count + b.count,
    sum: a.sum + b.sum,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    sketch: mergeEncodedSketches(a.sketch, b.sketch),
  };
}

/**
 * Merges two session rows of the same project and minute (HyperLogLog union).
 *
 * @example
 * mergeSessionRows(stored, delta).sessions; // union of both sketches
 */
export function mergeSessionRows(a: SessionRow, b: SessionRow): SessionRow {
  return {
    project: a.project,
    bucket: a.bucket,
    sessions: mergeEncodedHll(a.sessions, b.sessions) ?? a.sessions,
    users: mergeEncodedHll(a.users, b.users) ?? a.users,
  };
}

/**
 * Merges stored rows into planned deltas: for each delta, the stored row with the same key (if
 * any) is merged in. `keyOf` must identify a row; `merge(stored, delta)`.
 *
 * @example
 * const rows = mergeWithStored(plan.minute, existing, rollupRowKey, mergeRollupRows);
 */
export function mergeWithStored<T>(deltas: T[], stored: T[], keyOf: (row: T) => string, merge: (a: T, b: T) => T): T[] {
  const byKey = new Map<string, T>();
  for (const row of stored) byKey.set(keyOf(row), row);
  return deltas.map((delta) => {
    const existing = byKey.get(keyOf(delta));
    return existing === undefined ? delta : merge(existing, delta);
  });
}

/**
 * The identity of a rollup row inside one table.
 *
 * @example
 * rollupRowKey({ seriesId: 3, bucket: 60_000, ... }); // '3:60000'
 */
export function rollupRowKey(row: { seriesId: number; bucket: number }): string {
  return `${row.seriesId}:${row.bucket}`;
}

/**
 * The identity of a session row.
 *
 * @example
 * sessionRowKey({ project: 'p', bucket: 0 }); // '["p",0]'
 */
export function sessionRowKey(row: { project: string; bucket: number }): string {
  return JSON.stringify([row.project, row.bucket]);
}

/**
 * Folds a pipeline commit into one delta per stored row: rollups per (series, minute) and per
 * (series, hour), error groups per (project, fingerprint) with their newest samples only, and
 * sessions per (project, minute). `seriesIdOf` maps a rollup's series to its stored id.
 *
 * @example
 * const plan = planCommit(commit, (project, key) => ids.get(seriesCacheKey(project, key))!);
 */
export function planCommit(
  commit: PipelineCommit,
  seriesIdOf: (project: string, key: SeriesKey) => number,
): CommitPlan {
  const minute = new Map<string, RollupRow>();
  const hour = new Map<string, RollupRow>();
  for (const record of commit.rollups) {
    const seriesId = seriesIdOf(record.project, record.key);
    addRollup(minute, toRow(seriesId, record.bucket, record));
    addRollup(hour, toRow(seriesId, hourBucketOf(record.bucket), record));
  }
  const sessions = new Map<string, SessionRow>();
  const sessionHours = new Map<string, SessionRow>();
  for (const record of commit.sessions) {
    addSession(sessions, { ...record });
    addSession(sessionHours, { ...record, bucket: hourBucketOf(record.bucket) });
  }
  return {
    minute: [...minute.values()],
    hour: [...hour.values()],
    errors: foldErrorDeltas(commit.errors),
    sessions: [...sessions.values()],
    sessionHours: [...sessionHours.values()],
  };
}

function addSession(rows: Map<string, SessionRow>, row: SessionRow): void {
  const key = sessionRowKey(row);
  const existing = rows.get(key);
  rows.set(key, existing === undefined ? row : mergeSessionRows(existing, row));
}

function toRow(seriesId: number, bucket: number, record: RollupRecord): RollupRow {
  const { count, sum, min, max, sketch } = record;
  return { seriesId, bucket, count, sum, min, max, sketch };
}

function addRollup(rows: Map<string, RollupRow>, row: RollupRow): void {
  const key = rollupRowKey(row);
  const existing = rows.get(key);
  rows.set(key, existing === undefined ? row : mergeRollupRows(existing, row));
}

/**
 * Merges deltas of the same group (first seen wins for descriptive fields) and keeps only the
 * newest `MAX_SAMPLES_PER_GROUP` samples of each, since older ones would be trimmed anyway.
 */
function foldErrorDeltas(deltas: ErrorGroupDelta[]): ErrorGroupDelta[] {
  const groups = new Map<string, ErrorGroupDelta>();
  for (const delta of deltas) {
    const key = JSON.stringify([delta.project, delta.fingerprint]);
    const existing = groups.get(key);
    if (existing === undefined) {
      groups.set(key, { ...delta, perMinute: new Map(delta.perMinute), samples: [...delta.samples] });
      continue;
    }
    existing.firstSeen = Math.min(existing.firstSeen, delta.firstSeen);
    existing.lastSeen = Math.max(existing.lastSeen, delta.lastSeen);
    for (const [bucket, count] of delta.perMinute) {
      existing.perMinute.set(bucket, (existing.perMinute.get(bucket) ?? 0) + count);
    }
    existing.samples.push(...delta.samples);
  }
  for (const group of groups.values()) group.samples = newestSamples(group.samples);
  return [...groups.values()];
}

/** The newest samples, oldest first, so insertion order (the tie-breaker) matches recency. */
function newestSamples(samples: OccurrenceRecord[]): OccurrenceRecord[] {
  const sorted = samples.map((sample, index) => ({ sample, index }));
  sorted.sort((a, b) => a.sample.ts - b.sample.ts || a.index - b.index);
  return sorted.slice(-MAX_SAMPLES_PER_GROUP).map((entry) => entry.sample);
}
