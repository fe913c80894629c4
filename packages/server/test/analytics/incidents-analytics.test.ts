import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DETECTION,
  type DetectionInput,
  detectErrorSpike,
  detectLatencyRegression,
  detectServicesDown,
} from '../../src/analytics/incident-detection.js';
import { responseTimes } from '../../src/analytics/mttr.js';
import type { IncidentRecord } from '../../src/store/incident-records.js';
import { actions, rollup, times } from './rollup-builders.js';

const MIN = 60_000;
const NOW = 100 * MIN;
const o = DEFAULT_DETECTION;
const ok = (bucket: number, n = 20, ms = 100) => rollup('api', { statusClass: '2xx' }, times(n, ms), bucket);
const empty: DetectionInput = { api: [], error: [], action: [], gauge: [] };

/** Baseline: 60 minutes of 20 good requests at 100 ms before the 5-minute window. */
const baseline = Array.from({ length: 60 }, (_, i) => ok(NOW - 65 * MIN + i * MIN));

describe('detectErrorSpike', () => {
  it('fires when the window rate passes 5 % and 3 × the baseline', () => {
    const api = [...baseline, ok(NOW - 2 * MIN, 90), rollup('api', { statusClass: '5xx' }, times(10, 100), NOW - MIN)];
    const s = detectErrorSpike({ ...empty, api }, NOW, o);
    expect(s).toEqual({
      signal: 'error_rate',
      firing: true,
      severity: 'high',
      title: 'Error rate 10% over the last 5 min (baseline 0%)',
      evidence: { errorRate: 10, baselineErrorRate: 0, operations: 100, windowMillis: 300_000 },
    });
    // 12 % is over twice the 5 % threshold: critical, as in the SDK's detectIncidents.
    const worse = [
      ...baseline,
      ok(NOW - 2 * MIN, 88),
      rollup('api', { statusClass: '5xx' }, times(12, 100), NOW - MIN),
    ];
    expect(detectErrorSpike({ ...empty, api: worse }, NOW, o).severity).toBe('critical');
  });

  it('does not fire at the baseline rate or on too few operations', () => {
    const noisy = Array.from({ length: 60 }, (_, i) => [
      ok(NOW - 65 * MIN + i * MIN, 18),
      rollup('api', { statusClass: '5xx' }, times(2, 100), NOW - 65 * MIN + i * MIN),
    ]).flat();
    const api = [...noisy, ok(NOW - MIN, 90), rollup('api', { statusClass: '5xx' }, times(10, 100), NOW - MIN)];
    expect(detectErrorSpike({ ...empty, api }, NOW, o).firing).toBe(false);
    const few = [rollup('api', { statusClass: '5xx' }, times(5, 100), NOW - MIN)];
    expect(
      detectErrorSpike({ ...empty, api: few, action: [actions('auth', 'login', 5, NOW - MIN)] }, NOW, o).firing,
    ).toBe(false);
  });
});

describe('detectLatencyRegression', () => {
  it('fires when the window P95 is twice the baseline P95', () => {
    const api = [...baseline, ok(NOW - MIN, 40, 1500)];
    const s = detectLatencyRegression({ ...empty, api }, NOW, o);
    expect(s).toMatchObject({
      signal: 'latency:api',
      firing: true,
      severity: 'high',
      evidence: { p95Millis: 1500, baselineP95Millis: 100, requests: 40 },
    });
    expect(detectLatencyRegression({ ...empty, api: [...baseline, ok(NOW - MIN, 40, 150)] }, NOW, o).firing).toBe(
      false,
    );
  });
});

describe('detectServicesDown', () => {
  it('gives one signal per service, firing when its latest minute is down', () => {
    const gauge = [
      rollup('gauge', { name: 'service.up', service: 'db' }, [1, 1], NOW - 3 * MIN),
      rollup('gauge', { name: 'service.up', service: 'db' }, [0, 0], NOW - 2 * MIN),
      rollup('gauge', { name: 'service.up', service: 'db' }, [0], NOW - MIN),
      rollup('gauge', { name: 'service.up', service: 'cache' }, [0], NOW - 2 * MIN),
      rollup('gauge', { name: 'service.up', service: 'cache' }, [1], NOW - MIN),
    ];
    expect(detectServicesDown({ ...empty, gauge }, NOW, o)).toEqual([
      {
        signal: 'service_down:cache',
        firing: false,
        severity: 'critical',
        title: 'Service cache is down',
        evidence: { service: 'cache', lastCheckMinute: NOW - MIN, upShare: 1, downMinutes: 1 },
      },
      {
        signal: 'service_down:db',
        firing: true,
        severity: 'critical',
        title: 'Service db is down',
        evidence: { service: 'db', lastCheckMinute: NOW - MIN, upShare: 0, downMinutes: 2 },
      },
    ]);
  });
});

describe('responseTimes (MTTR / MTTA)', () => {
  const incident = (
    id: string,
    severity: IncidentRecord['severity'],
    openedAt: number,
    ack: number | null,
    res: number | null,
  ) =>
    ({
      id,
      project: 'default',
      title: id,
      severity,
      status: res !== null ? 'resolved' : ack !== null ? 'acknowledged' : 'open',
      source: 'detector',
      signal: id,
      openedAt,
      acknowledgedAt: ack,
      resolvedAt: res,
      evidence: {},
    }) as IncidentRecord;

  it('averages resolve and acknowledge times per severity over incidents opened in the range', () => {
    const list = [
      incident('a', 'critical', 0, 2 * MIN, 10 * MIN),
      incident('b', 'critical', 60 * MIN, null, 90 * MIN),
      incident('c', 'high', 5 * MIN, 6 * MIN, null),
      incident('old', 'critical', -60 * MIN, -59 * MIN, -1 * MIN),
    ];
    const r = responseTimes(list, 0, 120 * MIN);
    expect(r.bySeverity.critical).toEqual({
      incidents: 2,
      resolved: 2,
      acknowledged: 1,
      mttrMillis: 20 * MIN,
      mttaMillis: 2 * MIN,
    });
    expect(r.bySeverity.high).toEqual({
      incidents: 1,
      resolved: 0,
      acknowledged: 1,
      mttrMillis: null,
      mttaMillis: MIN,
    });
    expect(r.bySeverity.low).toEqual({
      incidents: 0,
      resolved: 0,
      acknowledged: 0,
      mttrMillis: null,
      mttaMillis: null,
    });
    expect(r.overall).toEqual({ incidents: 3, resolved: 2, acknowledged: 2, mttrMillis: 20 * MIN, mttaMillis: 90_000 });
  });
});
