import { describe, expect, it } from 'vitest';
import {
  defaultEscalation,
  destinationsOf,
  digests,
  type EscalationConfig,
  escalate,
  followUps,
} from '../../src/alerting/escalation.js';
import { backoffMillis } from '../../src/notify/outbox-dispatcher.js';
import { retryAfterMillis } from '../../src/notify/webhook-channel.js';
import type { AlertRecord, AlertSeverity } from '../../src/store/alert-records.js';

const MIN = 60_000;
const HOUR = 3_600_000;
/** Fired 20 min into an hour. */
const F = 1_750_000_000_000 - (1_750_000_000_000 % HOUR) + 20 * MIN;

const config: EscalationConfig = {
  ...defaultEscalation(),
  contacts: [
    { name: 'ada', roles: ['on-call'], channels: ['ada-mail', 'ops-hook'] },
    { name: 'lee', roles: ['team-lead', 'team'], channels: ['lee-hook'] },
    { name: 'sam', roles: ['team'], channels: ['team-hook', 'ops-hook'] },
  ],
};

const alertOf = (severity: AlertSeverity, over: Partial<AlertRecord> = {}): AlertRecord => ({
  id: `a-${severity}`,
  project: 'p',
  ruleId: 'r',
  fingerprint: `r-${severity}{}`,
  title: 't',
  type: 'system',
  severity,
  status: 'firing',
  labels: {},
  value: 90,
  threshold: 80,
  pendingSince: F,
  firedAt: F,
  resolvedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  dismissedAt: null,
  incidentId: null,
  escalationStep: 0,
  notified: [],
  held: false,
  digestedAt: null,
  updatedAt: F,
  ...over,
});

/** (step reached, [destination, step]) at `now`, starting from `step`. */
function climb(severity: AlertSeverity, now: number, step = 0, over: Partial<AlertRecord> = {}) {
  const r = escalate(alertOf(severity, { escalationStep: step, ...over }), config, now);
  return [r.step, r.due.map((d) => [d.destination, d.step])];
}

