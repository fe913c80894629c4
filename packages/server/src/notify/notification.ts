import type { AlertRecord } from '../store/alert-records.js';

/** The alert fields a notification carries. */
export interface AlertSummary {
  id: string;
  ruleId: string;
  title: string;
  type: string;
  severity: string;
  status: string;
  labels: Record<string, string>;
  value: number | null;
  threshold: number;
  firedAt: number | null;
  resolvedAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  incidentId: string | null;
}

/**
 * What a channel delivers, as stored in the outbox: self-contained, so a restart can send it.
 * `id` is the outbox dedupe key: receivers drop a repeat with the same id.
 *
 * @example
 * const n: Notification = { version: 1, id: 'a1:firing:0:0:hook', kind: 'firing', project: 'p', createdAt: 0, step: 0, alerts: [] };
 */
export interface Notification {
  version: 1;
  id: string;
  kind: 'firing' | 'acknowledged' | 'resolved' | 'digest' | 'report';
  project: string;
  createdAt: number;
  /** The escalation step (firing), -1 otherwise. */
  step: number;
  alerts: AlertSummary[];
  /** A scheduled report (`kind: 'report'`, email channels only): its mail and attached file. */
  report?: ReportMail;
}

/** A scheduled report as mailed: subject, text, recipients (empty: the channel's) and the file. */
export interface ReportMail {
  subject: string;
  text: string;
  recipients: string[];
  fileName: string;
  contentType: string;
  /** The file, base64: the outbox row is self-contained, so a restart can still send it. */
  contentBase64: string;
}

/**
 * The alert fields a notification carries (nothing internal such as escalation bookkeeping).
 *
 * @example
 * const s = summarize(alert);
 */
export function summarize(a: AlertRecord): AlertSummary {
  return {
    id: a.id,
    ruleId: a.ruleId,
    title: a.title,
    type: a.type,
    severity: a.severity,
    status: a.status,
    labels: a.labels,
    value: a.value,
    threshold: a.threshold,
    firedAt: a.firedAt,
    resolvedAt: a.resolvedAt,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedBy: a.acknowledgedBy,
    incidentId: a.incidentId,
  };
}

/** A channel's answer: delivered, or not and whether trying again can help. */
export type SendResult = { ok: true } | { ok: false; retryable: boolean; error: string; retryAfterMillis?: number };

/**
 * One notification channel adapter. Its config was validated when saved; `send` never throws
 * and never puts a secret in `error`.
 *
 * @example
 * const result = await channel.send(notification, { timeoutMillis: 10_000 });
 * if (!result.ok && result.retryable) scheduleRetry();
 */
export interface NotificationChannel {
  readonly name: string;
  readonly type: string;
  send(notification: Notification, options: { timeoutMillis: number }): Promise<SendResult>;
}

/**
 * A one-line subject for a notification.
 *
 * @example
 * subjectOf(n); // '[FIRING high] CPU usage above 80 %'
 */
export function subjectOf(n: Notification): string {
  if (n.kind === 'digest') return `[DIGEST] ${n.alerts.length} low-severity alert${n.alerts.length === 1 ? '' : 's'}`;
  const a = n.alerts[0];
  return `[${n.kind.toUpperCase()} ${a?.severity ?? ''}] ${a?.title ?? ''}`;
}
