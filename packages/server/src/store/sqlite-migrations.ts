import { accessSchemaSql } from './access-schema.js';
import { alertSchemaSql } from './alert-schema.js';
import { incidentSchemaSql } from './incident-schema.js';
import type { Migration } from './migration.js';

/**
 * The SQLite schema as versioned steps, applied by `SqliteStore.migrate()`. Never edit a released
 * step: append a new one.
 *
 * Notes on shape: small, hot, keyed rows (batch ids, rollups, per-minute counts) are
 * `WITHOUT ROWID` so the primary key is the table; `journal.seq` is the rowid (no AUTOINCREMENT:
 * seqs only need to order the rows still present, and reusing a deleted seq is harmless).
 *
 * @example
 * const latest = SQLITE_MIGRATIONS.at(-1)?.version;
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE batches (
  project TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  answer TEXT NOT NULL,
  PRIMARY KEY (project, batch_id)
) WITHOUT ROWID;
CREATE INDEX batches_received_at ON batches (received_at);

CREATE TABLE journal (
  seq INTEGER PRIMARY KEY,
  project TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  payload TEXT NOT NULL,
  event_count INTEGER NOT NULL
);

CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  project TEXT NOT NULL,
  metric TEXT NOT NULL,
  phase TEXT NOT NULL,
  name TEXT NOT NULL,
  method TEXT NOT NULL,
  status_class TEXT NOT NULL,
  service TEXT NOT NULL,
  environment TEXT NOT NULL,
  UNIQUE (project, metric, phase, name, method, status_class, service, environment)
);

CREATE TABLE rollup_minute (
  series_id INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  count INTEGER NOT NULL,
  sum REAL NOT NULL,
  min REAL NOT NULL,
  max REAL NOT NULL,
  sketch BLOB,
  PRIMARY KEY (series_id, bucket)
) WITHOUT ROWID;

CREATE TABLE rollup_hour (
  series_id INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  count INTEGER NOT NULL,
  sum REAL NOT NULL,
  min REAL NOT NULL,
  max REAL NOT NULL,
  sketch BLOB,
  PRIMARY KEY (series_id, bucket)
) WITHOUT ROWID;

CREATE TABLE error_groups (
  project TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  kind TEXT NOT NULL,
  error_name TEXT NOT NULL,
  message TEXT NOT NULL,
  phase TEXT NOT NULL,
  service TEXT NOT NULL,
  environment TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  PRIMARY KEY (project, fingerprint)
);

CREATE TABLE error_minutes (
  project TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (project, fingerprint, bucket)
) WITHOUT ROWID;
CREATE INDEX error_minutes_project_bucket ON error_minutes (project, bucket);

CREATE TABLE error_occurrences (
  id INTEGER PRIMARY KEY,
  project TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  ts INTEGER NOT NULL,
  message TEXT NOT NULL,
  stack TEXT,
  context TEXT,
  session_id TEXT,
  user_hash TEXT,
  release TEXT
);
CREATE INDEX error_occurrences_group_ts ON error_occurrences (project, fingerprint, ts);

CREATE TABLE session_minutes (
  project TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  sessions BLOB NOT NULL,
  users BLOB NOT NULL,
  PRIMARY KEY (project, bucket)
) WITHOUT ROWID;

CREATE TABLE projects (
  name TEXT PRIMARY KEY,
  allowed_origins TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE ingest_keys (
  id TEXT PRIMARY KEY,
  project TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  environment TEXT,
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,
  role TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'health checks',
    sql: `
CREATE TABLE health_checks (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  interval_millis INTEGER NOT NULL,
  timeout_millis INTEGER NOT NULL,
  retries INTEGER NOT NULL,
  expect_status INTEGER,
  body_match TEXT,
  updated_at INTEGER NOT NULL
);

CREATE TABLE health_results (
  check_name TEXT NOT NULL,
  ts INTEGER NOT NULL,
  ok INTEGER NOT NULL,
  latency_millis DOUBLE PRECISION NOT NULL,
  status TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX health_results_check_ts ON health_results (check_name, ts);
CREATE INDEX health_results_ts ON health_results (ts);
`,
  },
  {
    version: 3,
    name: 'incidents',
    sql: incidentSchemaSql('INTEGER PRIMARY KEY', 'INTEGER', 'BLOB'),
  },
  {
    version: 4,
    name: 'access and compliance',
    sql: accessSchemaSql('sqlite'),
  },
  {
    version: 5,
    name: 'alerting',
    sql: alertSchemaSql('INTEGER PRIMARY KEY', 'INTEGER'),
  },
];
