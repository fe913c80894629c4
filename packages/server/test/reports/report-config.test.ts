import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { parseReportsConfig, type ReportsConfigInvalid } from '../../src/reports/report-config.js';

describe('reports config', () => {
  it('defaults to 99.9 % availability and P95 under 100 ms, no schedules', () => {
    expect(loadConfig({}).reports).toEqual({
      sla: { availabilityPercent: 99.9, p95Millis: 100, services: {} },
      schedules: [],
    });
  });

  it('takes file objectives, env overrides and per-service overrides on top of the defaults', () => {
    const c = parseReportsConfig(
      { sla: { p95Millis: 250, services: { payments: { availabilityPercent: 99.99 } } } },
      { VIGIL_SLA_AVAILABILITY_PERCENT: '99.5' },
    );
    expect(c.sla).toEqual({
      availabilityPercent: 99.5,
      p95Millis: 250,
      services: { payments: { availabilityPercent: 99.99, p95Millis: 250 } },
    });
  });

  it('parses schedules against the email channels and names a bad setting', () => {
    const schedule = { name: 'weekly-sla', kind: 'sla', every: 'weekly', channel: 'ops-mail' };
    expect(parseReportsConfig({ schedules: [schedule] }, {}, ['ops-mail']).schedules).toEqual([
      { ...schedule, format: 'pdf', recipients: [] },
    ]);
    const bad = (raw: Record<string, unknown>) => {
      try {
        parseReportsConfig(raw, {}, ['ops-mail']);
        return null;
      } catch (e) {
        return (e as ReportsConfigInvalid).setting;
      }
    };
    expect(bad({ schedules: [{ ...schedule, channel: 'hook' }] })).toBe('reports.schedules[0].channel');
    expect(bad({ schedules: [{ ...schedule, every: 'hourly' }] })).toBe('reports.schedules[0].every');
    expect(bad({ schedules: [{ ...schedule, recipients: ['not-an-address'] }] })).toBe(
      'reports.schedules[0].recipients',
    );
    expect(bad({ sla: { availabilityPercent: 101 } })).toBe('reports.sla.availabilityPercent');
    expect(bad({ sla: { services: { api: { p95: 1 } } } })).toBe('reports.sla.services.api.p95');
    expect(bad({ other: 1 })).toBe('reports.other');
    expect(() => loadConfig({ VIGIL_SLA_P95_MILLIS: 'fast' })).toThrow(ConfigError);
  });
});
