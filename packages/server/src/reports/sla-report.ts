import type { AnalyticsRange } from '../analytics/analytics-queries.js';
import { loadWindow } from '../analytics/load-window.js';
import { requestAvailability, serviceUptime } from '../analytics/measures.js';
import { countOf, mergeDistribution, quantileOf, round } from '../analytics/rollup-math.js';
import type { IncidentRecord } from '../store/incident-records.js';
import type { RollupRecord, Store } from '../store/store.js';
import type { ReportChart, ReportColumn, ReportTable } from './report-model.js';

/** One service's objectives. */
export interface SlaObjective {
  /** Availability target, % (requests answered without a 5xx or network failure). */
  availabilityPercent: number;
  /** Response-time target: the range's API P95 must stay under it, ms. */
  p95Millis: number;
}

/** Config `reports.sla`: default objectives and per-service overrides. */
export interface SlaTargets extends SlaObjective {
  services: Record<string, Partial<SlaObjective>>;
}

/** The spec's targets: 99.9 % availability, P95 under 100 ms. */
export const DEFAULT_SLA: SlaTargets = { availabilityPercent: 99.9, p95Millis: 100, services: {} };

const FAILED = new Set(['5xx', 'net']);

/** One service's measured figures against its objectives. */
export interface ServiceCompliance {
  service: string;
  requests: number;
  failed: number;
  availability: number | null;
  availabilityTarget: number;
  p95: number | null;
  p95Target: number;
  /** Failures the availability target allows over the range. */
  budgetAllowed: number;
  /** Share of that budget still unspent, % (negative when overspent; null without requests). */
  budgetLeftPercent: number | null;
  availabilityMet: boolean | null;
  responseTimeMet: boolean | null;
}

/**
 * Compliance of one service from its API rollups (and `service.up` gauges, when a health check
 * of that name reports): the availability KPI's formula, the P95 of the merged sketches, and
 * the error budget `(1 − target) × requests`.
 *
 * @example
 * serviceCompliance('api', apiRows, [], DEFAULT_SLA).budgetLeftPercent; // 40
 */
export function serviceCompliance(
  service: string,
  api: readonly RollupRecord[],
  upGauges: readonly RollupRecord[],
  targets: SlaTargets,
): ServiceCompliance {
  const o = { ...targets, ...targets.services[service] };
  const requests = countOf(api);
  const failed = countOf(api, (k) => FAILED.has(k.statusClass));
  const known = [requestAvailability(api), serviceUptime(upGauges)].filter((v): v is number => v !== null);
  const availability = known.length === 0 ? null : Math.min(...known);
  const p95 = quantileOf(mergeDistribution(api), 0.95);
  const budgetAllowed = ((100 - o.availabilityPercent) / 100) * requests;
  const budgetLeft =
    requests === 0 ? null : budgetAllowed === 0 ? (failed === 0 ? 100 : -100) : 100 * (1 - failed / budgetAllowed);
  return {
    service,
    requests,
    failed,
    availability: round(availability, 3),
    availabilityTarget: o.availabilityPercent,
    p95: round(p95),
    p95Target: o.p95Millis,
    budgetAllowed: round(budgetAllowed) ?? 0,
    budgetLeftPercent: round(budgetLeft),
    availabilityMet: availability === null ? null : availability >= o.availabilityPercent,
    responseTimeMet: p95 === null ? null : p95 < o.p95Millis,
  };
}

/** Incidents that bear on a breached objective: the service's own, and the error-rate or latency ones. */
function related(incidents: readonly IncidentRecord[], service: string, objective: 'availability' | 'response time') {
  const signals = objective === 'availability' ? ['error_rate', `service_down:${service}`] : ['latency:api'];
  return incidents.filter((i) => signals.includes(i.signal) || i.title.includes(service));
}

