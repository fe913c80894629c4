import type { Alert, AlertStatus, Severity } from '@vigil/schema';
import type { StoreRow } from './store-row.js';

/** The spec's alert categories. */
export type AlertSeverity = Severity;
// The status and the public fields are the API's, declared once in @vigil/schema.
export type { AlertStatus };

/**
 * One alert: an instance of a rule for one set of labels (`fingerprint`), from the first breach
 * (`pendingSince`) until it resolves. At most one alert per fingerprint is unresolved.
 *
 * @example
 * const open = alert.resolvedAt === null;
 */
export interface AlertRecord extends Alert {
  project: string;
  /** `ruleId` plus its labels: the identity of "the same alert". */
  fingerprint: string;
  /** Escalation steps already notified. */
  escalationStep: number;
  /** Destinations (channel names) that were told it fired: they get the acknowledged and resolved notices. */
  notified: string[];
  /** Reopened by hand: the evaluator no longer resolves it; a person does. */
  held: boolean;
  /** When a low alert went out in an hourly digest. */
  digestedAt: number | null;
}

/** One entry of an alert's history. */
export interface AlertEventRecord {
  alertId: string;
  ts: number;
  /** `pending`, `firing`, `resolved`, `acknowledged`, `dismissed`, `note`, `reopened`, `incident`, `notified`, `delivery_failed`… */
  type: string;
  /** `system`, `rule`, or the person (`user:ada`, `token:…`). */
  actor: string;
  message: string;
  data: Record<string, unknown> | null;
}

