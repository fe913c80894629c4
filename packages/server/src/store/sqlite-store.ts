import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
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
import { type ExportPageQuery, type ExportRecord, SqlExports } from './sql-exports.js';
import { SqliteAccess } from './sqlite-access.js';
import { sqliteAlerts } from './sqlite-alerts.js';
import { SqliteCommitWriter } from './sqlite-commit-writer.js';
import { SqliteHealthTables } from './sqlite-health.js';
import { SqliteIncidents } from './sqlite-incidents.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { readSqliteRollups } from './sqlite-rollup-reader.js';
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

/**
 * Options of the SQLite store.
 *
 * @example
 * const options: SqliteStoreOptions = { file: './data/vigil.db', durability: 'normal' };
 */
export interface SqliteStoreOptions {
  /** Database file path (created when missing). */
  file: string;
  /** `normal` survives a process crash; `full` also survives power loss (fsync on every commit). */
  durability: 'normal' | 'full';
  /** How long a statement waits for another process's lock before failing. Default 5,000. */
  busyTimeoutMillis?: number;
  /** Clock for `createdAt` fields; tests inject one. Default `Date.now`. */
  now?: () => number;
}

/** Rows one retention DELETE removes before yielding to queued requests. */
const RETENTION_CHUNK_ROWS = 5_000;

/**
 * The embedded `Store`: one SQLite file in WAL mode, one writer process. Every method runs
 * synchronously inside better-sqlite3 and resolves afterwards; statements are prepared once.
 *
 * @example
 * const store = new SqliteStore({ file: '/var/lib/vigil/vigil.db', durability: 'normal' });
 * await store.migrate();
 * await store.appendBatches([entry]);
 */
export class SqliteStore implements Store {
  readonly name = 'sqlite' as const;
  readonly supportsConcurrentWriters = false;
  readonly access: AccessStore;
  readonly alerts: AlertStore;

  private readonly db: Database.Database;
  private readonly file: string;
  private readonly now: () => number;
  private readonly statements = new Map<string, Database.Statement>();
  /** Series ids by `seriesCacheKey`; only ids of committed rows enter it. */
  private readonly seriesIds = new Map<string, number>();
  private readonly commitWriter = new SqliteCommitWriter((sql) => this.stmt(sql));
  private readonly health = new SqliteHealthTables(
    (sql) => this.stmt(sql),
    (work) => this.db.transaction(work).immediate(),
    () => this.now(),
  );
  private readonly incidents: SqliteIncidents;