describe('escalation matrix (the spec, at exact boundaries)', () => {
  it('resolves roles, people and channel: targets to sorted, unique channel names', () => {
    expect(destinationsOf(['on-call'], config.contacts)).toEqual(['ada-mail', 'ops-hook']);
    expect(destinationsOf(['team'], config.contacts)).toEqual(['lee-hook', 'ops-hook', 'team-hook']);
    expect(destinationsOf(['sam', 'channel:pager', 'nobody'], config.contacts)).toEqual([
      'ops-hook',
      'pager',
      'team-hook',
    ]);
  });

  it('critical: the on-call engineer at once, the team lead at 15 min unacknowledged', () => {
    expect(climb('critical', F)).toEqual([
      1,
      [
        ['ada-mail', 0],
        ['ops-hook', 0],
      ],
    ]);
    expect(climb('critical', F + 15 * MIN - 1, 1)).toEqual([1, []]);
    expect(climb('critical', F + 15 * MIN, 1)).toEqual([2, [['lee-hook', 1]]]);
    expect(climb('critical', F + 60 * MIN, 2)).toEqual([2, []]);
    // First seen late (a restart): every step that is due, at once.
    expect(climb('critical', F + 15 * MIN)).toEqual([
      2,
      [
        ['ada-mail', 0],
        ['ops-hook', 0],
        ['lee-hook', 1],
      ],
    ]);
  });

  it('high: the team lead after 5 min unacknowledged, not before', () => {
    expect(climb('high', F)).toEqual([0, []]);
    expect(climb('high', F + 5 * MIN - 1)).toEqual([0, []]);
    expect(climb('high', F + 5 * MIN)).toEqual([1, [['lee-hook', 0]]]);
  });

  it('medium: the team after 15 min unacknowledged', () => {
    expect(climb('medium', F + 15 * MIN - 1)).toEqual([0, []]);
    expect(climb('medium', F + 15 * MIN)).toEqual([
      1,
      [
        ['lee-hook', 0],
        ['ops-hook', 0],
        ['team-hook', 0],
      ],
    ]);
  });

  it('low: never notified one by one (digest and dashboard only)', () => {
    expect(climb('low', F + 24 * HOUR)).toEqual([0, []]);
  });

  it('acknowledging stops the climb; only firing alerts climb', () => {
    expect(climb('high', F + 5 * MIN, 0, { acknowledgedAt: F + 4 * MIN, acknowledgedBy: 'u' })).toEqual([0, []]);
    expect(climb('critical', F + 15 * MIN, 1, { acknowledgedAt: F + MIN, acknowledgedBy: 'u' })).toEqual([1, []]);
    expect(climb('high', F + 5 * MIN, 0, { status: 'pending', firedAt: null })).toEqual([0, []]);
    expect(climb('high', F + 5 * MIN, 0, { status: 'dismissed' })).toEqual([0, []]);
  });

  it('gives each notification a stable dedupe key (alert, kind, fired time, step, destination)', () => {
    const { due } = escalate(alertOf('high'), config, F + 5 * MIN);
    expect(due).toEqual([
      { destination: 'lee-hook', kind: 'firing', step: 0, dedupeKey: `a-high:firing:${F}:0:lee-hook` },
    ]);
    expect(escalate(alertOf('high'), config, F + 6 * MIN).due[0]?.dedupeKey).toBe(due[0]?.dedupeKey);
  });

  it('acknowledged and resolved notices go to everyone told it fired', () => {
    const told = alertOf('critical', {
      notified: ['ada-mail', 'ops-hook'],
      acknowledgedAt: F + MIN,
      resolvedAt: F + 9 * MIN,
    });
    expect(followUps(told, 'acknowledged').map((d) => d.dedupeKey)).toEqual([
      `a-critical:acknowledged:${F + MIN}:ada-mail`,
      `a-critical:acknowledged:${F + MIN}:ops-hook`,
    ]);
    expect(followUps(told, 'resolved').map((d) => [d.destination, d.kind, d.step])).toEqual([
      ['ada-mail', 'resolved', -1],
      ['ops-hook', 'resolved', -1],
    ]);
    expect(followUps(alertOf('high'), 'resolved')).toEqual([]);
  });

  it('low alerts: one hourly digest per destination of those fired before the hour boundary', () => {
    const hour = F - 20 * MIN + HOUR;
    const a = alertOf('low', { id: 'l1', firedAt: hour - 1 });
    const b = alertOf('low', { id: 'l2', firedAt: F });
    const late = alertOf('low', { id: 'l3', firedAt: hour });
    const done = alertOf('low', { id: 'l4', firedAt: F, digestedAt: F + MIN });
    const high = alertOf('high', { id: 'h1' });
    expect(digests([a, b, late, done, high], config, hour - 1)).toEqual([]);
    const due = digests([a, b, late, done, high], config, hour);
    expect(due.map((d) => [d.destination, d.periodStart, d.alerts.map((x) => x.id), d.dedupeKey])).toEqual([
      ['lee-hook', hour, ['l1', 'l2'], `digest:low:${hour}:lee-hook`],
      ['ops-hook', hour, ['l1', 'l2'], `digest:low:${hour}:ops-hook`],
      ['team-hook', hour, ['l1', 'l2'], `digest:low:${hour}:team-hook`],
    ]);
    // Later in the same hour: the same keys, so a repeat queues nothing new.
    expect(digests([a, b], config, hour + 59 * MIN).map((d) => d.dedupeKey)).toEqual(due.map((d) => d.dedupeKey));
  });
});

describe('delivery backoff', () => {
  const o = { baseBackoffMillis: 5_000, maxBackoffMillis: 600_000 };

  it('doubles from the base per attempt and stops at the cap', () => {
    expect([1, 2, 3, 4, 7, 8, 9, 60].map((n) => backoffMillis(n, o))).toEqual([
      5_000, 10_000, 20_000, 40_000, 320_000, 600_000, 600_000, 600_000,
    ]);
    expect(backoffMillis(0, o)).toBe(5_000);
  });

  it('waits as long as Retry-After asks when that is longer, never shorter than the backoff', () => {
    expect(backoffMillis(1, o, 30_000)).toBe(30_000);
    expect(backoffMillis(3, o, 1_000)).toBe(20_000);
    // Retry-After may exceed the cap (the receiver asked); retryAfterMillis bounds it at 1 h.
    expect(backoffMillis(9, o, 3_600_000)).toBe(3_600_000);
  });

  it('reads Retry-After in seconds or as an HTTP date, bounded at one hour', () => {
    const now = Date.UTC(2026, 0, 5, 10, 0, 0);
    expect(retryAfterMillis('30', now)).toBe(30_000);
    expect(retryAfterMillis(' 0 ', now)).toBe(0);
    expect(retryAfterMillis(new Date(now + 45_000).toUTCString(), now)).toBe(45_000);
    expect(retryAfterMillis('7200', now)).toBe(3_600_000);
    expect(retryAfterMillis(new Date(now - 5_000).toUTCString(), now)).toBeUndefined();
    expect(retryAfterMillis('soon', now)).toBeUndefined();
    expect(retryAfterMillis(undefined, now)).toBeUndefined();
  });
});
