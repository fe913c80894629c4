import { newId } from '../access/credentials.js';
import type { AlertEventRecord, AlertRecord } from '../store/alert-records.js';
import type { IncidentRecord } from '../store/incident-records.js';
import type { Store } from '../store/store.js';
import { correlate, type IncidentCandidate } from './correlation.js';

/** What linking did, for the live stream. */
export interface LinkOutcome {
  alert: AlertRecord;
  events: AlertEventRecord[];
  opened: IncidentRecord | null;
}

const signalOf = (a: AlertRecord): string => `alert:${a.id}`;

/**
 * Puts alerts into incidents through the analytics incident store (`source: 'alert'`): a firing
 * critical or high alert joins the unresolved incident of a related alert (correlation stage),
 * or opens its own. An incident resolves when its last alert does and is acknowledged with its
 * first acknowledged alert, so MTTA and MTTR come from these records.
 *
 * @example
 * const linker = new IncidentLinker(store, 600_000);
 * const { alert } = await linker.link(firingAlert, activeAlerts, now);
 */
export class IncidentLinker {
  constructor(
    private readonly store: Store,
    private readonly windowMillis: () => number,
  ) {}

  /** Links a firing alert (no-op when linked already); `active` are the project's unresolved alerts. */
  async link(alert: AlertRecord, active: AlertRecord[], now: number, manual = false): Promise<LinkOutcome> {
    if (alert.incidentId !== null) return { alert, events: [], opened: null };
    const candidates = new Map<string, IncidentCandidate>();
    for (const a of active) {
      if (a.incidentId === null || a.id === alert.id) continue;
      const c = candidates.get(a.incidentId) ?? { incidentId: a.incidentId, alerts: [] };
      c.alerts.push(a);
      candidates.set(a.incidentId, c);
    }
    const joined = manual ? null : correlate(alert, [...candidates.values()], this.windowMillis());
    if (joined !== null) {
      await this.store.addIncidentEvent({
        incidentId: joined,
        ts: now,
        type: 'evidence',
        message: `Alert joined: ${alert.title} (${alert.severity})`,
        data: { alertId: alert.id, ruleId: alert.ruleId, value: alert.value },
      });
      return this.linked(alert, joined, now, `Joined incident ${joined} (correlated)`, null);
    }
    const incident = await this.store.createIncident(
      {
        id: newId(),
        project: alert.project,
        title: alert.title,
        severity: alert.severity,
        source: manual ? 'manual' : 'alert',
        signal: signalOf(alert),
        openedAt: now,
        evidence: { alertId: alert.id, ruleId: alert.ruleId, value: alert.value, threshold: alert.threshold },
      },
      manual ? `Opened by hand from alert ${alert.id}` : `Opened by alert ${alert.title}`,
    );
    // Null: a previous run opened it and stopped before saving the alert; find it again.
    const found =
      incident ??
      (await this.store.listUnresolvedIncidents(alert.project, manual ? 'manual' : 'alert')).find(
        (i) => i.signal === signalOf(alert),
      ) ??
      null;
    if (found === null) return { alert, events: [], opened: null };
    return this.linked(alert, found.id, now, `Opened incident ${found.id}`, incident);
  }

  private linked(
    alert: AlertRecord,
    incidentId: string,
    now: number,
    message: string,
    opened: IncidentRecord | null,
  ): LinkOutcome {
    const next = { ...alert, incidentId, updatedAt: now };
    return {
      alert: next,
      events: [{ alertId: alert.id, ts: now, type: 'incident', actor: 'system', message, data: { incidentId } }],
      opened,
    };
  }

  /** After an alert resolved or was dismissed: resolves its incident when no alert of it is left unresolved. */
  async settle(alert: AlertRecord, active: AlertRecord[], now: number): Promise<IncidentRecord | null> {
    if (alert.incidentId === null) return null;
    const left = active.some((a) => a.id !== alert.id && a.incidentId === alert.incidentId && a.status === 'firing');
    if (left) return null;
    return this.store.transitionIncident({
      id: alert.incidentId,
      status: 'resolved',
      at: now,
      message: `Resolved: its last alert (${alert.title}) ${alert.status === 'dismissed' ? 'was dismissed' : 'resolved'}`,
      data: { alertId: alert.id },
    });
  }

  /** After an acknowledgement: acknowledges the alert's incident if still open. */
  async acknowledge(alert: AlertRecord, now: number): Promise<IncidentRecord | null> {
    if (alert.incidentId === null) return null;
    return this.store.transitionIncident({
      id: alert.incidentId,
      status: 'acknowledged',
      at: now,
      message: `Acknowledged by ${alert.acknowledgedBy} (alert ${alert.title})`,
      data: { alertId: alert.id },
    });
  }
}
