/**
 * Migration 3 for both adapters: the incident tables and the hourly session sketches. The SQL is
 * portable (TEXT, BIGINT-compatible integers, a partial unique index); only the id, integer and
 * blob column types differ.
 *
 * @example
 * const sql = incidentSchemaSql('BIGSERIAL PRIMARY KEY', 'BIGINT', 'BYTEA');
 */
export function incidentSchemaSql(eventIdColumn: string, integer: string, blob: string): string {
  return `
-- Session and user sketches merged per hour (written with session_minutes), so a month's
-- distinct count reads 720 rows instead of 43,200.
CREATE TABLE session_hours (
  project TEXT NOT NULL,
  bucket ${integer} NOT NULL,
  sessions ${blob} NOT NULL,
  users ${blob} NOT NULL,
  PRIMARY KEY (project, bucket)
);

CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  project TEXT NOT NULL,
  title TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
  status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  source TEXT NOT NULL CHECK (source IN ('detector', 'alert', 'manual')),
  signal TEXT NOT NULL,
  opened_at ${integer} NOT NULL,
  acknowledged_at ${integer},
  resolved_at ${integer},
  evidence TEXT NOT NULL
);
CREATE INDEX incidents_project_opened ON incidents (project, opened_at);
-- At most one unresolved incident per signal: the detector cannot open duplicates, even racing.
CREATE UNIQUE INDEX incidents_one_unresolved ON incidents (project, signal) WHERE status <> 'resolved';

CREATE TABLE incident_events (
  id ${eventIdColumn},
  incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  ts ${integer} NOT NULL,
  type TEXT NOT NULL,
  message TEXT NOT NULL,
  data TEXT
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, ts);
`;
}
