/**
 * The alerting tables (migration 5), shared by both adapters: portable SQL, only the serial id
 * column and the integer type differ.
 *
 * @example
 * const sql = alertSchemaSql('BIGSERIAL PRIMARY KEY', 'BIGINT');
 */
export function alertSchemaSql(idColumn: string, integer: string): string {
  return `
CREATE TABLE alert_docs (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  doc TEXT NOT NULL,
  updated_at ${integer} NOT NULL,
  PRIMARY KEY (kind, id)
);

CREATE TABLE alert_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  project TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  title TEXT NOT NULL,
  type TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'firing', 'resolved', 'dismissed')),
  labels TEXT NOT NULL,
  value DOUBLE PRECISION,
  threshold DOUBLE PRECISION NOT NULL,
  pending_since ${integer} NOT NULL,
  fired_at ${integer},
  resolved_at ${integer},
  acknowledged_at ${integer},
  acknowledged_by TEXT,
  dismissed_at ${integer},
  incident_id TEXT,
  escalation_step INTEGER NOT NULL,
  notified TEXT NOT NULL,
  held INTEGER NOT NULL,
  digested_at ${integer},
  updated_at ${integer} NOT NULL
);
CREATE INDEX alerts_project_pending ON alerts (project, pending_since);
-- One unresolved alert per rule and label set, even with two evaluators racing.
CREATE UNIQUE INDEX alerts_one_unresolved ON alerts (fingerprint) WHERE resolved_at IS NULL;

CREATE TABLE alert_events (
  id ${idColumn},
  alert_id TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  ts ${integer} NOT NULL,
  type TEXT NOT NULL,
  actor TEXT NOT NULL,
  message TEXT NOT NULL,
  data TEXT
);
CREATE INDEX alert_events_alert ON alert_events (alert_id, ts);

CREATE TABLE alert_outbox (
  id ${idColumn},
  dedupe_key TEXT NOT NULL UNIQUE,
  destination TEXT NOT NULL,
  alert_id TEXT,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL,
  next_attempt_at ${integer} NOT NULL,
  last_error TEXT,
  created_at ${integer} NOT NULL,
  sent_at ${integer}
);
CREATE INDEX alert_outbox_due ON alert_outbox (status, next_attempt_at);
`;
}
