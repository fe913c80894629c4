import { describe, expect, it } from 'vitest';
import { alertsCsv, alertsJson, CSV_COLUMNS } from '../src/alert-export.js';
import type { Alert } from '../src/api-types.js';

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
