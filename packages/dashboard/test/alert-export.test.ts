import type { Alert } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { alertsCsv, alertsJson, CSV_COLUMNS } from '../src/alert-export.js';
import { filterAlerts } from '../src/alert-system.js';

const ALERT: Alert = {
  id: 'a1',
  ruleId: 'cpu-high',
  title: 'CPU usage above 80 %, "api-1"',
  type: 'system',
  severity: 'high',
  status: 'firing',
  labels: {},
  value: 91.5,
  threshold: 80,
  pendingSince: 1_000,
  firedAt: 61_000,
  resolvedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  dismissedAt: null,
  incidentId: null,
  updatedAt: 61_000,
};

describe('alert export', () => {
  it('writes RFC 4180 CSV: header, quoted commas and quotes, empty nulls, CRLF', () => {
    expect(alertsCsv([ALERT])).toBe(
      `${CSV_COLUMNS.join(',')}\r\n` +
        'a1,"CPU usage above 80 %, ""api-1""",high,system,firing,91.5,80,1000,61000,,,,\r\n',
    );
  });

  it('keeps a text cell that a spreadsheet would run as a formula as text', () => {
    expect(alertsCsv([{ ...ALERT, title: '=HYPERLINK("x")' }]).split('\r\n')[1]).toBe(
      'a1,"\'=HYPERLINK(""x"")",high,system,firing,91.5,80,1000,61000,,,,',
    );
  });

  it('writes JSON with the export time and count', () => {
    expect(JSON.parse(alertsJson([ALERT], 5))).toEqual({ exportedAt: 5, count: 1, alerts: [ALERT] });
  });
});

describe('alert filter', () => {
  const list: Alert[] = [
    { ...ALERT, id: 'a', title: 'Disk full', severity: 'high', firedAt: 10 },
    { ...ALERT, id: 'b', title: 'CPU hot', severity: 'critical', firedAt: 30, acknowledgedAt: 31 },
    { ...ALERT, id: 'c', title: 'Cache cold', severity: 'low', type: 'performance', status: 'resolved', firedAt: 20 },
    { ...ALERT, id: 'd', title: 'Slow API', severity: 'medium', status: 'pending', firedAt: null, pendingSince: 40 },
  ];
  const base = { severity: '', type: '', state: '', search: '', sort: 'newest' } as const;
  const ids = (f: Partial<Parameters<typeof filterAlerts>[1]>) =>
    filterAlerts(list, { ...base, ...f }).map((a) => a.id);

  it('filters by state, severity, type and text and sorts', () => {
    expect(ids({})).toEqual(['d', 'b', 'c', 'a']);
    expect(ids({ state: 'active' })).toEqual(['d', 'b', 'a']);
    expect(ids({ state: 'acknowledged' })).toEqual(['b']);
    expect(ids({ state: 'firing' })).toEqual(['a']);
    expect(ids({ severity: 'low' })).toEqual(['c']);
    expect(ids({ type: 'performance' })).toEqual(['c']);
    expect(ids({ search: 'HOT' })).toEqual(['b']);
    expect(ids({ sort: 'severity' })).toEqual(['b', 'a', 'd', 'c']);
    expect(ids({ sort: 'title' })).toEqual(['c', 'b', 'a', 'd']);
  });
});
