import type { ErrorGroupTotals, IngestAnswer } from '@vigil/schema';
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
import type { ExportPageQuery, ExportRecord } from './sql-exports.js';

/**
 * The dimensions of one rollup series. Every stored event counts exactly once in exactly one
 * series, so `SUM(count)` over all series equals the number of events stored.
 *
 * - `metric`: the event type (`api`, `timing`, `action`, `error`, `vital`, `gauge`, `rating`, `session`).
 * - `phase`: `auth`, `content`, `pwa`… (`api` for api events, the error kind's phase for errors, '' when none).
 * - `name`: templated route, timing/action name, vital name, gauge name, error kind, session action.
 * - `statusClass`: `2xx`…`5xx` or `net` for api events, '' otherwise.
 * - `method`: HTTP method for api events, '' otherwise.
 */
export interface SeriesKey {
  metric: string;
  phase: string;
  name: string;
  method: string;
  statusClass: string;
  service: string;
  environment: string;
}

/** One series over one minute (or one hour in the hourly table). Values are in the event's unit. */
export interface RollupRecord {
  project: string;
  /** Start of the bucket, epoch ms (a multiple of 60,000 or 3,600,000). */
  bucket: number;
  key: SeriesKey;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Encoded DDSketch of the values, or null for series without a value distribution (actions). */
  sketch: Uint8Array | null;
}

/** A sampled error occurrence kept for the error detail view. */
export interface OccurrenceRecord {
  ts: number;
  message: string;
  stack: string | null;
  /** JSON of the scrubbed context attributes. */
  context: string | null;
  sessionId: string | null;
  /** Keyed hash of the user id, never the id itself. */
  userHash: string | null;
  release: string | null;
}

/** What one pipeline flush learned about one error group. */
export interface ErrorGroupDelta extends Omit<ErrorGroupTotals, 'count'> {
  project: string;
  /** Occurrences per minute bucket (epoch ms). */
  perMinute: Map<number, number>;
  /** New sample occurrences; the store keeps at most `maxSamplesPerGroup` of them per group. */
  samples: OccurrenceRecord[];
}

/** A stored error group with its totals over a queried range (the API's shape, from @vigil/schema). */
export type ErrorGroupRecord = ErrorGroupTotals;

/** Distinct sessions and users seen in one minute, as HyperLogLog sketches (mergeable). */
export interface SessionMinuteRecord {
  project: string;
  bucket: number;
  sessions: Uint8Array;
  users: Uint8Array;
}

/** A batch made durable by the collector, scrubbed and pseudonymised already. */
export interface JournalEntry {
  project: string;
  batchId: string;
  receivedAt: number;
  /** The answer given to the client, replayed verbatim for a duplicate batchId. */
  answer: IngestAnswer;
  /** JSON text of `{ source, events }` (valid events only). */
  payload: string;
  /** Number of valid events in the payload. */
  eventCount: number;
}

/** Outcome of appending one journal entry. */
export type AppendOutcome = { duplicate: false } | { duplicate: true; answer: IngestAnswer };

/** A journal row read back by the pipeline. */
export interface JournalRow {
  seq: number;
  project: string;
  receivedAt: number;
  payload: string;
}

/**
 * One atomic pipeline step: merge these aggregates and delete the journal rows they came from.
 * Deleting by explicit `seq` (not "everything up to a cursor") stays exact on PostgreSQL, where
 * concurrent writers may commit sequence numbers out of order.
 */
export interface PipelineCommit {
  /** The journal rows consumed by this step. */
  seqs: number[];
  rollups: RollupRecord[];
  errors: ErrorGroupDelta[];
  sessions: SessionMinuteRecord[];
}

/** A project: the unit that owns ingest keys and data. */
export interface ProjectRecord {
  name: string;
  allowedOrigins: string[];
  createdAt: number;
}

/** An ingest key; only its SHA-256 is stored. */
export interface IngestKeyRecord {
  id: string;
  project: string;
  keyHash: string;
  /** When set, the key only accepts batches for this environment. */
  environment: string | null;
  label: string;
  createdAt: number;
  revokedAt: number | null;
}

/** An API token for read routes; only its SHA-256 is stored. */
export interface TokenRecord {
  id: string;
  tokenHash: string;
  label: string;
  role: 'admin';
  createdAt: number;
  revokedAt: number | null;
}

/** Query for rollups of one metric over a range; empty optional fields match everything. */
export interface RollupQuery {
  project: string;
  metric: string;
  phase?: string;
  name?: string;
  method?: string;
  statusClass?: string;
  service?: string;
  environment?: string;
  from: number;
  to: number;
  resolution: 'minute' | 'hour';
}

