import type { HealthResultRecord } from '../store/store.js';
import type { SystemReading } from './system-sampler.js';

/** A service's status: `unknown` until its first run. */
export type ServiceStatus = HealthResultRecord['status'] | 'unknown';

/**
 * The status after `consecutiveFailures` failed runs in a row: 0 → up, fewer than `retries` →
 * degraded, `retries` or more → down.
 *
 * @example
 * statusAfter(2, 3); // 'degraded'
 */
export function statusAfter(consecutiveFailures: number, retries: number): HealthResultRecord['status'] {
  if (consecutiveFailures === 0) return 'up';
  return consecutiveFailures < retries ? 'degraded' : 'down';
}

/**
 * Sample-weighted uptime: the % of runs in the range that succeeded (checks run at a fixed
 * interval, so this is also the % of time up, to within one interval). Null with no runs.
 *
 * @example
 * uptimePercent(7, 8); // 87.5
 */
export function uptimePercent(ok: number, total: number): number | null {
  return total === 0 ? null : Math.round((ok / total) * 1e6) / 1e4;
}

/** One entry of a health+json `checks` list. */
export interface HealthJsonEntry {
  componentId?: string;
  componentType?: string;
  status: 'pass' | 'warn' | 'fail';
  observedValue?: number;
  observedUnit?: string;
  time: string;
  output?: string;
}

/** The body of `GET /api/v1/health` (draft-inadarei-api-health-check). */
export interface HealthJson {
  status: 'pass' | 'warn' | 'fail';
  serviceId: string;
  description: string;
  checks: Record<string, HealthJsonEntry[]>;
}

/** The latest state of one service check, as the scheduler holds it. */
export interface ServiceState {
  name: string;
  kind: string;
  status: ServiceStatus;
  last: HealthResultRecord | null;
}

/** Warn thresholds of the host readings (the spec's defaults: memory and CPU 80 %, disk 85 %). */
export const SYSTEM_THRESHOLDS = { cpuPercent: 80, memoryPercent: 80, diskPercent: 85 } as const;

const SERVICE_STATUS: Record<ServiceStatus, HealthJsonEntry['status']> = {
  up: 'pass',
  degraded: 'warn',
  down: 'fail',
  unknown: 'warn',
};
const RANK = { pass: 0, warn: 1, fail: 2 } as const;

function systemEntries(r: SystemReading): Record<string, HealthJsonEntry[]> {
  const time = new Date(r.ts).toISOString();
  const pct = (value: number, limit: number, componentId?: string): HealthJsonEntry => ({
    ...(componentId === undefined ? {} : { componentId }),
    componentType: 'system',
    status: value >= limit ? 'warn' : 'pass',
    observedValue: Math.round(value * 100) / 100,
    observedUnit: 'percent',
    time,
    ...(value >= limit ? { output: `at or above ${limit} %` } : {}),
  });
  return {
    'cpu:utilization': [pct(r.cpuPercent, SYSTEM_THRESHOLDS.cpuPercent)],
    'memory:utilization': [pct(r.memoryPercent, SYSTEM_THRESHOLDS.memoryPercent)],
    'disk:utilization': r.disks.map((d) => pct(d.percent, SYSTEM_THRESHOLDS.diskPercent, d.mount)),
    uptime: [
      { componentType: 'system', status: 'pass', observedValue: Math.round(r.uptimeSeconds), observedUnit: 's', time },
    ],
  };
}

/**
 * The health+json document: one `<check>:responseTime` entry per service check (up → pass,
 * degraded or not yet run → warn, down → fail) and the host readings against
 * {@link SYSTEM_THRESHOLDS}. The overall status is the worst entry.
 *
 * @example
 * const body = healthJson(scheduler.states(), sampler.latest, Date.now());
 */
export function healthJson(services: ServiceState[], system: SystemReading | undefined, now: number): HealthJson {
  const checks: Record<string, HealthJsonEntry[]> = {};
  for (const s of services) {
    const entry: HealthJsonEntry = {
      componentType: s.kind,
      status: SERVICE_STATUS[s.status],
      time: new Date(s.last?.ts ?? now).toISOString(),
      output: s.last === null ? 'not checked yet' : `${s.status}${s.last.detail ? `: ${s.last.detail}` : ''}`,
    };
    if (s.last !== null) {
      entry.observedValue = s.last.latencyMillis;
      entry.observedUnit = 'ms';
    }
    checks[`${s.name}:responseTime`] = [entry];
  }
  if (system !== undefined) Object.assign(checks, systemEntries(system));
  let status: HealthJson['status'] = 'pass';
  for (const entries of Object.values(checks)) {
    for (const e of entries) if (RANK[e.status] > RANK[status]) status = e.status;
  }
  return { status, serviceId: 'vigil', description: 'Vigil collector and the services it checks', checks };
}
