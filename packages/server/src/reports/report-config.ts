import { REPORT_KINDS } from './report-model.js';
import type { ReportSchedule } from './report-scheduler.js';
import { DEFAULT_SLA, type SlaObjective, type SlaTargets } from './sla-report.js';

/** Config `reports` (`docs/config.md`, `docs/reports.md`). */
export interface ReportsConfig {
  /** SLA objectives: defaults for every service, overrides per service. */
  sla: SlaTargets;
  /** Reports mailed every day, week or month through an alerting email channel. */
  schedules: ReportSchedule[];
}

/** A bad `reports` setting; `setting` is its dotted path. `loadConfig` turns it into a ConfigError. */
export class ReportsConfigInvalid extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Default reports config: 99.9 % availability and P95 under 100 ms for every service.
 *
 * @example
 * defaultReportsConfig().sla.p95Millis; // 100
 */
export function defaultReportsConfig(): ReportsConfig {
  return { sla: { ...DEFAULT_SLA, services: {} }, schedules: [] };
}

function objective(raw: unknown, at: string, base: SlaObjective): SlaObjective {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ReportsConfigInvalid(at, 'must be an object');
  const o = raw as Record<string, unknown>;
  const out: SlaObjective = { availabilityPercent: base.availabilityPercent, p95Millis: base.p95Millis };
  for (const key of Object.keys(o)) {
    if (key === 'services' && at === 'reports.sla') continue;
    const v = o[key];
    if (key === 'availabilityPercent') {
      if (typeof v !== 'number' || !(v > 0 && v <= 100))
        throw new ReportsConfigInvalid(`${at}.${key}`, 'must be a number over 0 and at most 100');
      out.availabilityPercent = v;
    } else if (key === 'p95Millis') {
      if (typeof v !== 'number' || !(v > 0 && v <= 600_000))
        throw new ReportsConfigInvalid(`${at}.${key}`, 'must be a number over 0 and at most 600000');
      out.p95Millis = v;
    } else throw new ReportsConfigInvalid(`${at}.${key}`, 'is not a known setting');
  }
  return out;
}

/**
 * Parses the `reports` section of the config file; env `VIGIL_SLA_AVAILABILITY_PERCENT` and
 * `VIGIL_SLA_P95_MILLIS` override the default objectives.
 *
 * @example
 * parseReportsConfig({ sla: { p95Millis: 250, services: { payments: { availabilityPercent: 99.99 } } } }, {});
 */
export function parseReportsConfig(
  raw: Record<string, unknown>,
  env: Record<string, string | undefined>,
  emailChannels: readonly string[] = [],
): ReportsConfig {
  const c = defaultReportsConfig();
  c.schedules = parseSchedules(raw.schedules ?? [], emailChannels);
  for (const key of Object.keys(raw))
    if (key !== 'sla' && key !== 'schedules')
      throw new ReportsConfigInvalid(`reports.${key}`, 'is not a known setting');
  const sla = (raw.sla ?? {}) as Record<string, unknown>;
  const envSla: Record<string, number> = {};
  if (env.VIGIL_SLA_AVAILABILITY_PERCENT !== undefined)
    envSla.availabilityPercent = Number(env.VIGIL_SLA_AVAILABILITY_PERCENT);
  if (env.VIGIL_SLA_P95_MILLIS !== undefined) envSla.p95Millis = Number(env.VIGIL_SLA_P95_MILLIS);
  const base = objective({ ...sla, ...envSla }, 'reports.sla', c.sla);
  const services: Record<string, Partial<SlaObjective>> = {};
  const rawServices = sla.services ?? {};
  if (typeof rawServices !== 'object' || rawServices === null || Array.isArray(rawServices)) {
    throw new ReportsConfigInvalid('reports.sla.services', 'must be an object of service name to objectives');
  }
  for (const [name, o] of Object.entries(rawServices)) {
    services[name] = objective(o, `reports.sla.services.${name}`, base);
  }
  return { sla: { ...base, services }, schedules: c.schedules };
}

const EVERY = ['daily', 'weekly', 'monthly'];
const EMAIL = /^[^\s@<>,]+@[^\s@<>,]+$/;

function parseSchedules(raw: unknown, emailChannels: readonly string[]): ReportSchedule[] {
  if (!Array.isArray(raw)) throw new ReportsConfigInvalid('reports.schedules', 'must be a list');
  const names = new Set<string>();
  return raw.map((item: unknown, i): ReportSchedule => {
    const at = `reports.schedules[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new ReportsConfigInvalid(at, 'must be an object');
    const o = item as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (!['name', 'kind', 'every', 'format', 'channel', 'recipients'].includes(key)) {
        throw new ReportsConfigInvalid(`${at}.${key}`, 'is not a known setting');
      }
    }
    if (typeof o.name !== 'string' || !/^[a-z0-9][a-z0-9-]{0,40}$/.test(o.name) || names.has(o.name)) {
      throw new ReportsConfigInvalid(
        `${at}.name`,
        'must be a unique name of lowercase letters, digits and - (at most 41)',
      );
    }
    names.add(o.name);
    if (typeof o.kind !== 'string' || !(REPORT_KINDS as readonly string[]).includes(o.kind)) {
      throw new ReportsConfigInvalid(`${at}.kind`, `must be one of ${REPORT_KINDS.join(', ')}`);
    }
    if (typeof o.every !== 'string' || !EVERY.includes(o.every))
      throw new ReportsConfigInvalid(`${at}.every`, 'must be daily, weekly or monthly');
    const format = o.format ?? 'pdf';
    if (format !== 'pdf' && format !== 'csv' && format !== 'json')
      throw new ReportsConfigInvalid(`${at}.format`, 'must be pdf, csv or json');
    if (typeof o.channel !== 'string' || !emailChannels.includes(o.channel)) {
      throw new ReportsConfigInvalid(`${at}.channel`, 'must name an email channel of alerting.channels');
    }
    const recipients = o.recipients ?? [];
    if (!Array.isArray(recipients) || recipients.some((r) => typeof r !== 'string' || !EMAIL.test(r))) {
      throw new ReportsConfigInvalid(`${at}.recipients`, 'must be a list of email addresses');
    }
    return {
      name: o.name,
      kind: o.kind,
      every: o.every as ReportSchedule['every'],
      format,
      channel: o.channel,
      recipients: recipients as string[],
    };
  });
}
