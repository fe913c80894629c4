import pg from 'pg';
import type { AccessStore } from './access-store.js';
import type { AlertStore } from './alert-records.js';
import type {
  IncidentEventRecord,
  IncidentQuery,
  IncidentRecord,
  IncidentSource,
  IncidentTransition,
  NewIncident,
} from './incident-records.js';
import { pendingMigrations } from './migration.js';
import { PostgresAccess } from './postgres-access.js';
import { postgresAlerts } from './postgres-alerts.js';
import { PostgresHealthTables } from './postgres-health.js';
import { PostgresIncidents } from './postgres-incidents.js';
import { PostgresLeadership } from './postgres-leadership.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { readPostgresRollups } from './postgres-rollup-reader.js';
import { type ExportPageQuery, type ExportRecord, SqlExports } from './sql-exports.js';
import type {
  AppendOutcome,
  ErrorGroupRecord,
  ErrorMinuteRecord,
  HealthCheckRecord,
  HealthResultRecord,
  HealthResultSummary,
  IngestKeyRecord,
  JournalEntry,
  JournalRow,
  OccurrenceRecord,
  PipelineCommit,
  ProjectRecord,
  RetentionPolicy,
  RetentionReport,
  RollupQuery,
  RollupRecord,
  SessionMinuteRecord,
  Store,
  TokenRecord,
} from './store.js';
import {
  decodeAnswer,
  encodeAnswer,
  type StoreRow,
  toErrorGroup,
  toIngestKey,
  toOccurrence,
  toProject,
  toSessionRow,
  toToken,
} from './store-rows.js';
import { writePostgresCommit } from './write-postgres-commit.js';

/**
 * Options of the PostgreSQL store.
 *
 * @example
 * const options: PostgresStoreOptions = { connectionString: 'postgres://vigil@db/vigil', schema: 'vigil' };
 */
export interface PostgresStoreOptions {
  connectionString: string;
  /** Schema holding every table; created by `migrate()` when missing. Default `public`. */
  schema?: string;
  /** Pool size. Default 10. */
  maxConnections?: number;
  /** Clock for `createdAt` fields; tests inject one. Default `Date.now`. */
  now?: () => number;
  /**
   * Called when an idle pooled connection fails (e.g. the server restarted). The pool has already
   * discarded it and the next query reconnects or throws, so the default ignores it; without a
   * listener `pg` would crash the process.
   */
  onPoolError?: (error: Error) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Parameters per appended batch, and the most rows one statement can bind (65,535 parameters). */
const APPEND_PARAMS = 6;
const MAX_APPEND_ROWS = Math.floor(65_535 / APPEND_PARAMS);

/**
 * The scale-out `Store` over a `pg.Pool`: any number of server processes may write at once.
 * Appends are one multi-row statement per call (group commit); pipeline commits use a few
 * `unnest()` statements per table. int8 columns are mapped to numbers per row (no global type
 * parser is installed, so other `pg` users in the process see the driver's defaults).
 *
 * @example
 * const store = new PostgresStore({ connectionString: process.env.DATABASE_URL!, schema: 'vigil' });
 * await store.migrate();
 * await store.appendBatches([entry]);
 */
export class PostgresStore implements Store {
  readonly name = 'postgres' as const;
  readonly supportsConcurrentWriters = true;
  readonly access: AccessStore;
  readonly alerts: AlertStore;

  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly now: () => number;
  /** Series ids by `seriesCacheKey`; only ids of committed rows enter it. */
  private readonly seriesIds = new Map<string, number>();
  private readonly health = new PostgresHealthTables(
    async (sql, values) => {
      const result = await this.pool.query(sql, values);
      return { rows: result.rows as StoreRow[], rowCount: result.rowCount ?? 0 };
    },
    () => this.now(),
  );
  private readonly incidents: PostgresIncidents;
  private readonly leadership: PostgresLeadership;