/** Retention settings in milliseconds. */
export interface RetentionPolicy {
  /** Minute rollups, error occurrences and per-minute error counts older than this are deleted. */
  detailedMillis: number;
  /** Hour rollups older than this are deleted. */
  aggregatedMillis: number;
  /** Batch ids (for replay detection) older than this are forgotten. */
  batchIdMillis: number;
}

/** What a retention run removed. */
export interface RetentionReport {
  minuteRollups: number;
  hourRollups: number;
  occurrences: number;
  errorMinutes: number;
  sessionMinutes: number;
  /** Hourly session sketches, kept as long as hour rollups. */
  sessionHours: number;
  batchIds: number;
}

/** A configured service health check, as validated by `health/health-check-config.ts`. */
export interface HealthCheckRecord {
  /** Also the `service` of its `service.up` / `service.latency_ms` gauges. */
  name: string;
  kind: 'postgres' | 'redis' | 'http' | 'tcp';
  /** `postgres://…`, `redis://…`, `http(s)://…` or `host:port` (tcp). */
  target: string;
  intervalMillis: number;
  timeoutMillis: number;
  /** Consecutive failures before the check is "down" (fewer make it "degraded"). */
  retries: number;
  /** HTTP only: the status expected (null: any 2xx or 3xx). */
  expectStatus: number | null;
  /** HTTP only: a substring, or `/regex/flags`, the body must contain (null: no body check). */
  bodyMatch: string | null;
}

/** One run of a health check. */
export interface HealthResultRecord {
  check: string;
  ts: number;
  ok: boolean;
  latencyMillis: number;
  /** The check's status right after this result. */
  status: 'up' | 'degraded' | 'down';
  detail: string | null;
}

/** Totals of one check's results over a range (uptime % = ok / total). */
export interface HealthResultSummary {
  check: string;
  total: number;
  ok: number;
  avgLatencyMillis: number;
  maxLatencyMillis: number;
  firstTs: number;
  lastTs: number;
}

/** Occurrences of one error group in one minute. */
export interface ErrorMinuteRecord {
  fingerprint: string;
  bucket: number;
  count: number;
}

/**
 * The storage contract. SQLite (embedded default) and PostgreSQL implement it; one conformance
 * suite (`test/store-conformance.test.ts`) runs against both. No code outside an adapter asks
 * which adapter it has: differences are capability getters.
 *
 * @example
 * const store = await createStore(config);
 * await store.migrate();
 * await store.appendBatches([entry]);
 */
export interface Store {
  /** Adapter name, for logs and `/readyz` only. */
  readonly name: 'sqlite' | 'postgres';
  /** True when several server processes may write to this store at once. */
  readonly supportsConcurrentWriters: boolean;
  /** Users, sessions, API tokens, the audit log and erasure (`access-store.ts`). */
  readonly access: AccessStore;
  /** Alert rules, channels, alerts with their history and the notification outbox (`alert-records.ts`). */
  readonly alerts: AlertStore;

  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Resolves when the store answers a trivial query. */
  ping(): Promise<void>;
  /**
   * Takes (or confirms holding) the cluster-wide duty `name`, e.g. `alerting`: true means this
   * process is its one holder. A store without concurrent writers has a single node, which
   * always leads; PostgreSQL holds a session advisory lock on a dedicated connection and
   * re-acquires it at the next call after the connection was lost.
   */
  tryAcquireLeadership(name: string): Promise<boolean>;
  /** Gives the duty up (shutdown) so another node takes it at its next try. */
  releaseLeadership(name: string): Promise<void>;

  // Settings (e.g. the pseudonymisation secret), stored as text.
  getSetting(name: string): Promise<string | null>;
  /** Sets the value only when none is stored yet; returns the stored value. */
  initSetting(name: string, value: string): Promise<string>;

  // Projects and credentials.
  upsertProject(project: { name: string; allowedOrigins: string[] }): Promise<ProjectRecord>;
  listProjects(): Promise<ProjectRecord[]>;
  createIngestKey(key: Omit<IngestKeyRecord, 'createdAt' | 'revokedAt'>): Promise<IngestKeyRecord>;
  /** Active (not revoked) keys. */
  listIngestKeys(): Promise<IngestKeyRecord[]>;
  createToken(token: Omit<TokenRecord, 'createdAt' | 'revokedAt'>): Promise<TokenRecord>;
  /** An active token by hash, or null. */
  findToken(tokenHash: string): Promise<TokenRecord | null>;
  countTokens(): Promise<number>;

