import type { IncidentRecord, IncidentSeverity } from '../store/incident-records.js';

/** Response figures of a set of incidents. */
export interface ResponseTimes {
  incidents: number;
  resolved: number;
  acknowledged: number;
  /** Mean time to resolve (resolvedAt − openedAt) over resolved incidents, ms. */
  mttrMillis: number | null;
  /** Mean time to acknowledge (acknowledgedAt − openedAt) over acknowledged incidents, ms. */
  mttaMillis: number | null;
}

const SEVERITIES: readonly IncidentSeverity[] = ['critical', 'high', 'medium', 'low'];

function times(list: readonly IncidentRecord[]): ResponseTimes {
  const resolved = list.filter((i) => i.resolvedAt !== null);
  const acked = list.filter((i) => i.acknowledgedAt !== null);
  const mean = (xs: number[]): number | null =>
    xs.length === 0 ? null : Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    incidents: list.length,
    resolved: resolved.length,
    acknowledged: acked.length,
    mttrMillis: mean(resolved.map((i) => (i.resolvedAt as number) - i.openedAt)),
    mttaMillis: mean(acked.map((i) => (i.acknowledgedAt as number) - i.openedAt)),
  };
}

/**
 * MTTR and MTTA per severity and overall, over the incidents opened in `[from, to)`. An incident
 * resolved without being acknowledged (the detector closes them when the signal recovers)
 * counts towards MTTR but not MTTA.
 *
 * @example
 * responseTimes(incidents, from, to).bySeverity.critical.mttrMillis; // 1_260_000
 */
export function responseTimes(
  incidents: readonly IncidentRecord[],
  from: number,
  to: number,
): { overall: ResponseTimes; bySeverity: Record<IncidentSeverity, ResponseTimes> } {
  const opened = incidents.filter((i) => i.openedAt >= from && i.openedAt < to);
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((s) => [s, times(opened.filter((i) => i.severity === s))]),
  ) as Record<IncidentSeverity, ResponseTimes>;
  return { overall: times(opened), bySeverity };
}