  constructor(options: PostgresStoreOptions) {
    this.schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(this.schema)) {
      throw new Error(`Invalid PostgreSQL schema name "${this.schema}": use lowercase letters, digits and _`);
    }
    this.now = options.now ?? Date.now;
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      options: `-c search_path=${this.schema}`,
    });
    const onPoolError = options.onPoolError ?? (() => {});
    this.pool.on('error', onPoolError);
    this.access = new PostgresAccess(this.pool, this.now);
    this.alerts = postgresAlerts(this.pool);
    this.incidents = new PostgresIncidents(this.pool);
    this.leadership = new PostgresLeadership({ connectionString: options.connectionString, schema: this.schema });
  }

  async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      // Two nodes starting together queue here instead of racing on CREATE TABLE.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`vigil:migrate:${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await client.query(`SET LOCAL search_path TO ${this.schema}`);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      );
      const { rows } = await client.query('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((row: StoreRow) => Number(row.version)));
      for (const step of pendingMigrations(POSTGRES_MIGRATIONS, applied)) {
        await client.query(step.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          step.version,
          step.name,
          this.now(),
        ]);
      }
    });
  }

  async close(): Promise<void> {
    await this.leadership.close();
    await this.pool.end();
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  tryAcquireLeadership(name: string): Promise<boolean> {
    return this.leadership.tryAcquire(name);
  }

  releaseLeadership(name: string): Promise<void> {
    return this.leadership.release(name);
  }

  async getSetting(name: string): Promise<string | null> {
    const row = await this.one('SELECT value FROM settings WHERE name = $1', [name]);
    return row === undefined ? null : String(row.value);
  }

  async initSetting(name: string, value: string): Promise<string> {
    await this.pool.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
      name,
      value,
    ]);
    const stored = await this.getSetting(name);
    if (stored === null) throw new Error(`Setting ${name} vanished right after it was initialised`);
    return stored;
  }

  async upsertProject(project: { name: string; allowedOrigins: string[] }): Promise<ProjectRecord> {
    const row = await this.one(
      `INSERT INTO projects (name, allowed_origins, created_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET allowed_origins = excluded.allowed_origins
       RETURNING name, allowed_origins, created_at`,
      [project.name, JSON.stringify(project.allowedOrigins), this.now()],
    );
    return toProject(row!);
  }

  async listProjects(): Promise<ProjectRecord[]> {
    return this.all('SELECT name, allowed_origins, created_at FROM projects ORDER BY name COLLATE "C"', [], toProject);
  }

  async createIngestKey(key: Omit<IngestKeyRecord, 'createdAt' | 'revokedAt'>): Promise<IngestKeyRecord> {
    const record: IngestKeyRecord = { ...key, createdAt: this.now(), revokedAt: null };
    await this.pool.query(
      'INSERT INTO ingest_keys (id, project, key_hash, environment, label, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, NULL)',
      [record.id, record.project, record.keyHash, record.environment, record.label, record.createdAt],
    );
    return record;
  }

  async listIngestKeys(): Promise<IngestKeyRecord[]> {
    return this.all(
      `SELECT id, project, key_hash, environment, label, created_at, revoked_at FROM ingest_keys
       WHERE revoked_at IS NULL ORDER BY created_at, id COLLATE "C"`,
      [],
      toIngestKey,
    );
  }

  async createToken(token: Omit<TokenRecord, 'createdAt' | 'revokedAt'>): Promise<TokenRecord> {
    const record: TokenRecord = { ...token, createdAt: this.now(), revokedAt: null };
    await this.pool.query(
      'INSERT INTO tokens (id, token_hash, label, role, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, NULL)',
      [record.id, record.tokenHash, record.label, record.role, record.createdAt],
    );
    return record;
  }

  async findToken(tokenHash: string): Promise<TokenRecord | null> {
    const row = await this.one(
      'SELECT id, token_hash, label, role, created_at, revoked_at FROM tokens WHERE token_hash = $1 AND revoked_at IS NULL',
      [tokenHash],
    );
    return row === undefined ? null : toToken(row);
  }

  async countTokens(): Promise<number> {
    const row = await this.one('SELECT COUNT(*) AS n FROM tokens', []);
    return Number(row!.n);
  }

  async appendBatches(entries: JournalEntry[]): Promise<AppendOutcome[]> {
    if (entries.length === 0) return [];
    // The same batch twice in one array: only the first goes to the database.
    const firstIndex = new Map<string, number>();
    const unique: JournalEntry[] = [];
    const firstOf = entries.map((entry, index) => {
      const key = batchKey(entry.project, entry.batchId);
      const first = firstIndex.get(key);
      if (first !== undefined) return first;
      firstIndex.set(key, index);
      unique.push(entry);
      return index;
    });
    const answers = entries.map((entry) => encodeAnswer(entry.answer));
    const chunks: JournalEntry[][] = [];
    for (let i = 0; i < unique.length; i += MAX_APPEND_ROWS) chunks.push(unique.slice(i, i + MAX_APPEND_ROWS));
    // One statement is one transaction; only a huge array needs an explicit one around several.
    const rows =
      chunks.length === 1
        ? await insertBatches(this.pool, unique)
        : await this.transaction(async (client) => {
            const all: StoreRow[] = [];
            for (const chunk of chunks) all.push(...(await insertBatches(client, chunk)));
            return all;
          });
    const inserted = new Set(rows.map((row: StoreRow) => batchKey(String(row.project), String(row.batch_id))));
    const stored = await this.storedAnswers(unique.filter((e) => !inserted.has(batchKey(e.project, e.batchId))));
    return entries.map((entry, index): AppendOutcome => {
      const first = firstOf[index]!;
      const key = batchKey(entry.project, entry.batchId);
      if (first === index && inserted.has(key)) return { duplicate: false };
      const answer = inserted.has(key) ? answers[first]! : stored.get(key);
      if (answer === undefined) throw new Error(`Batch ${entry.batchId} was neither stored nor found`);
      return { duplicate: true, answer: decodeAnswer(answer) };
    });
  }

  async readJournal(limit: number): Promise<JournalRow[]> {
    return this.all('SELECT seq, project, received_at, payload FROM journal ORDER BY seq LIMIT $1', [limit], (row) => ({
      seq: Number(row.seq),
      project: String(row.project),
      receivedAt: Number(row.received_at),
      payload: String(row.payload),
    }));
  }

  async journalBacklog(): Promise<{ rows: number; oldestReceivedAt: number | null }> {
    const row = (await this.one('SELECT COUNT(*) AS n, MIN(received_at) AS oldest FROM journal', []))!;
    return { rows: Number(row.n), oldestReceivedAt: row.oldest === null ? null : Number(row.oldest) };
  }

  async commitPipeline(commit: PipelineCommit): Promise<void> {
    const newSeries = await this.transaction((client) => writePostgresCommit(client, commit, this.seriesIds));
    // Published only after COMMIT: a rolled-back id must never be cached.
    for (const [key, id] of newSeries) this.seriesIds.set(key, id);
  }

  async queryRollups(query: RollupQuery): Promise<RollupRecord[]> {
    return readPostgresRollups(this.pool, query);
  }

  async listErrorGroups(query: {
    project: string;
    from: number;
    to: number;
    limit: number;
  }): Promise<ErrorGroupRecord[]> {
    return this.all(
      `SELECT g.fingerprint, g.kind, g.error_name, g.message, g.phase, g.service, g.environment, g.first_seen, g.last_seen, m.n
       FROM (SELECT fingerprint, SUM(count) AS n FROM error_minutes
             WHERE project = $1 AND bucket >= $2 AND bucket < $3 GROUP BY fingerprint) m
       JOIN error_groups g ON g.project = $1 AND g.fingerprint = m.fingerprint
       ORDER BY m.n DESC, g.fingerprint COLLATE "C"
       LIMIT $4`,
      [query.project, query.from, query.to, query.limit],
      toErrorGroup,
    );
  }

  async listOccurrences(query: { project: string; fingerprint: string; limit: number }): Promise<OccurrenceRecord[]> {
    return this.all(
      `SELECT ts, message, stack, context, session_id, user_hash, release FROM error_occurrences
       WHERE project = $1 AND fingerprint = $2 ORDER BY ts DESC, id DESC LIMIT $3`,
      [query.project, query.fingerprint, query.limit],
      toOccurrence,
    );
  }

  async querySessions(query: {
    project: string;
    from: number;
    to: number;
    resolution?: 'minute' | 'hour';
  }): Promise<SessionMinuteRecord[]> {
    const table = query.resolution === 'hour' ? 'session_hours' : 'session_minutes';
    return this.all(
      `SELECT project, bucket, sessions, users FROM ${table} WHERE project = $1 AND bucket >= $2 AND bucket < $3 ORDER BY bucket`,
      [query.project, query.from, query.to],
      toSessionRow,
    );
  }

  async countEvents(query: { project: string; from: number; to: number }): Promise<number> {
    const row = await this.one(
      `SELECT COALESCE(SUM(r.count), 0) AS n FROM series s JOIN rollup_minute r ON r.series_id = s.id
       WHERE s.project = $1 AND r.bucket >= $2 AND r.bucket < $3`,
      [query.project, query.from, query.to],
    );
    return Number(row!.n);
  }

  async queryErrorMinutes(query: { project: string; from: number; to: number }): Promise<ErrorMinuteRecord[]> {
    return this.incidents.errorMinutes(query);
  }

  async createIncident(incident: NewIncident, message: string): Promise<IncidentRecord | null> {
    return this.incidents.create(incident, message);
  }

  async transitionIncident(transition: IncidentTransition): Promise<IncidentRecord | null> {
    return this.incidents.transition(transition);
  }

  async addIncidentEvent(event: IncidentEventRecord): Promise<void> {
    await this.incidents.addEvent(event);
  }

  async getIncident(id: string): Promise<IncidentRecord | null> {
    return this.incidents.get(id);
  }

  async listIncidentEvents(id: string): Promise<IncidentEventRecord[]> {
    return this.incidents.events(id);
  }

  async listIncidents(query: IncidentQuery): Promise<IncidentRecord[]> {
    return this.incidents.list(query);
  }

  async exportPage(query: ExportPageQuery): Promise<ExportRecord[]> {
    return new SqlExports({
      all: async (sql, params) => {
        let n = 0;
        return (
          await this.pool.query(
            sql.replace(/\?/g, () => `$${++n}`),
            params,
          )
        ).rows as StoreRow[];
      },
    }).page(query);
  }

  async listUnresolvedIncidents(project: string, source: IncidentSource): Promise<IncidentRecord[]> {
    return this.incidents.unresolved(project, source);
  }

  listHealthChecks(): Promise<HealthCheckRecord[]> {
    return this.health.list();
  }

  putHealthCheck(check: HealthCheckRecord): Promise<void> {
    return this.health.put(check);
  }

  deleteHealthCheck(name: string): Promise<boolean> {
    return this.health.delete(name);
  }

  appendHealthResults(results: HealthResultRecord[]): Promise<void> {
    return this.health.append(results);
  }

  listHealthResults(query: { check: string; from: number; to: number; limit: number }): Promise<HealthResultRecord[]> {
    return this.health.results(query);
  }

  summarizeHealthResults(query: { from: number; to: number }): Promise<HealthResultSummary[]> {
    return this.health.summarize(query);
  }

  pruneHealthResults(before: number): Promise<number> {
    return this.health.prune(before);
  }

  async applyRetention(policy: RetentionPolicy, now: number): Promise<RetentionReport> {
    const detailed = now - policy.detailedMillis;
    return this.transaction(async (client) => {
      const remove = async (sql: string, cutoff: number): Promise<number> =>
        (await client.query(sql, [cutoff])).rowCount ?? 0;
      return {
        minuteRollups: await remove('DELETE FROM rollup_minute WHERE bucket < $1', detailed),
        hourRollups: await remove('DELETE FROM rollup_hour WHERE bucket < $1', now - policy.aggregatedMillis),
        occurrences: await remove('DELETE FROM error_occurrences WHERE ts < $1', detailed),
        errorMinutes: await remove('DELETE FROM error_minutes WHERE bucket < $1', detailed),
        sessionMinutes: await remove('DELETE FROM session_minutes WHERE bucket < $1', detailed),
        sessionHours: await remove('DELETE FROM session_hours WHERE bucket < $1', now - policy.aggregatedMillis),
        batchIds: await remove('DELETE FROM batches WHERE received_at < $1', now - policy.batchIdMillis),
      };
    });
  }

  async sizeBytes(): Promise<number> {
    const row = await this.one(
      `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS n
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'm')`,
      [this.schema],
    );
    return Number(row!.n);
  }

  private async one(sql: string, values: unknown[]): Promise<StoreRow | undefined> {
    const { rows } = await this.pool.query(sql, values);
    return rows[0] as StoreRow | undefined;
  }

  private async all<T>(sql: string, values: unknown[], map: (row: StoreRow) => T): Promise<T[]> {
    const { rows } = await this.pool.query(sql, values);
    return rows.map((row: StoreRow) => map(row));
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is unusable; destroy it rather than return it to the pool.
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async storedAnswers(entries: JournalEntry[]): Promise<Map<string, string>> {
    const answers = new Map<string, string>();
    if (entries.length === 0) return answers;
    const { rows } = await this.pool.query(
      `SELECT b.project, b.batch_id, b.answer FROM batches b
       JOIN unnest($1::text[], $2::text[]) AS k(project, batch_id) ON b.project = k.project AND b.batch_id = k.batch_id`,
      [entries.map((e) => e.project), entries.map((e) => e.batchId)],
    );
    for (const row of rows as StoreRow[])
      answers.set(batchKey(String(row.project), String(row.batch_id)), String(row.answer));
    return answers;
  }
}