  // Journal: the durable log of acknowledged batches.
  /**
   * Appends batches in one transaction (group commit). A batch whose `(project, batchId)` was
   * stored before is not stored again; its original answer comes back instead. Resolves only
   * after the transaction is committed with the store's configured durability.
   */
  appendBatches(entries: JournalEntry[]): Promise<AppendOutcome[]>;
  /** The oldest journal rows still waiting for the pipeline, in `seq` order. */
  readJournal(limit: number): Promise<JournalRow[]>;
  /** Rows waiting for the pipeline, and the oldest one's receive time. */
  journalBacklog(): Promise<{ rows: number; oldestReceivedAt: number | null }>;
  /**
   * Merges rollups (into both the minute and the hour tables), error groups and session
   * sketches, and deletes the consumed journal rows — all in one transaction, so a crash at any
   * point neither loses nor double-counts an event. Only one pipeline runs per store.
   */
  commitPipeline(commit: PipelineCommit): Promise<void>;

  // Reads.
  queryRollups(query: RollupQuery): Promise<RollupRecord[]>;
  /** Error groups with occurrences in `[from, to)`, most frequent first. */
  listErrorGroups(query: { project: string; from: number; to: number; limit: number }): Promise<ErrorGroupRecord[]>;
  /** Stored samples of one group, newest first. */
  listOccurrences(query: { project: string; fingerprint: string; limit: number }): Promise<OccurrenceRecord[]>;
  /** Session sketches per minute, or per hour (`resolution: 'hour'`; buckets are then hours). */
  querySessions(query: {
    project: string;
    from: number;
    to: number;
    resolution?: 'minute' | 'hour';
  }): Promise<SessionMinuteRecord[]>;
  /** `SUM(count)` over the project's minute rollups in `[from, to)`: the events stored. */
  countEvents(query: { project: string; from: number; to: number }): Promise<number>;

  // Service health checks (definitions and results).
  listHealthChecks(): Promise<HealthCheckRecord[]>;
  /** Inserts or replaces the check with this name. */
  putHealthCheck(check: HealthCheckRecord): Promise<void>;
  /** False when no check had this name. */
  deleteHealthCheck(name: string): Promise<boolean>;
  appendHealthResults(results: HealthResultRecord[]): Promise<void>;
  /** Results of one check in `[from, to)`, oldest first, at most `limit` (the newest ones). */
  listHealthResults(query: { check: string; from: number; to: number; limit: number }): Promise<HealthResultRecord[]>;
  /** Per-check totals over `[from, to)`, by check name. */
  summarizeHealthResults(query: { from: number; to: number }): Promise<HealthResultSummary[]>;
  /** Deletes results older than `before`; returns how many. */
  pruneHealthResults(before: number): Promise<number>;

  // Error minutes and incidents (analytics).
  /** Per-minute occurrence counts of every error group in `[from, to)`, by bucket then fingerprint. */
  queryErrorMinutes(query: { project: string; from: number; to: number }): Promise<ErrorMinuteRecord[]>;
  /**
   * Opens an incident and writes its `opened` timeline entry. Null (nothing written) when its
   * project and signal already have an unresolved incident.
   */
  createIncident(incident: NewIncident, message: string): Promise<IncidentRecord | null>;
  /** Acknowledges (only from open) or resolves (from open or acknowledged), with a timeline entry; null when not allowed. */
  transitionIncident(transition: IncidentTransition): Promise<IncidentRecord | null>;
  addIncidentEvent(event: IncidentEventRecord): Promise<void>;
  getIncident(id: string): Promise<IncidentRecord | null>;
  /** The timeline of one incident, oldest first. */
  listIncidentEvents(id: string): Promise<IncidentEventRecord[]>;
  /** Incidents whose life overlaps `[from, to)`, newest first. */
  listIncidents(query: IncidentQuery): Promise<IncidentRecord[]>;
  /** Unresolved incidents of one project opened by `source`, oldest first. */
  listUnresolvedIncidents(project: string, source: IncidentSource): Promise<IncidentRecord[]>;
  /** One keyset page of alerts, incidents or audit records for the streamed exports (`sql-exports.ts`). */
  exportPage(query: ExportPageQuery): Promise<ExportRecord[]>;

  // Maintenance.
  applyRetention(policy: RetentionPolicy, now: number): Promise<RetentionReport>;
  /** Bytes the store occupies on disk (database files or relation sizes). */
  sizeBytes(): Promise<number>;
}
