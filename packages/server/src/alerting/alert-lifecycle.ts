import type { AlertEventRecord, AlertRecord } from '../store/alert-records.js';
import type { AlertRule } from './alert-rule.js';
import type { Evaluation } from './rule-evaluation.js';

/** An alert's new state and the history entries that explain it. */
export interface Transition {
  alert: AlertRecord;
  events: AlertEventRecord[];
  /** The status change that happened, or null when only the value moved. */
  change: 'pending' | 'firing' | 'resolved' | null;
}

/**
 * The identity of "the same alert": the rule and its labels. One unresolved alert per fingerprint.
 *
 * @example
 * fingerprintOf(rule); // 'cpu-high{}'
 */
export function fingerprintOf(rule: AlertRule): string {
  const labels = Object.entries(rule.labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${rule.id}{${labels.join(',')}}`;
}

const event = (
  a: AlertRecord,
  ts: number,
  type: string,
  actor: string,
  message: string,
  data: Record<string, unknown> | null = null,
): AlertEventRecord => ({
  alertId: a.id,
  ts,
  type,
  actor,
  message,
  data,
});

function newAlert(rule: AlertRule, e: Evaluation, project: string, id: string, now: number): AlertRecord {
  return {
    id,
    project,
    ruleId: rule.id,
    fingerprint: fingerprintOf(rule),
    title: rule.name,
    type: rule.type,
    severity: rule.severity,
    status: 'pending',
    labels: { ...rule.labels },
    value: e.value,
    threshold: rule.threshold,
    pendingSince: now,
    firedAt: null,
    resolvedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    dismissedAt: null,
    incidentId: null,
    escalationStep: 0,
    notified: [],
    held: false,
    digestedAt: null,
    updatedAt: now,
  };
}

function fire(a: AlertRecord, e: Evaluation, now: number): Transition {
  const alert: AlertRecord = { ...a, status: 'firing', firedAt: now, value: e.value, updatedAt: now };
  const message = `Fired: value ${e.value} passed the threshold ${a.threshold}`;
  return { alert, events: [event(alert, now, 'firing', 'rule', message, { value: e.value })], change: 'firing' };
}

/**
 * The lifecycle stage (pure): given a rule's unresolved alert (or none) and its evaluation,
 * the next state. pending → firing after `forMillis` of breach; pending that stops breaching is
 * dropped (resolved, never fired); firing resolves when healthy (hysteresis), unless a person
 * reopened it; a dismissed alert is closed quietly once healthy. No data changes nothing but a
 * pending alert, which needs an unbroken breach.
 *
 * @example
 * const t = stepAlert(null, rule, { ruleId: rule.id, value: 93, count: 4, breaching: true, healthy: false }, 'p', 'a1', now);
 * t?.alert.status; // 'pending' (or 'firing' when forMillis is 0)
 */
export function stepAlert(
  current: AlertRecord | null,
  rule: AlertRule,
  e: Evaluation,
  project: string,
  newId: string,
  now: number,
): Transition | null {
  if (current === null) {
    if (!e.breaching) return null;
    const pending = newAlert(rule, e, project, newId, now);
    const opened = event(
      pending,
      now,
      'pending',
      'rule',
      `Breach: value ${e.value} against threshold ${rule.threshold}`,
      { value: e.value },
    );
    if (rule.forMillis > 0) return { alert: pending, events: [opened], change: 'pending' };
    const fired = fire(pending, e, now);
    return { ...fired, events: [opened, ...fired.events] };
  }
  if (current.status === 'pending') {
    if (!e.breaching) {
      const alert: AlertRecord = { ...current, status: 'resolved', resolvedAt: now, value: e.value, updatedAt: now };
      return { alert, events: [event(alert, now, 'resolved', 'rule', 'Cleared before it fired')], change: 'resolved' };
    }
    if (now - current.pendingSince >= rule.forMillis) return fire(current, e, now);
    return { alert: { ...current, value: e.value, updatedAt: now }, events: [], change: null };
  }
  if (e.healthy && !current.held && (current.status === 'firing' || current.status === 'dismissed')) {
    const status = current.status === 'firing' ? 'resolved' : 'dismissed';
    const alert: AlertRecord = { ...current, status, resolvedAt: now, value: e.value, updatedAt: now };
    const message = `Resolved: value ${e.value} is back past ${rule.resolveThreshold}`;
    return { alert, events: [event(alert, now, 'resolved', 'rule', message, { value: e.value })], change: 'resolved' };
  }
  if (e.value === null || e.value === current.value) return null;
  return { alert: { ...current, value: e.value, updatedAt: now }, events: [], change: null };
}

/** Why a manual action was refused: the HTTP layer maps it to a 409. */
export class ActionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionRefused';
  }
}

/** A person's action on an alert. */
export type AlertAction =
  | { type: 'acknowledge' }
  | { type: 'dismiss' }
  | { type: 'note'; text: string }
  | { type: 'reopen' }
  | { type: 'resolve' };

/**
 * The lifecycle stage for people's actions (pure): acknowledge (who, when; stops escalation),
 * dismiss, note, reopen (resolved or dismissed → firing, held open until resolved by hand), and
 * resolve by hand. Throws {@link ActionRefused} when the action does not apply.
 *
 * @example
 * const t = applyAction(alert, { type: 'acknowledge' }, 'user:ada', now);
 */
export function applyAction(a: AlertRecord, action: AlertAction, actor: string, now: number): Transition {
  switch (action.type) {
    case 'note':
      return { alert: a, events: [event(a, now, 'note', actor, action.text)], change: null };
    case 'acknowledge': {
      if (a.status !== 'firing') throw new ActionRefused(`only a firing alert can be acknowledged (it is ${a.status})`);
      if (a.acknowledgedAt !== null) throw new ActionRefused(`already acknowledged by ${a.acknowledgedBy}`);
      const alert: AlertRecord = { ...a, acknowledgedAt: now, acknowledgedBy: actor, updatedAt: now };
      return { alert, events: [event(alert, now, 'acknowledged', actor, `Acknowledged by ${actor}`)], change: null };
    }
    case 'dismiss': {
      if (a.status !== 'firing' && a.status !== 'pending') {
        throw new ActionRefused(`only a pending or firing alert can be dismissed (it is ${a.status})`);
      }
      const alert: AlertRecord = { ...a, status: 'dismissed', dismissedAt: now, held: false, updatedAt: now };
      return { alert, events: [event(alert, now, 'dismissed', actor, `Dismissed by ${actor}`)], change: null };
    }
    case 'reopen': {
      if (a.status !== 'resolved' && a.status !== 'dismissed') {
        throw new ActionRefused(`only a resolved or dismissed alert can be reopened (it is ${a.status})`);
      }
      const alert: AlertRecord = {
        ...a,
        status: 'firing',
        firedAt: now,
        resolvedAt: null,
        dismissedAt: null,
        acknowledgedAt: null,
        acknowledgedBy: null,
        escalationStep: 0,
        held: true,
        updatedAt: now,
      };
      return { alert, events: [event(alert, now, 'reopened', actor, `Reopened by ${actor}`)], change: 'firing' };
    }
    case 'resolve': {
      if (a.status !== 'firing') throw new ActionRefused(`only a firing alert can be resolved (it is ${a.status})`);
      const alert: AlertRecord = { ...a, status: 'resolved', resolvedAt: now, held: false, updatedAt: now };
      return { alert, events: [event(alert, now, 'resolved', actor, `Resolved by ${actor}`)], change: 'resolved' };
    }
  }
}
