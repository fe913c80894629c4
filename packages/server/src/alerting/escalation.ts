import type { AlertRecord, AlertSeverity } from '../store/alert-records.js';

/** One rung of a severity's ladder: once the alert has fired this long unacknowledged, notify these. */
export interface EscalationStep {
  afterMillis: number;
  /** Role names, person names, or `channel:<name>`. */
  notify: string[];
}

/** What happens to alerts of one severity. */
export interface SeverityPolicy {
  steps: EscalationStep[];
  /** When set, alerts of this severity are not sent one by one but in a digest this often. */
  digest?: { intervalMillis: number; notify: string[] };
}

/** A person: the roles they hold (`on-call`, `team-lead`, `team`…) and the channels that reach them. */
export interface Contact {
  name: string;
  roles: string[];
  /** Channel names. */
  channels: string[];
}

/** The escalation configuration: the matrix by severity, the people, and the correlation window. */
export interface EscalationConfig {
  matrix: Record<AlertSeverity, SeverityPolicy>;
  contacts: Contact[];
  /** Alerts on related signals firing within this span join one incident. */
  correlationWindowMillis: number;
}

/**
 * The spec's escalation matrix: critical → at once to the on-call engineer (and the team lead if
 * still unacknowledged after 15 min); high → after 5 min unacknowledged, the team lead; medium →
 * after 15 min, the team; low → an hourly digest to the team, otherwise dashboard only.
 *
 * @example
 * defaultEscalation().matrix.high.steps[0]; // { afterMillis: 300_000, notify: ['team-lead'] }
 */
export function defaultEscalation(): EscalationConfig {
  return {
    matrix: {
      critical: {
        steps: [
          { afterMillis: 0, notify: ['on-call'] },
          { afterMillis: 900_000, notify: ['team-lead'] },
        ],
      },
      high: { steps: [{ afterMillis: 300_000, notify: ['team-lead'] }] },
      medium: { steps: [{ afterMillis: 900_000, notify: ['team'] }] },
      low: { steps: [], digest: { intervalMillis: 3_600_000, notify: ['team'] } },
    },
    contacts: [],
    correlationWindowMillis: 600_000,
  };
}

/**
 * The channel names that `targets` (roles, people, `channel:<name>`) reach, in a stable order.
 *
 * @example
 * destinationsOf(['on-call'], [{ name: 'ada', roles: ['on-call'], channels: ['ada-mail'] }]); // ['ada-mail']
 */
export function destinationsOf(targets: string[], contacts: Contact[]): string[] {
  const out = new Set<string>();
  for (const t of targets) {
    if (t.startsWith('channel:')) {
      out.add(t.slice('channel:'.length));
      continue;
    }
    for (const c of contacts) {
      if (c.name === t || c.roles.includes(t)) for (const ch of c.channels) out.add(ch);
    }
  }
  return [...out].sort();
}

/** A notification the escalation stage wants sent. */
export interface DueNotification {
  destination: string;
  kind: 'firing' | 'acknowledged' | 'resolved';
  /** The matrix step (firing only; -1 otherwise). */
  step: number;
  dedupeKey: string;
}

/**
 * The escalation stage (pure): (alert, matrix, now) → the notifications due and the step the
 * alert has reached. A firing, unacknowledged alert climbs every step whose delay has passed;
 * acknowledging stops the climb. Digest severities never notify one by one.
 *
 * @example
 * const { due, step } = escalate(alert, config, now);
 */
export function escalate(
  alert: AlertRecord,
  config: EscalationConfig,
  now: number,
): { due: DueNotification[]; step: number } {
  const policy = config.matrix[alert.severity];
  if (alert.status !== 'firing' || alert.firedAt === null || alert.acknowledgedAt !== null || policy.digest) {
    return { due: [], step: alert.escalationStep };
  }
  const due: DueNotification[] = [];
  let step = alert.escalationStep;
  while (step < policy.steps.length) {
    const s = policy.steps[step] as EscalationStep;
    if (alert.firedAt + s.afterMillis > now) break;
    for (const destination of destinationsOf(s.notify, config.contacts)) {
      due.push({
        destination,
        kind: 'firing',
        step,
        dedupeKey: `${alert.id}:firing:${alert.firedAt}:${step}:${destination}`,
      });
    }
    step++;
  }
  return { due, step };
}

/**
 * The follow-up notices: when a notified alert is acknowledged or resolved, everyone told it
 * fired hears about it (a resolved notice even when the alert was acknowledged).
 *
 * @example
 * followUps(alert, 'resolved'); // [{ destination: 'ops-hook', kind: 'resolved', … }]
 */
export function followUps(alert: AlertRecord, kind: 'acknowledged' | 'resolved'): DueNotification[] {
  const at = kind === 'resolved' ? alert.resolvedAt : alert.acknowledgedAt;
  return alert.notified.map((destination) => ({
    destination,
    kind,
    step: -1,
    dedupeKey: `${alert.id}:${kind}:${at}:${destination}`,
  }));
}

/** One digest to send: the alerts it lists and where. */
export interface DigestDue {
  destination: string;
  periodStart: number;
  alerts: AlertRecord[];
  dedupeKey: string;
}

/**
 * The digest stage (pure): at each period boundary, every not-yet-digested alert of a digest
 * severity that fired before the boundary goes out in one message per destination.
 *
 * @example
 * digests(undigestedLowAlerts, config, now); // [{ destination: 'team-mail', alerts: [a, b], … }]
 */
export function digests(alerts: AlertRecord[], config: EscalationConfig, now: number): DigestDue[] {
  const out: DigestDue[] = [];
  for (const severity of Object.keys(config.matrix) as AlertSeverity[]) {
    const digest = config.matrix[severity].digest;
    if (!digest) continue;
    const boundary = Math.floor(now / digest.intervalMillis) * digest.intervalMillis;
    const listed = alerts.filter(
      (a) => a.severity === severity && a.firedAt !== null && a.firedAt < boundary && a.digestedAt === null,
    );
    if (listed.length === 0) continue;
    for (const destination of destinationsOf(digest.notify, config.contacts)) {
      out.push({
        destination,
        periodStart: boundary,
        alerts: listed,
        dedupeKey: `digest:${severity}:${boundary}:${destination}`,
      });
    }
  }
  return out;
}
