import type pg from 'pg';
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

const SERIES_DIMS = 'project, metric, phase, name, method, status_class, service, environment';

/**
 * Writes one pipeline commit inside the caller's open transaction on `client`: deletes the
 * consumed journal rows, resolves series ids, then read-merge-writes rollups (minute and hour),
 * error groups and session sketches with a few multi-row statements per table. Returns the series
 * ids it looked up or created that `cachedSeriesIds` lacked; the caller caches them only after
 * COMMIT, because an id from a rolled-back transaction must never be reused.
 *
 * @example
 * const ids = await writePostgresCommit(client, commit, cache);
 * await client.query('COMMIT');
 * for (const [key, id] of ids) cache.set(key, id);
 */
export async function writePostgresCommit(
  client: pg.PoolClient,
  commit: PipelineCommit,
  cachedSeriesIds: ReadonlyMap<string, number>,
): Promise<Map<string, number>> {
  await deleteJournalRows(client, commit.seqs);
  const ids = await resolveSeries(client, commit, cachedSeriesIds);
  const plan = planCommit(commit, (project, key) => {
    const cacheKey = seriesCacheKey(project, key);
    const id = cachedSeriesIds.get(cacheKey) ?? ids.get(cacheKey);
    if (id === undefined) throw new Error(`Series ${cacheKey} has no id`);
    return id;
  });
  await writeRollups(client, 'rollup_minute', plan.minute);
  await writeRollups(client, 'rollup_hour', plan.hour);
  await writeErrors(client, plan.errors);
  await writeSessions(client, 'session_minutes', plan.sessions);
  await writeSessions(client, 'session_hours', plan.sessionHours);
  return ids;
}

