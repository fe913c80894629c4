import { describe, expect, it } from 'vitest';
import { ActionRefused, applyAction, fingerprintOf, stepAlert } from '../../src/alerting/alert-lifecycle.js';
import type { AlertRule } from '../../src/alerting/alert-rule.js';
import type { Evaluation } from '../../src/alerting/rule-evaluation.js';
import type { AlertRecord } from '../../src/store/alert-records.js';

const T = 1_750_000_000_000;
const rule: AlertRule = {
  id: 'cpu-high',
  name: 'CPU usage above 80 %',
  type: 'system',
  severity: 'high',
  query: { metric: 'gauge', name: 'cpu.percent', aggregation: 'avg', windowMillis: 120_000 },
  comparator: '>',
  threshold: 80,
  resolveThreshold: 75,
  forMillis: 60_000,
  labels: { service: 'api', host: 'web-1' },
  enabled: true,
};

/** What the evaluation stage says about a value against `rule` (80, resolve 75). */
const at = (value: number | null): Evaluation => ({
  ruleId: rule.id,
  value,
  count: value === null ? 0 : 5,
  breaching: value !== null && value > 80,
  healthy: value !== null && value <= 75,
});

/** Runs the lifecycle through a series of (time offset, value) evaluations. */
function run(steps: Array<[number, number | null]>, r: AlertRule = rule, start: AlertRecord | null = null) {
  let alert = start;
  const changes: Array<string | null> = [];
  const events: string[] = [];
  for (const [dt, v] of steps) {
    const t = stepAlert(alert?.status === 'resolved' ? null : alert, r, at(v), 'p', 'a1', T + dt);
    changes.push(t === null ? 'none' : t.change);
    if (t) {
      alert = t.alert;
      events.push(...t.events.map((e) => `${e.type}@${e.ts - T}: ${e.message}`));
    }
  }
  return { alert: alert as AlertRecord, changes, events };
}

describe('alert lifecycle: evaluation', () => {
  it('identifies an alert by rule and sorted labels', () => {
    expect(fingerprintOf(rule)).toBe('cpu-high{host="web-1",service="api"}');
  });

  it('pending → firing only after an unbroken for-duration, exactly at its end', () => {
    const { alert, changes, events } = run([
      [0, 91],
      [59_999, 92],
      [60_000, 93],
    ]);
    expect(changes).toEqual(['pending', null, 'firing']);
    expect(events).toEqual([
      'pending@0: Breach: value 91 against threshold 80',
      'firing@60000: Fired: value 93 passed the threshold 80',
    ]);
    expect([alert.status, alert.pendingSince, alert.firedAt, alert.value, alert.fingerprint]).toEqual([
      'firing',
      T,
      T + 60_000,
      93,
      'cpu-high{host="web-1",service="api"}',
    ]);
  });

  it('a pending alert that stops breaching is dropped, never fired; a new breach starts the clock again', () => {
    const { changes, events } = run([
      [0, 91],
      [30_000, 79],
      [40_000, 91],
      [99_999, 91],
      [100_000, 91],
    ]);
    expect(changes).toEqual(['pending', 'resolved', 'pending', null, 'firing']);
    expect(events).toContain('resolved@30000: Cleared before it fired');
  });

  it('fires at once without a for-duration (pending and firing in one step)', () => {
    const t = stepAlert(null, { ...rule, forMillis: 0 }, at(95), 'p', 'a1', T);
    expect([t?.change, t?.alert.status, t?.events.map((e) => e.type)]).toEqual([
      'firing',
      'firing',
      ['pending', 'firing'],
    ]);
  });

  it('resolves only past the resolve threshold (hysteresis); no data changes nothing', () => {
    const { alert, changes, events } = run(
      [
        [0, 91],
        [60_000, 91],
        [120_000, 78],
        [180_000, null],
        [240_000, 75.5],
        [300_000, 75],
      ],
      rule,
    );
    expect(changes).toEqual(['pending', 'firing', null, 'none', null, 'resolved']);
    expect(events.at(-1)).toBe('resolved@300000: Resolved: value 75 is back past 75');
    expect([alert.status, alert.resolvedAt, alert.value]).toEqual(['resolved', T + 300_000, 75]);
  });

  it('a healthy value does not resolve an alert a person reopened (held)', () => {
    const fired = run([[0, 91]], { ...rule, forMillis: 0 }).alert;
    const held = { ...fired, held: true };
    expect(stepAlert(held, rule, at(10), 'p', 'x', T + 1)?.alert.status).toBe('firing');
  });

  it('a dismissed alert closes quietly once healthy, still dismissed', () => {
    const fired = run([[0, 91]], { ...rule, forMillis: 0 }).alert;
    const dismissed = applyAction(fired, { type: 'dismiss' }, 'user:ada', T + 1).alert;
    expect(stepAlert(dismissed, rule, at(90), 'p', 'x', T + 2)?.change).toBe(null);
    const closed = stepAlert(dismissed, rule, at(70), 'p', 'x', T + 3);
    expect([closed?.change, closed?.alert.status, closed?.alert.resolvedAt]).toEqual(['resolved', 'dismissed', T + 3]);
  });
});