/** Each missed objective with the incidents that bear on it. */
function breachRows(rows: readonly ServiceCompliance[], incidents: readonly IncidentRecord[]) {
  return rows.flatMap((c) => {
    const out: Record<string, string | number | null>[] = [];
    const add = (objective: 'availability' | 'response time', actual: number | null, target: number, unit: string) => {
      const list = related(incidents, c.service, objective);
      out.push({
        service: c.service,
        objective,
        actual: actual === null ? null : `${actual} ${unit}`,
        target: `${objective === 'availability' ? '≥' : '<'} ${target} ${unit}`,
        incidents: list.length === 0 ? 'none' : list.map((i) => `${i.title} (${i.severity}, ${i.status})`).join('; '),
      });
    };
    if (c.availabilityMet === false) add('availability', c.availability, c.availabilityTarget, '%');
    if (c.responseTimeMet === false) add('response time', c.p95, c.p95Target, 'ms');
    return out;
  });
}

/** The columns of the objectives table. */
const OBJECTIVE_COLUMNS: ReportColumn[] = [
  { key: 'service', label: 'Service', type: 'text' },
  { key: 'requests', label: 'Requests', type: 'int' },
  { key: 'failed', label: 'Failed', type: 'int' },
  { key: 'availability', label: 'Availability', type: 'percent' },
  { key: 'availabilityTarget', label: 'Target', type: 'percent' },
  { key: 'availabilityMet', label: 'Availability objective', type: 'text' },
  { key: 'p95', label: 'P95', type: 'ms' },
  { key: 'p95Target', label: 'P95 target', type: 'ms' },
  { key: 'responseTimeMet', label: 'Response-time objective', type: 'text' },
  { key: 'budgetAllowed', label: 'Failures allowed', type: 'number' },
  { key: 'budgetLeftPercent', label: 'Error budget left', type: 'percent' },
];

const yesNo = (v: boolean | null): string => (v === null ? 'no data' : v ? 'met' : 'missed');

/**
 * The SLA report's tables: objectives per service, breaches with their incidents, and a chart
 * of the error budget left.
 *
 * @example
 * const { tables } = await slaTables(store, range, DEFAULT_SLA);
 */
export async function slaTables(
  store: Store,
  r: AnalyticsRange,
  targets: SlaTargets,
): Promise<{ tables: Record<string, ReportTable>; charts: ReportChart[] }> {
  const [data, incidents] = await Promise.all([
    loadWindow(store, { ...r, metrics: ['api', 'gauge'] }),
    store.listIncidents({ project: r.project, from: r.from, to: r.to, limit: 10_000 }),
  ]);
  const services = [...new Set(data.rollups.api.map((a) => a.key.service))].sort();
  const rows = services.map((s) =>
    serviceCompliance(
      s,
      data.rollups.api.filter((a) => a.key.service === s),
      data.rollups.gauge.filter((g) => g.key.name === 'service.up' && g.key.service === s),
      targets,
    ),
  );
  const breaches = breachRows(rows, incidents);
  return {
    tables: {
      objectives: {
        title: 'Objectives per service',
        columns: OBJECTIVE_COLUMNS,
        rows: rows.map((c) => ({
          ...c,
          availabilityMet: yesNo(c.availabilityMet),
          responseTimeMet: yesNo(c.responseTimeMet),
        })),
      },
      breaches: {
        title: 'Breaches and their incidents',
        columns: [
          { key: 'service', label: 'Service', type: 'text' },
          { key: 'objective', label: 'Objective', type: 'text' },
          { key: 'actual', label: 'Actual', type: 'text' },
          { key: 'target', label: 'Target', type: 'text' },
          { key: 'incidents', label: 'Incidents', type: 'text' },
        ],
        rows: breaches,
      },
    },
    charts: [
      {
        title: 'Error budget left per service',
        type: 'bar',
        table: 'objectives',
        x: 'service',
        y: 'budgetLeftPercent',
        yLabel: 'budget left (%)',
      },
    ],
  };
}