/** A notification waiting to be delivered (or delivered, or given up). */
export interface OutboxRecord {
  id: number;
  /** Stable per notification: a retry or a replay inserts nothing new. */
  dedupeKey: string;
  /** Channel name. */
  destination: string;
  alertId: string | null;
  /** `firing`, `acknowledged`, `resolved`, `digest`. */
  kind: string;
  payload: Record<string, unknown>;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

/** What `saveAlerts` inserts into the outbox. */
export type NewOutboxEntry = Pick<
  OutboxRecord,
  'dedupeKey' | 'destination' | 'alertId' | 'kind' | 'payload' | 'createdAt'
>;

/** An alert's new state with the history and notifications it causes, written in one transaction. */
export interface AlertChange {
  alert: AlertRecord;
  events: AlertEventRecord[];
  outbox: NewOutboxEntry[];
}

/** Filters of `listAlerts`; alerts whose life overlaps `[from, to)`. */
export interface AlertQuery {
  project: string;
  from: number;
  to: number;
  status?: AlertStatus;
  severity?: AlertSeverity;
  type?: string;
  ruleId?: string;
  limit: number;
}

/** An outbox row's outcome after one attempt. */
export interface OutboxUpdate {
  status: OutboxRecord['status'];
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  sentAt: number | null;
}

/** A stored JSON document (rule, channel) by its id. */
export interface StoredDoc {
  id: string;
  doc: Record<string, unknown>;
}

/**
 * Alert rules, channels, alerts with their history, and the notification outbox. Both adapters
 * expose it as `store.alerts`.
 *
 * @example
 * await store.alerts.saveAlerts([{ alert, events: [], outbox: [] }]);
 */
export interface AlertStore {
  listDocs(kind: 'rule' | 'channel'): Promise<StoredDoc[]>;
  putDoc(kind: 'rule' | 'channel', doc: StoredDoc, at: number): Promise<void>;
  /** False when nothing had this id. */
  deleteDoc(kind: 'rule' | 'channel', id: string): Promise<boolean>;
  getSetting(name: string): Promise<string | null>;
  putSetting(name: string, value: string): Promise<void>;
  /** Upserts the alerts and appends their events and outbox rows (existing dedupe keys are skipped), atomically. */
  saveAlerts(changes: AlertChange[]): Promise<void>;
  getAlert(id: string): Promise<AlertRecord | null>;
  /** Alerts not yet resolved (pending, firing, or dismissed while still breaching), oldest first. */
  listActiveAlerts(project: string): Promise<AlertRecord[]>;
  /** Newest first. */
  listAlerts(query: AlertQuery): Promise<AlertRecord[]>;
  /** Low alerts that fired before `before` and were never in a digest, oldest first. */
  listUndigested(project: string, before: number): Promise<AlertRecord[]>;
  listAlertEvents(alertId: string): Promise<AlertEventRecord[]>;
  appendAlertEvents(events: AlertEventRecord[]): Promise<void>;
  /** Pending rows due at `now`, oldest first. */
  dueOutbox(now: number, limit: number): Promise<OutboxRecord[]>;
  updateOutbox(id: number, update: OutboxUpdate): Promise<void>;
  listOutbox(query: { status?: OutboxRecord['status']; limit: number }): Promise<OutboxRecord[]>;
  /** Queues notifications that belong to no alert (scheduled reports); existing dedupe keys are skipped. */
  enqueueOutbox(entries: NewOutboxEntry[]): Promise<void>;
}

const json = <T>(v: unknown, fallback: T): T =>
  v === null || v === undefined ? fallback : (JSON.parse(String(v)) as T);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Maps an `alerts` row (either driver) to a record.
 *
 * @example
 * const alert = toAlert(row);
 */
export function toAlert(r: StoreRow): AlertRecord {
  return {
    id: String(r.id),
    project: String(r.project),
    ruleId: String(r.rule_id),
    fingerprint: String(r.fingerprint),
    title: String(r.title),
    type: String(r.type),
    severity: String(r.severity) as AlertSeverity,
    status: String(r.status) as AlertStatus,
    labels: json(r.labels, {}),
    value: num(r.value),
    threshold: Number(r.threshold),
    pendingSince: Number(r.pending_since),
    firedAt: num(r.fired_at),
    resolvedAt: num(r.resolved_at),
    acknowledgedAt: num(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by === null ? null : String(r.acknowledged_by),
    dismissedAt: num(r.dismissed_at),
    incidentId: r.incident_id === null ? null : String(r.incident_id),
    escalationStep: Number(r.escalation_step),
    notified: json(r.notified, []),
    held: Number(r.held) === 1,
    digestedAt: num(r.digested_at),
    updatedAt: Number(r.updated_at),
  };
}

/**
 * The column values of an alert, in `ALERT_COLUMNS` order.
 *
 * @example
 * const values = alertValues(alert);
 */
export function alertValues(a: AlertRecord): unknown[] {
  return [
    a.id,
    a.project,
    a.ruleId,
    a.fingerprint,
    a.title,
    a.type,
    a.severity,
    a.status,
    JSON.stringify(a.labels),
    a.value,
    a.threshold,
    a.pendingSince,
    a.firedAt,
    a.resolvedAt,
    a.acknowledgedAt,
    a.acknowledgedBy,
    a.dismissedAt,
    a.incidentId,
    a.escalationStep,
    JSON.stringify(a.notified),
    a.held ? 1 : 0,
    a.digestedAt,
    a.updatedAt,
  ];
}

/** Columns of the `alerts` table in `alertValues` order. */
export const ALERT_COLUMNS = [
  'id',
  'project',
  'rule_id',
  'fingerprint',
  'title',
  'type',
  'severity',
  'status',
  'labels',
  'value',
  'threshold',
  'pending_since',
  'fired_at',
  'resolved_at',
  'acknowledged_at',
  'acknowledged_by',
  'dismissed_at',
  'incident_id',
  'escalation_step',
  'notified',
  'held',
  'digested_at',
  'updated_at',
] as const;

/**
 * Maps an `alert_events` row to a record.
 *
 * @example
 * const events = rows.map(toAlertEvent);
 */
export function toAlertEvent(r: StoreRow): AlertEventRecord {
  return {
    alertId: String(r.alert_id),
    ts: Number(r.ts),
    type: String(r.type),
    actor: String(r.actor),
    message: String(r.message),
    data: r.data === null ? null : json(r.data, {}),
  };
}

/**
 * Maps an `alert_outbox` row to a record.
 *
 * @example
 * const rows = result.map(toOutbox);
 */
export function toOutbox(r: StoreRow): OutboxRecord {
  return {
    id: Number(r.id),
    dedupeKey: String(r.dedupe_key),
    destination: String(r.destination),
    alertId: r.alert_id === null ? null : String(r.alert_id),
    kind: String(r.kind),
    payload: json(r.payload, {}),
    status: String(r.status) as OutboxRecord['status'],
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    lastError: r.last_error === null ? null : String(r.last_error),
    createdAt: Number(r.created_at),
    sentAt: num(r.sent_at),
  };
}
