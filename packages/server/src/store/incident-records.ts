import type { StoreRow } from './store-row.js';

/** Incident severities: the spec's alert categories. */
export type IncidentSeverity = 'critical' | 'high' | 'medium' | 'low';
/** Where an incident is in its life. */
export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';
/** Who opened it: the detector job, an alert rule, or a person. */
export type IncidentSource = 'detector' | 'alert' | 'manual';

/**
 * A stored incident. `signal` names what opened it (e.g. `error_rate`, `latency:api`,
 * `service_down:db`); at most one unresolved incident per project and signal exists, which is
 * how the detector avoids duplicates while a signal stays bad.
 *
 * @example
 * const open = incident.status !== 'resolved';
 */
export interface IncidentRecord {
  id: string;
  project: string;
  title: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  source: IncidentSource;
  signal: string;
  openedAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  /** The numbers that opened the incident. */
  evidence: Record<string, unknown>;
}

/** One entry of an incident's timeline. */
export interface IncidentEventRecord {
  incidentId: string;
  ts: number;
  type: 'opened' | 'acknowledged' | 'resolved' | 'evidence' | 'note';
  message: string;
  data: Record<string, unknown> | null;
}

/** What `createIncident` needs: the incident as opened. */
export type NewIncident = Omit<IncidentRecord, 'status' | 'acknowledgedAt' | 'resolvedAt'>;

/** Filters of `listIncidents`: incidents whose life `[openedAt, resolvedAt]` overlaps `[from, to)`. */
export interface IncidentQuery {
  project: string;
  from: number;
  to: number;
  status?: IncidentStatus;
  source?: IncidentSource;
  limit: number;
}

/** A status change: who/what changed it and when, recorded on the timeline too. */
export interface IncidentTransition {
  id: string;
  status: 'acknowledged' | 'resolved';
  at: number;
  message: string;
  data?: Record<string, unknown>;
}

const parseJson = (value: unknown): Record<string, unknown> =>
  value === null || value === undefined ? {} : (JSON.parse(String(value)) as Record<string, unknown>);

/**
 * Maps an `incidents` row (either driver) to a record.
 *
 * @example
 * const incident = toIncident(row);
 */
export function toIncident(row: StoreRow): IncidentRecord {
  return {
    id: String(row.id),
    project: String(row.project),
    title: String(row.title),
    severity: String(row.severity) as IncidentSeverity,
    status: String(row.status) as IncidentStatus,
    source: String(row.source) as IncidentSource,
    signal: String(row.signal),
    openedAt: Number(row.opened_at),
    acknowledgedAt: row.acknowledged_at === null ? null : Number(row.acknowledged_at),
    resolvedAt: row.resolved_at === null ? null : Number(row.resolved_at),
    evidence: parseJson(row.evidence),
  };
}

/**
 * Maps an `incident_events` row (either driver) to a record.
 *
 * @example
 * const events = rows.map(toIncidentEvent);
 */
export function toIncidentEvent(row: StoreRow): IncidentEventRecord {
  return {
    incidentId: String(row.incident_id),
    ts: Number(row.ts),
    type: String(row.type) as IncidentEventRecord['type'],
    message: String(row.message),
    data: row.data === null ? null : parseJson(row.data),
  };
}
