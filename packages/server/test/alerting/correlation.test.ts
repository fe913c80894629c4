import { describe, expect, it } from 'vitest';
import { correlate, type IncidentCandidate, related } from '../../src/alerting/correlation.js';
import type { AlertRecord } from '../../src/store/alert-records.js';

const T = 1_750_000_000_000;
const MIN = 60_000;
const WINDOW = 10 * MIN;

const alertOf = (
  id: string,
  type: string,
  firedAt: number | null,
  labels: Record<string, string> = {},
): AlertRecord => ({
  id,
  project: 'p',
  ruleId: id,
  fingerprint: `${id}{}`,
  title: id,
  type,
  severity: 'high',
  status: firedAt === null ? 'pending' : 'firing',
  labels,
  value: 1,
  threshold: 1,
  pendingSince: firedAt ?? T,
  firedAt,
  resolvedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  dismissedAt: null,
  incidentId: null,
  escalationStep: 0,
  notified: [],
  held: false,
  digestedAt: null,
  updatedAt: T,
});

describe('correlation', () => {
  it('relates alerts of the same service or the same host', () => {
    const a = alertOf('a', 'system', T, { service: 'api', host: 'web-1' });
    expect(related(a, alertOf('b', 'error', T, { service: 'api' }))).toBe(true);
    expect(related(a, alertOf('c', 'performance', T, { service: 'billing', host: 'web-1' }))).toBe(true);
    expect(related(a, alertOf('d', 'error', T, { service: 'billing', host: 'web-2' }))).toBe(false);
    expect(related(alertOf('e', 'system', T, { service: '' }), alertOf('f', 'error', T, { service: '' }))).toBe(false);
  });

  it('relates a service outage to the error spike and latency rise after it, not before', () => {
    const down = alertOf('down', 'service', T, { service: 'postgres' });
    expect(related(down, alertOf('errors', 'error', T + MIN))).toBe(true);
    expect(related(alertOf('latency', 'performance', T + 2 * MIN), down)).toBe(true);
    expect(related(down, alertOf('early', 'error', T - 1))).toBe(false);
    expect(related(down, alertOf('cpu', 'system', T + MIN))).toBe(false);
  });

  it('relates two unlabelled alerts of one type (one host: CPU and memory)', () => {
    expect(related(alertOf('cpu', 'system', T), alertOf('mem', 'system', T + MIN))).toBe(true);
    expect(related(alertOf('cpu', 'system', T), alertOf('err', 'error', T + MIN))).toBe(false);
  });

  it('service down, then API error spike, then latency rise within the window: one incident', () => {
    const down = alertOf('down', 'service', T, { service: 'postgres' });
    const incidents: IncidentCandidate[] = [{ incidentId: 'inc-1', alerts: [down] }];
    const errors = alertOf('errors', 'error', T + 2 * MIN);
    expect(correlate(errors, incidents, WINDOW)).toBe('inc-1');
    incidents[0]?.alerts.push(errors);
    const latency = alertOf('latency', 'performance', T + 9 * MIN);
    expect(correlate(latency, incidents, WINDOW)).toBe('inc-1');
  });

  it('joins exactly up to the window edge, not one millisecond past it', () => {
    const down = alertOf('down', 'service', T, { service: 'postgres' });
    const incidents = [{ incidentId: 'inc-1', alerts: [down] }];
    expect(correlate(alertOf('e1', 'error', T + WINDOW), incidents, WINDOW)).toBe('inc-1');
    expect(correlate(alertOf('e2', 'error', T + WINDOW + 1), incidents, WINDOW)).toBeNull();
    // Same service, before the other fired: still within the window either way.
    expect(correlate(alertOf('s', 'system', T - WINDOW, { service: 'postgres' }), incidents, WINDOW)).toBe('inc-1');
  });

  it('picks the first incident holding a related alert; ignores itself, unfired and unrelated alerts', () => {
    const alert = alertOf('x', 'error', T, { service: 'api' });
    const incidents: IncidentCandidate[] = [
      { incidentId: 'inc-other', alerts: [alertOf('o', 'auth', T, { service: 'billing' })] },
      { incidentId: 'inc-pending', alerts: [alertOf('p', 'error', null, { service: 'api' })] },
      { incidentId: 'inc-self', alerts: [alert] },
      { incidentId: 'inc-api', alerts: [alertOf('y', 'performance', T + MIN, { service: 'api' })] },
      { incidentId: 'inc-api-2', alerts: [alertOf('z', 'system', T, { service: 'api' })] },
    ];
    expect(correlate(alert, incidents, WINDOW)).toBe('inc-api');
    expect(correlate(alertOf('lone', 'auth', T, { service: 'sso' }), incidents, WINDOW)).toBeNull();
  });
});