/**
 * Inserts batch ids and journal rows in one statement; returns the batches actually inserted.
 * Each value is its own parameter: with ~25 KB payloads, binding plain text parameters is several
 * times faster than escaping them into a `text[]` for `unnest()`. Batch ids are inserted sorted,
 * so concurrent appenders of overlapping ids take row locks in the same order (no deadlock).
 */
async function insertBatches(db: pg.Pool | pg.PoolClient, entries: JournalEntry[]): Promise<StoreRow[]> {
  const values: unknown[] = [];
  const tuples = entries.map((e, i) => {
    const p = i * APPEND_PARAMS;
    values.push(e.project, e.batchId, e.receivedAt, encodeAnswer(e.answer), e.payload, e.eventCount);
    return `($${p + 1}::text, $${p + 2}::text, $${p + 3}::bigint, $${p + 4}::text, $${p + 5}::text, $${p + 6}::bigint, ${i})`;
  });
  const { rows } = await db.query(
    `WITH input (project, batch_id, received_at, answer, payload, event_count, ord) AS (VALUES ${tuples.join(', ')}),
     inserted AS (
       INSERT INTO batches (project, batch_id, received_at, answer)
       SELECT project, batch_id, received_at, answer FROM input ORDER BY project, batch_id
       ON CONFLICT (project, batch_id) DO NOTHING
       RETURNING project, batch_id
     ), journaled AS (
       INSERT INTO journal (project, received_at, payload, event_count)
       SELECT i.project, i.received_at, i.payload, i.event_count
       FROM input i JOIN inserted n ON n.project = i.project AND n.batch_id = i.batch_id
       ORDER BY i.ord
       RETURNING seq
     )
     SELECT project, batch_id FROM inserted`,
    values,
  );
  return rows as StoreRow[];
}

function batchKey(project: string, batchId: string): string {
  return JSON.stringify([project, batchId]);
}