/** Ids of the commit's series missing from `cached`, inserting new ones (race-safe). */
async function resolveSeries(
  client: pg.PoolClient,
  commit: PipelineCommit,
  cached: ReadonlyMap<string, number>,
): Promise<Map<string, number>> {
  const missing = new Map<string, { project: string; key: SeriesKey }>();
  for (const record of commit.rollups) {
    const cacheKey = seriesCacheKey(record.project, record.key);
    if (!cached.has(cacheKey)) missing.set(cacheKey, { project: record.project, key: record.key });
  }
  const ids = new Map<string, number>();
  if (missing.size === 0) return ids;
  const dims = [...missing.values()];
  const values = [
    dims.map((d) => d.project),
    dims.map((d) => d.key.metric),
    dims.map((d) => d.key.phase),
    dims.map((d) => d.key.name),
    dims.map((d) => d.key.method),
    dims.map((d) => d.key.statusClass),
    dims.map((d) => d.key.service),
    dims.map((d) => d.key.environment),
  ];
  const input = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS k(${SERIES_DIMS})`;
  await client.query(
    `INSERT INTO series (${SERIES_DIMS}) SELECT * FROM ${input} ORDER BY ${SERIES_DIMS} ON CONFLICT DO NOTHING`,
    values,
  );
  // A separate statement: its snapshot sees rows another node committed while we waited.
  const { rows } = await client.query(`SELECT s.id, k.* FROM series s JOIN ${input} USING (${SERIES_DIMS})`, values);
  for (const row of rows as StoreRow[]) {
    const key: SeriesKey = {
      metric: String(row.metric),
      phase: String(row.phase),
      name: String(row.name),
      method: String(row.method),
      statusClass: String(row.status_class),
      service: String(row.service),
      environment: String(row.environment),
    };
    ids.set(seriesCacheKey(String(row.project), key), Number(row.id));
  }
  return ids;
}

/** Deletes exactly `seqs`; a missing one means another consumer took it, so the commit aborts. */
async function deleteJournalRows(client: pg.PoolClient, seqs: number[]): Promise<void> {
  const unique = [...new Set(seqs)];
  const { rowCount } = await client.query('DELETE FROM journal WHERE seq = ANY($1::bigint[])', [unique]);
  if (rowCount !== unique.length) {
    throw new Error(
      `Pipeline commit expected ${unique.length} journal rows but found ${rowCount}; nothing was committed`,
    );
  }
}

async function writeRollups(
  client: pg.PoolClient,
  table: 'rollup_minute' | 'rollup_hour',
  deltas: RollupRow[],
): Promise<void> {
  if (deltas.length === 0) return;
  const { rows } = await client.query(
    `SELECT series_id, bucket, count, sum, min, max, sketch FROM ${table}
     WHERE (series_id, bucket) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))
     FOR UPDATE`,
    [deltas.map((r) => r.seriesId), deltas.map((r) => r.bucket)],
  );
  const merged = mergeWithStored(deltas, (rows as StoreRow[]).map(toRollupRow), rollupRowKey, mergeRollupRows);
  await client.query(
    `INSERT INTO ${table} (series_id, bucket, count, sum, min, max, sketch)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::float8[], $5::float8[], $6::float8[], $7::bytea[])
     ON CONFLICT (series_id, bucket) DO UPDATE SET
       count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max, sketch = excluded.sketch`,
    [
      merged.map((r) => r.seriesId),
      merged.map((r) => r.bucket),
      merged.map((r) => r.count),
      merged.map((r) => r.sum),
      merged.map((r) => r.min),
      merged.map((r) => r.max),
      merged.map((r) => r.sketch),
    ],
  );
}

async function writeErrors(client: pg.PoolClient, groups: ErrorGroupDelta[]): Promise<void> {
  if (groups.length === 0) return;
  await client.query(
    `INSERT INTO error_groups (project, fingerprint, kind, error_name, message, phase, service, environment, first_seen, last_seen)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                          $9::bigint[], $10::bigint[])
     ON CONFLICT (project, fingerprint) DO UPDATE SET
       first_seen = LEAST(error_groups.first_seen, excluded.first_seen),
       last_seen = GREATEST(error_groups.last_seen, excluded.last_seen)`,
    [
      groups.map((g) => g.project),
      groups.map((g) => g.fingerprint),
      groups.map((g) => g.kind),
      groups.map((g) => g.errorName),
      groups.map((g) => g.message),
      groups.map((g) => g.phase),
      groups.map((g) => g.service),
      groups.map((g) => g.environment),
      groups.map((g) => g.firstSeen),
      groups.map((g) => g.lastSeen),
    ],
  );
  const minutes = groups.flatMap((g) => [...g.perMinute].map(([bucket, count]) => ({ g, bucket, count })));
  if (minutes.length > 0) {
    await client.query(
      `INSERT INTO error_minutes (project, fingerprint, bucket, count)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])
       ON CONFLICT (project, fingerprint, bucket) DO UPDATE SET count = error_minutes.count + excluded.count`,
      [
        minutes.map((m) => m.g.project),
        minutes.map((m) => m.g.fingerprint),
        minutes.map((m) => m.bucket),
        minutes.map((m) => m.count),
      ],
    );
  }
  await writeSamples(
    client,
    groups.filter((g) => g.samples.length > 0),
  );
}

async function writeSamples(client: pg.PoolClient, groups: ErrorGroupDelta[]): Promise<void> {
  if (groups.length === 0) return;
  const samples = groups.flatMap((g) => g.samples.map((s) => ({ g, s })));
  // Inserted oldest first, so `id` breaks ties between equal timestamps by recency.
  await client.query(
    `INSERT INTO error_occurrences (project, fingerprint, ts, message, stack, context, session_id, user_hash, release)
     SELECT project, fingerprint, ts, message, stack, context, session_id, user_hash, release
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       WITH ORDINALITY AS t(project, fingerprint, ts, message, stack, context, session_id, user_hash, release, ord)
     ORDER BY ord`,
    [
      samples.map((x) => x.g.project),
      samples.map((x) => x.g.fingerprint),
      samples.map((x) => x.s.ts),
      samples.map((x) => x.s.message),
      samples.map((x) => x.s.stack),
      samples.map((x) => x.s.context),
      samples.map((x) => x.s.sessionId),
      samples.map((x) => x.s.userHash),
      samples.map((x) => x.s.release),
    ],
  );
  await client.query(
    `DELETE FROM error_occurrences o USING (
       SELECT id, row_number() OVER (PARTITION BY project, fingerprint ORDER BY ts DESC, id DESC) AS rn
       FROM error_occurrences
       WHERE (project, fingerprint) IN (SELECT * FROM unnest($1::text[], $2::text[]))
     ) r
     WHERE o.id = r.id AND r.rn > $3`,
    [groups.map((g) => g.project), groups.map((g) => g.fingerprint), MAX_SAMPLES_PER_GROUP],
  );
}

async function writeSessions(
  client: pg.PoolClient,
  table: 'session_minutes' | 'session_hours',
  deltas: SessionRow[],
): Promise<void> {
  if (deltas.length === 0) return;
  const { rows } = await client.query(
    `SELECT project, bucket, sessions, users FROM ${table}
     WHERE (project, bucket) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))
     FOR UPDATE`,
    [deltas.map((r) => r.project), deltas.map((r) => r.bucket)],
  );
  const merged = mergeWithStored(deltas, (rows as StoreRow[]).map(toSessionRow), sessionRowKey, mergeSessionRows);
  await client.query(
    `INSERT INTO ${table} (project, bucket, sessions, users)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[], $4::bytea[])
     ON CONFLICT (project, bucket) DO UPDATE SET sessions = excluded.sessions, users = excluded.users`,
    [
      merged.map((r) => r.project),
      merged.map((r) => r.bucket),
      merged.map((r) => r.sessions),
      merged.map((r) => r.users),
    ],
  );
}
