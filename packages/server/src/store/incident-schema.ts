/**
 * The incident tables (migration 3), shared by both adapters: the SQL is portable (TEXT,
 * BIGINT-compatible INTEGER columns, partial unique index), only the event id column differs.
 *
 * @example
 * const sql = incidentSchemaSql('BIGSERIAL PRIMARY KEY', 'BIGINT');
 */
export function incidentSchemaSql(eventIdColumn: string, integer: string): string {
  return `
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
