import type { AlertRecord } from '../store/alert-records.js';

/** An unresolved incident and the alerts already in it. */
export interface IncidentCandidate {
  incidentId: string;
  alerts: AlertRecord[];
}

const FOLLOWS_OUTAGE = new Set(['performance', 'error']);

/**
 * Whether two alerts are on related signals: the same service or host label; a service down and
 * the API error spike or latency rise after it; or two unlabelled alerts of one type (the same
 * host's CPU and memory).
 *
 * @example
 * related(dbDown, apiErrors); // true when apiErrors fired after dbDown
 */
export function related(a: AlertRecord, b: AlertRecord): boolean {
  for (const label of ['service', 'host']) {
    const x = a.labels[label];
    if (x !== undefined && x !== '' && x === b.labels[label]) return true;
  }
  const after = (first: AlertRecord, second: AlertRecord) =>
    first.type === 'service' && FOLLOWS_OUTAGE.has(second.type) && (second.firedAt ?? 0) >= (first.firedAt ?? 0);
  if (after(a, b) || after(b, a)) return true;
  return a.type === b.type && a.labels.service === undefined && b.labels.service === undefined;
}

/**
 * The correlation stage (pure): the incident a newly firing alert joins — the first unresolved
 * incident holding a related alert that fired within `windowMillis` of it — or null.
 *
 * @example
 * const incidentId = correlate(alert, candidates, 600_000);
 */
export function correlate(alert: AlertRecord, candidates: IncidentCandidate[], windowMillis: number): string | null {
  const firedAt = alert.firedAt ?? alert.pendingSince;
  for (const c of candidates) {
    for (const other of c.alerts) {
      if (other.id === alert.id || other.firedAt === null) continue;
      if (Math.abs(other.firedAt - firedAt) <= windowMillis && related(alert, other)) return c.incidentId;
    }
  }
  return null;
}
