import { accessSchemaSql } from './access-schema.js';
import { alertSchemaSql } from './alert-schema.js';
import { incidentSchemaSql } from './incident-schema.js';
import type { Migration } from './migration.js';

/**
 * The PostgreSQL schema as versioned steps, applied by `PostgresStore.migrate()`. Never edit a released
 * step: append a new one.
 *
 * Notes on shape: every timestamp and bucket is epoch ms in BIGINT (the adapter maps int8 to
 * numbers per row); `journal.seq` is a BIGSERIAL, so concurrent writers may commit seqs out of
 * order, which is why the pipeline deletes by explicit seq.
 *
 * @example
 * const latest = POSTGRES_MIGRATIONS.at(-1)?.version;
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE batches (
  project TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  answer TEXT NOT NULL,
  PRIMARY KEY (project, batch_id)
);
CREATE INDEX batches_received_at ON batches (received_at);

CREATE TABLE journal (
  seq BIGSERIAL PRIMARY KEY,
  project TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  payload TEXT NOT NULL,
  event_count BIGINT NOT NULL
);
-- lz4 compresses the ~25 KB JSON payloads several times faster than the default pglz (the
-- journal is the hot ingest path); servers built without lz4, or older than 14, keep pglz.
DO $$
BEGIN
  EXECUTE 'ALTER TABLE journal ALTER COLUMN payload SET COMPRESSION lz4';
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
  NULL;
END
$$;

CREATE TABLE series (
  id BIGSERIAL PRIMARY KEY,
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
  series_id BIGINT NOT NULL,
  bucket BIGINT NOT NULL,
  count BIGINT NOT NULL,
  sum DOUBLE PRECISION NOT NULL,
  min DOUBLE PRECISION NOT NULL,
  max DOUBLE PRECISION NOT NULL,
  sketch BYTEA,
  PRIMARY KEY (series_id, bucket)
);
CREATE INDEX rollup_minute_bucket ON rollup_minute (bucket);

CREATE TABLE rollup_hour (
  series_id BIGINT NOT NULL,
  bucket BIGINT NOT NULL,
  count BIGINT NOT NULL,
  sum DOUBLE PRECISION NOT NULL,
  min DOUBLE PRECISION NOT NULL,
  max DOUBLE PRECISION NOT NULL,
  sketch BYTEA,
  PRIMARY KEY (series_id, bucket)
);
CREATE INDEX rollup_hour_bucket ON rollup_hour (bucket);

CREATE TABLE error_groups (
  project TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  kind TEXT NOT NULL,
  error_name TEXT NOT NULL,
  message TEXT NOT NULL,
  phase TEXT NOT NULL,
  service TEXT NOT NULL,
  environment TEXT NOT NULL,
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  PRIMARY KEY (project, fingerprint)
);

CREATE TABLE error_minutes (
  project TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  bucket BIGINT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (project, fingerprint, bucket)
);
CREATE INDEX error_minutes_project_bucket ON error_minutes (project, bucket);

CREATE TABLE error_occurrences (
  id BIGSERIAL PRIMARY KEY,
  project TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  ts BIGINT NOT NULL,
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
  bucket BIGINT NOT NULL,
  sessions BYTEA NOT NULL,
  users BYTEA NOT NULL,
  PRIMARY KEY (project, bucket)
);

CREATE TABLE projects (
  name TEXT PRIMARY KEY,
  allowed_origins TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE ingest_keys (
  id TEXT PRIMARY KEY,
  project TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  environment TEXT,
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,
  role TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
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
  interval_millis BIGINT NOT NULL,
  timeout_millis BIGINT NOT NULL,
  retries BIGINT NOT NULL,
  expect_status BIGINT,
  body_match TEXT,
  updated_at BIGINT NOT NULL
);

CREATE TABLE health_results (
  check_name TEXT NOT NULL,
  ts BIGINT NOT NULL,
  ok BOOLEAN NOT NULL,
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
    sql: incidentSchemaSql('BIGSERIAL PRIMARY KEY', 'BIGINT', 'BYTEA'),
  },
  {
    version: 4,
    name: 'access and compliance',
    sql: accessSchemaSql('postgres'),
  },
  {
    version: 5,
    name: 'alerting',
    sql: alertSchemaSql('BIGSERIAL PRIMARY KEY', 'BIGINT'),
  },
];
