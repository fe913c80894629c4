import type Database from 'better-sqlite3';
import {
  MAX_SAMPLES_PER_GROUP,
  mergeRollupRows,
  mergeSessionRows,
  mergeWithStored,
  planCommit,
  type RollupRow,
  rollupRowKey,
  type SessionRow,
  seriesCacheKey,
  sessionRowKey,
} from './plan-commit.js';
import type { ErrorGroupDelta, PipelineCommit, SeriesKey } from './store.js';
import { type StoreRow, toRollupRow, toSessionRow } from './store-rows.js';

/**
 * Writes one pipeline commit with SQLite statements; the caller wraps `write` in a transaction.
 * Rollups and sessions are read-merge-written: one `json_each` query loads every stored row the
 * commit touches, then one cached upsert statement per row writes the merged values.
 *
 * @example
 * const writer = new SqliteCommitWriter((sql) => db.prepare(sql));
 * const ids = db.transaction(() => writer.write(commit, cache)).immediate();
 * for (const [key, id] of ids) cache.set(key, id);
 */
export class SqliteCommitWriter {
  constructor(private readonly stmt: (sql: string) => Database.Statement) {}

  /**
   * Deletes the consumed journal rows and merges every aggregate. Returns the series ids it
   * looked up or created that `cachedSeriesIds` lacked; cache them only after COMMIT, because
   * SQLite reuses the rowid of a rolled-back insert.
   */
  write(commit: PipelineCommit, cachedSeriesIds: ReadonlyMap<string, number>): Map<string, number> {
    const created = new Map<string, number>();
    this.deleteJournalRows(commit.seqs);
    const plan = planCommit(commit, (project, key) => this.seriesId(project, key, cachedSeriesIds, created));
    this.writeRollups('rollup_minute', plan.minute);
    this.writeRollups('rollup_hour', plan.hour);
    this.writeErrors(plan.errors);
    this.writeSessions('session_minutes', plan.sessions);
    this.writeSessions('session_hours', plan.sessionHours);
    return created;
  }

  /** Deletes exactly `seqs`; a missing one means another consumer took it, so the commit aborts. */
  private deleteJournalRows(seqs: number[]): void {
    const unique = [...new Set(seqs)];
    const deleted = this.stmt('DELETE FROM journal WHERE seq IN (SELECT value FROM json_each(?))').run(
      JSON.stringify(unique),
    ).changes;
    if (deleted !== unique.length) {
      throw new Error(
        `Pipeline commit expected ${unique.length} journal rows but found ${deleted}; nothing was committed`,
      );
    }
  }

  private seriesId(
    project: string,
    key: SeriesKey,
    cached: ReadonlyMap<string, number>,
    created: Map<string, number>,
  ): number {
    const cacheKey = seriesCacheKey(project, key);
    const known = cached.get(cacheKey) ?? created.get(cacheKey);
    if (known !== undefined) return known;
    const dims = [project, key.metric, key.phase, key.name, key.method, key.statusClass, key.service, key.environment];
    const found = this.stmt(
      `SELECT id FROM series WHERE project = ? AND metric = ? AND phase = ? AND name = ? AND method = ?
       AND status_class = ? AND service = ? AND environment = ?`,
    ).get(...dims) as StoreRow | undefined;
    if (found !== undefined) {
      created.set(cacheKey, Number(found.id));
      return Number(found.id);
    }
    const inserted = this.stmt(
      'INSERT INTO series (project, metric, phase, name, method, status_class, service, environment) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
    ).get(...dims) as StoreRow;
    created.set(cacheKey, Number(inserted.id));
    return Number(inserted.id);
  }

  private writeRollups(table: 'rollup_minute' | 'rollup_hour', deltas: RollupRow[]): void {
    if (deltas.length === 0) return;
    const keys = JSON.stringify(deltas.map((row) => [row.seriesId, row.bucket]));
    const stored = this.stmt(
      `SELECT r.series_id, r.bucket, r.count, r.sum, r.min, r.max, r.sketch
       FROM json_each(?) AS k CROSS JOIN ${table} AS r ON r.series_id = k.value ->> 0 AND r.bucket = k.value ->> 1`,
    )
      .all(keys)
      .map((row) => toRollupRow(row as StoreRow));
    const upsert = this.stmt(
      `INSERT INTO ${table} (series_id, bucket, count, sum, min, max, sketch) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (series_id, bucket) DO UPDATE SET
         count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max, sketch = excluded.sketch`,
    );
    for (const row of mergeWithStored(deltas, stored, rollupRowKey, mergeRollupRows)) {
      upsert.run(row.seriesId, row.bucket, row.count, row.sum, row.min, row.max, row.sketch);
    }
  }

  private writeErrors(groups: ErrorGroupDelta[]): void {
    const upsertGroup = this.stmt(
      `INSERT INTO error_groups (project, fingerprint, kind, error_name, message, phase, service, environment, first_seen, last_seen)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (project, fingerprint) DO UPDATE SET
         first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, excluded.last_seen)`,
    );
    const addMinute = this.stmt(
      `INSERT INTO error_minutes (project, fingerprint, bucket, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (project, fingerprint, bucket) DO UPDATE SET count = count + excluded.count`,
    );
    const addSample = this.stmt(
      `INSERT INTO error_occurrences (project, fingerprint, ts, message, stack, context, session_id, user_hash, release)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const trim = this.stmt(
      `DELETE FROM error_occurrences WHERE project = @project AND fingerprint = @fingerprint AND id NOT IN (
         SELECT id FROM error_occurrences WHERE project = @project AND fingerprint = @fingerprint
         ORDER BY ts DESC, id DESC LIMIT @keep)`,
    );
    for (const g of groups) {
      upsertGroup.run(
        g.project,
        g.fingerprint,
        g.kind,
        g.errorName,
        g.message,
        g.phase,
        g.service,
        g.environment,
        g.firstSeen,
        g.lastSeen,
      );
      for (const [bucket, count] of g.perMinute) addMinute.run(g.project, g.fingerprint, bucket, count);
      for (const s of g.samples) {
        addSample.run(
          g.project,
          g.fingerprint,
          s.ts,
          s.message,
          s.stack,
          s.context,
          s.sessionId,
          s.userHash,
          s.release,
        );
      }
      if (g.samples.length > 0)
        trim.run({ project: g.project, fingerprint: g.fingerprint, keep: MAX_SAMPLES_PER_GROUP });
    }
  }

  private writeSessions(table: 'session_minutes' | 'session_hours', deltas: SessionRow[]): void {
    if (deltas.length === 0) return;
    const keys = JSON.stringify(deltas.map((row) => [row.project, row.bucket]));
    const stored = this.stmt(
      `SELECT s.project, s.bucket, s.sessions, s.users
       FROM json_each(?) AS k CROSS JOIN ${table} AS s ON s.project = k.value ->> 0 AND s.bucket = k.value ->> 1`,
    )
      .all(keys)
      .map((row) => toSessionRow(row as StoreRow));
    const upsert = this.stmt(
      `INSERT INTO ${table} (project, bucket, sessions, users) VALUES (?, ?, ?, ?)
       ON CONFLICT (project, bucket) DO UPDATE SET sessions = excluded.sessions, users = excluded.users`,
    );
    for (const row of mergeWithStored(deltas, stored, sessionRowKey, mergeSessionRows)) {
      upsert.run(row.project, row.bucket, row.sessions, row.users);
    }
  }
}