describe('alert lifecycle: people', () => {
  const firing = run([[0, 91]], { ...rule, forMillis: 0 }).alert;

  it('acknowledge records who and when; a second acknowledgement is refused', () => {
    const t = applyAction(firing, { type: 'acknowledge' }, 'user:ada', T + 5_000);
    expect([t.alert.acknowledgedAt, t.alert.acknowledgedBy, t.alert.status, t.change]).toEqual([
      T + 5_000,
      'user:ada',
      'firing',
      null,
    ]);
    expect(t.events).toEqual([
      {
        alertId: 'a1',
        ts: T + 5_000,
        type: 'acknowledged',
        actor: 'user:ada',
        message: 'Acknowledged by user:ada',
        data: null,
      },
    ]);
    expect(() => applyAction(t.alert, { type: 'acknowledge' }, 'user:bob', T + 6_000)).toThrow(
      new ActionRefused('already acknowledged by user:ada'),
    );
  });

  it('notes record who, when and the text, and change nothing else', () => {
    const t = applyAction(firing, { type: 'note', text: 'Restarting web-1' }, 'user:bob', T + 7_000);
    expect(t.alert).toBe(firing);
    expect(t.events).toEqual([
      { alertId: 'a1', ts: T + 7_000, type: 'note', actor: 'user:bob', message: 'Restarting web-1', data: null },
    ]);
  });

  it('resolve by hand, reopen (held, escalation from the start), resolve again', () => {
    const acked = applyAction(firing, { type: 'acknowledge' }, 'user:ada', T + 1).alert;
    const resolved = applyAction({ ...acked, escalationStep: 2 }, { type: 'resolve' }, 'user:ada', T + 2);
    expect([resolved.change, resolved.alert.status, resolved.alert.resolvedAt]).toEqual([
      'resolved',
      'resolved',
      T + 2,
    ]);
    const reopened = applyAction(resolved.alert, { type: 'reopen' }, 'user:bob', T + 3);
    expect(reopened.change).toBe('firing');
    expect(reopened.alert).toMatchObject({
      status: 'firing',
      firedAt: T + 3,
      resolvedAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      escalationStep: 0,
      held: true,
    });
    expect(reopened.events.map((e) => [e.type, e.actor, e.message])).toEqual([
      ['reopened', 'user:bob', 'Reopened by user:bob'],
    ]);
    const again = applyAction(reopened.alert, { type: 'resolve' }, 'user:bob', T + 4);
    expect([again.alert.status, again.alert.held]).toEqual(['resolved', false]);
  });

  it('dismiss a pending or firing alert; reopen a dismissed one', () => {
    const dismissed = applyAction(firing, { type: 'dismiss' }, 'user:ada', T + 1);
    expect([dismissed.alert.status, dismissed.alert.dismissedAt, dismissed.change]).toEqual(['dismissed', T + 1, null]);
    const pending = run([[0, 91]]).alert;
    expect(applyAction(pending, { type: 'dismiss' }, 'user:ada', T + 1).alert.status).toBe('dismissed');
    expect(applyAction(dismissed.alert, { type: 'reopen' }, 'user:ada', T + 2).alert).toMatchObject({
      status: 'firing',
      dismissedAt: null,
      held: true,
    });
  });

  it('refuses actions that do not apply, saying why', () => {
    const pending = run([[0, 91]]).alert;
    const resolved = applyAction(firing, { type: 'resolve' }, 'u', T + 1).alert;
    const refused = (a: AlertRecord, type: 'acknowledge' | 'dismiss' | 'reopen' | 'resolve') => {
      try {
        applyAction(a, { type }, 'u', T + 9);
        return 'applied';
      } catch (e) {
        return e instanceof ActionRefused ? e.message : 'other error';
      }
    };
    expect(refused(pending, 'acknowledge')).toBe('only a firing alert can be acknowledged (it is pending)');
    expect(refused(resolved, 'acknowledge')).toBe('only a firing alert can be acknowledged (it is resolved)');
    expect(refused(resolved, 'dismiss')).toBe('only a pending or firing alert can be dismissed (it is resolved)');
    expect(refused(firing, 'reopen')).toBe('only a resolved or dismissed alert can be reopened (it is firing)');
    expect(refused(pending, 'reopen')).toBe('only a resolved or dismissed alert can be reopened (it is pending)');
    expect(refused(pending, 'resolve')).toBe('only a firing alert can be resolved (it is pending)');
    expect(refused(resolved, 'resolve')).toBe('only a firing alert can be resolved (it is resolved)');
  });
});