  constructor(options: SqliteStoreOptions) {
    this.file = options.file;
    this.now = options.now ?? Date.now;
    this.db = new Database(options.file);
    // SQLite silently keeps the old mode where WAL is impossible (e.g. some network filesystems).
    const mode = this.db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      this.db.close();
      throw new Error(`SQLite could not switch ${options.file} to WAL journal mode (got ${String(mode)})`);
    }
    this.db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMillis ?? 5_000)}`);
    this.access = new SqliteAccess(this.db, this.now);
    this.alerts = sqliteAlerts(this.db, (sql) => this.stmt(sql));
    this.incidents = new SqliteIncidents(this.db, (sql) => this.stmt(sql));
  }

  async migrate(): Promise<void> {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    this.db
      .transaction(() => {
        const applied = new Set(
          this.db
            .prepare('SELECT version FROM schema_migrations')
            .all()
            .map((row) => Number((row as StoreRow).version)),
        );
        for (const step of pendingMigrations(SQLITE_MIGRATIONS, applied)) {
          this.db.exec(step.sql);
          this.db
            .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
            .run(step.version, step.name, this.now());
        }
      })
      .immediate();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async ping(): Promise<void> {
    this.stmt('SELECT 1').get();
  }

  /** One node writes a SQLite file, so it always leads. */
  async tryAcquireLeadership(_name: string): Promise<boolean> {
    return this.db.open;
  }

  async releaseLeadership(_name: string): Promise<void> {}

  async getSetting(name: string): Promise<string | null> {
    const row = this.stmt('SELECT value FROM settings WHERE name = ?').get(name) as StoreRow | undefined;
    return row === undefined ? null : String(row.value);
  }

  async initSetting(name: string, value: string): Promise<string> {
    this.stmt('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, value);
    const stored = await this.getSetting(name);
    if (stored === null) throw new Error(`Setting ${name} vanished right after it was initialised`);
    return stored;
  }

  async upsertProject(project: { name: string; allowedOrigins: string[] }): Promise<ProjectRecord> {
    const row = this.stmt(
      `INSERT INTO projects (name, allowed_origins, created_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET allowed_origins = excluded.allowed_origins
       RETURNING name, allowed_origins, created_at`,
    ).get(project.name, JSON.stringify(project.allowedOrigins), this.now()) as StoreRow;
    return toProject(row);
  }

  async listProjects(): Promise<ProjectRecord[]> {
    return this.stmt('SELECT name, allowed_origins, created_at FROM projects ORDER BY name')
      .all()
      .map((row) => toProject(row as StoreRow));
  }

  async createIngestKey(key: Omit<IngestKeyRecord, 'createdAt' | 'revokedAt'>): Promise<IngestKeyRecord> {
    const record: IngestKeyRecord = { ...key, createdAt: this.now(), revokedAt: null };
    this.stmt(
      'INSERT INTO ingest_keys (id, project, key_hash, environment, label, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL)',
    ).run(record.id, record.project, record.keyHash, record.environment, record.label, record.createdAt);
    return record;
  }

  async listIngestKeys(): Promise<IngestKeyRecord[]> {
    return this.stmt(
      'SELECT id, project, key_hash, environment, label, created_at, revoked_at FROM ingest_keys WHERE revoked_at IS NULL ORDER BY created_at, id',
    )
      .all()
      .map((row) => toIngestKey(row as StoreRow));
  }

  async createToken(token: Omit<TokenRecord, 'createdAt' | 'revokedAt'>): Promise<TokenRecord> {
    const record: TokenRecord = { ...token, createdAt: this.now(), revokedAt: null };
    this.stmt(
      'INSERT INTO tokens (id, token_hash, label, role, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, NULL)',
    ).run(record.id, record.tokenHash, record.label, record.role, record.createdAt);
    return record;
  }

  async findToken(tokenHash: string): Promise<TokenRecord | null> {
    const row = this.stmt(
      'SELECT id, token_hash, label, role, created_at, revoked_at FROM tokens WHERE token_hash = ? AND revoked_at IS NULL',
    ).get(tokenHash) as StoreRow | undefined;
    return row === undefined ? null : toToken(row);
  }

  async countTokens(): Promise<number> {
    return Number((this.stmt('SELECT COUNT(*) AS n FROM tokens').get() as StoreRow).n);
  }

  async appendBatches(entries: JournalEntry[]): Promise<AppendOutcome[]> {
    if (entries.length === 0) return [];
    const insertBatch = this.stmt(
      'INSERT INTO batches (project, batch_id, received_at, answer) VALUES (?, ?, ?, ?) ON CONFLICT (project, batch_id) DO NOTHING',
    );
    const storedAnswer = this.stmt('SELECT answer FROM batches WHERE project = ? AND batch_id = ?');
    const insertJournal = this.stmt(
      'INSERT INTO journal (project, received_at, payload, event_count) VALUES (?, ?, ?, ?)',
    );
    return this.db
      .transaction(() =>
        entries.map((entry): AppendOutcome => {
          const inserted = insertBatch.run(entry.project, entry.batchId, entry.receivedAt, encodeAnswer(entry.answer));
          if (inserted.changes === 0) {
            const row = storedAnswer.get(entry.project, entry.batchId) as StoreRow;
            return { duplicate: true, answer: decodeAnswer(String(row.answer)) };
          }
          insertJournal.run(entry.project, entry.receivedAt, entry.payload, entry.eventCount);
          return { duplicate: false };
        }),
      )
      .immediate();
  }

  async readJournal(limit: number): Promise<JournalRow[]> {
    return this.stmt('SELECT seq, project, received_at, payload FROM journal ORDER BY seq LIMIT ?')
      .all(limit)
      .map((row) => {
        const r = row as StoreRow;
        return {
          seq: Number(r.seq),
          project: String(r.project),
          receivedAt: Number(r.received_at),
          payload: String(r.payload),
        };
      });
  }

  async journalBacklog(): Promise<{ rows: number; oldestReceivedAt: number | null }> {
    const row = this.stmt('SELECT COUNT(*) AS n, MIN(received_at) AS oldest FROM journal').get() as StoreRow;
    return { rows: Number(row.n), oldestReceivedAt: row.oldest === null ? null : Number(row.oldest) };
  }

  async commitPipeline(commit: PipelineCommit): Promise<void> {
    const newSeries = this.db.transaction(() => this.commitWriter.write(commit, this.seriesIds)).immediate();
    // Published only after COMMIT: a rolled-back id could be reused by another series.
    for (const [key, id] of newSeries) this.seriesIds.set(key, id);
  }

  async queryRollups(query: RollupQuery): Promise<RollupRecord[]> {
    return readSqliteRollups((sql) => this.stmt(sql), query);
  }

  async listErrorGroups(query: {
    project: string;
    from: number;
    to: number;
    limit: number;
  }): Promise<ErrorGroupRecord[]> {
    return this.stmt(
      `SELECT g.fingerprint, g.kind, g.error_name, g.message, g.phase, g.service, g.environment, g.first_seen, g.last_seen, m.n
       FROM (SELECT fingerprint, SUM(count) AS n FROM error_minutes
             WHERE project = @project AND bucket >= @from AND bucket < @to GROUP BY fingerprint) m
       JOIN error_groups g ON g.project = @project AND g.fingerprint = m.fingerprint
       ORDER BY m.n DESC, g.fingerprint
       LIMIT @limit`,
    )
      .all(query)
      .map((row) => toErrorGroup(row as StoreRow));
  }

  async listOccurrences(query: { project: string; fingerprint: string; limit: number }): Promise<OccurrenceRecord[]> {
    return this.stmt(
      `SELECT ts, message, stack, context, session_id, user_hash, release FROM error_occurrences
       WHERE project = ? AND fingerprint = ? ORDER BY ts DESC, id DESC LIMIT ?`,
    )
      .all(query.project, query.fingerprint, query.limit)
      .map((row) => toOccurrence(row as StoreRow));
  }

  async querySessions(query: {
    project: string;
    from: number;
    to: number;
    resolution?: 'minute' | 'hour';
  }): Promise<SessionMinuteRecord[]> {
    const table = query.resolution === 'hour' ? 'session_hours' : 'session_minutes';
    return this.stmt(
      `SELECT project, bucket, sessions, users FROM ${table} WHERE project = ? AND bucket >= ? AND bucket < ? ORDER BY bucket`,
    )
      .all(query.project, query.from, query.to)
      .map((row) => toSessionRow(row as StoreRow));
  }

  async countEvents(query: { project: string; from: number; to: number }): Promise<number> {
    const row = this.stmt(
      `SELECT COALESCE(SUM(r.count), 0) AS n FROM series s JOIN rollup_minute r ON r.series_id = s.id
       WHERE s.project = ? AND r.bucket >= ? AND r.bucket < ?`,
    ).get(query.project, query.from, query.to) as StoreRow;
    return Number(row.n);
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
    this.incidents.addEvent(event);
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
    return new SqlExports({ all: async (sql, params) => this.stmt(sql).all(...params) as StoreRow[] }).page(query);
  }

  async listUnresolvedIncidents(project: string, source: IncidentSource): Promise<IncidentRecord[]> {
    return this.incidents.unresolved(project, source);
  }

  async listHealthChecks(): Promise<HealthCheckRecord[]> {
    return this.health.list();
  }

  async putHealthCheck(check: HealthCheckRecord): Promise<void> {
    this.health.put(check);
  }

  async deleteHealthCheck(name: string): Promise<boolean> {
    return this.health.delete(name);
  }

  async appendHealthResults(results: HealthResultRecord[]): Promise<void> {
    this.health.append(results);
  }

  async listHealthResults(query: {
    check: string;
    from: number;
    to: number;
    limit: number;
  }): Promise<HealthResultRecord[]> {
    return this.health.results(query);
  }

  async summarizeHealthResults(query: { from: number; to: number }): Promise<HealthResultSummary[]> {
    return this.health.summarize(query);
  }

  async pruneHealthResults(before: number): Promise<number> {
    return this.health.prune(before);
  }

  async applyRetention(policy: RetentionPolicy, now: number): Promise<RetentionReport> {
    const detailed = now - policy.detailedMillis;
    return {
      minuteRollups: await this.removeOlderRollups('rollup_minute', detailed),
      hourRollups: await this.removeOlderRollups('rollup_hour', now - policy.aggregatedMillis),
      occurrences: await this.removeOlder('error_occurrences', 'id', 'ts', detailed),
      errorMinutes: await this.removeOlder('error_minutes', 'project, fingerprint, bucket', 'bucket', detailed),
      sessionMinutes: await this.removeOlder('session_minutes', 'project, bucket', 'bucket', detailed),
      sessionHours: await this.removeOlder('session_hours', 'project, bucket', 'bucket', now - policy.aggregatedMillis),
      batchIds: await this.removeOlder('batches', 'project, batch_id', 'received_at', now - policy.batchIdMillis),
    };
  }

  async sizeBytes(): Promise<number> {
    const pages = Number(this.db.pragma('page_count', { simple: true }));
    const pageSize = Number(this.db.pragma('page_size', { simple: true }));
    return pages * pageSize + fileSize(`${this.file}-wal`);
  }

  /**
   * Rollup tables have no index on `bucket` (it would cost about an eighth of their size): old
   * rows are removed series by series through the primary key `(series_id, bucket)`, where
   * they sit at the start of each series' range, yielding between groups of series.
   */
  private async removeOlderRollups(table: 'rollup_minute' | 'rollup_hour', cutoff: number): Promise<number> {
    const ids = this.stmt('SELECT id FROM series ORDER BY id').pluck().all() as number[];
    const remove = this.stmt(`DELETE FROM ${table} WHERE series_id = ? AND bucket < ?`);
    const removeGroup = this.db.transaction((group: number[]) =>
      group.reduce((n, id) => n + remove.run(id, cutoff).changes, 0),
    );
    let total = 0;
    for (let i = 0; i < ids.length; i += 500) {
      total += removeGroup(ids.slice(i, i + 500));
      await new Promise((resolve) => setImmediate(resolve));
    }
    return total;
  }

  /**
   * Deletes rows with `timeColumn < cutoff` in chunks of `RETENTION_CHUNK_ROWS`, each its own
   * transaction, yielding to the event loop between chunks: better-sqlite3 is synchronous, and one
   * big DELETE would stall every ingest request (and hold the write lock) for its whole duration.
   */
  private async removeOlder(table: string, keyColumns: string, timeColumn: string, cutoff: number): Promise<number> {
    const remove = this.stmt(
      `DELETE FROM ${table} WHERE (${keyColumns}) IN (SELECT ${keyColumns} FROM ${table} WHERE ${timeColumn} < ? LIMIT ?)`,
    );
    let total = 0;
    for (;;) {
      const removed = remove.run(cutoff, RETENTION_CHUNK_ROWS).changes;
      total += removed;
      if (removed < RETENTION_CHUNK_ROWS) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
