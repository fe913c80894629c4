import type { AlertSummary, Notification } from './notification.js';

const iso = (ms: number | null): string => (ms === null ? '0001-01-01T00:00:00Z' : new Date(ms).toISOString());

function amAlert(a: AlertSummary, kind: Notification['kind']) {
  const annotations: Record<string, string> = {
    summary: a.title,
    value: String(a.value),
    threshold: String(a.threshold),
  };
  if (a.acknowledgedBy !== null) annotations.acknowledged_by = a.acknowledgedBy;
  return {
    status: kind === 'resolved' || a.status === 'resolved' ? 'resolved' : 'firing',
    labels: { alertname: a.ruleId, severity: a.severity, type: a.type, ...a.labels },
    annotations,
    startsAt: iso(a.firedAt),
    endsAt: iso(a.resolvedAt),
    generatorURL: '',
    fingerprint: a.id,
  };
}

/**
 * The Alertmanager webhook body (version 4), for receivers built for Prometheus: an
 * acknowledgement has no Alertmanager status, so it goes as `firing` with an `acknowledged_by`
 * annotation.
 *
 * @example
 * const body = alertmanagerPayload(notification, 'ops-hook');
 */
export function alertmanagerPayload(n: Notification, receiver: string): Record<string, unknown> {
  const alerts = n.alerts.map((a) => amAlert(a, n.kind));
  const first = alerts[0]?.labels ?? {};
  const common = Object.fromEntries(
    Object.entries(first).filter(([k, v]) => alerts.every((a) => (a.labels as Record<string, string>)[k] === v)),
  );
  return {
    version: '4',
    groupKey: n.id,
    truncatedAlerts: 0,
    status: alerts.every((a) => a.status === 'resolved') ? 'resolved' : 'firing',
    receiver,
    groupLabels: n.kind === 'digest' ? { digest: 'true' } : { alertname: n.alerts[0]?.ruleId ?? '' },
    commonLabels: common,
    commonAnnotations: {},
    externalURL: '',
    alerts,
  };
}
