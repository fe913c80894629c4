import type { Kpi } from '@vigil/schema';
import type { WindowMeasures } from './measures.js';
import { round } from './rollup-math.js';

// The KPI shape is the API's, declared once in @vigil/schema.
export type { Kpi };

interface KpiDef {
  key: keyof WindowMeasures;
  label: string;
  unit: Kpi['unit'];
  higherIsBetter: boolean;
  business: boolean;
}

/** The seven operational KPIs, then the spec's business KPIs. */
const DEFS: readonly KpiDef[] = [
  { key: 'availability', label: 'Availability', unit: '%', higherIsBetter: true, business: false },
  { key: 'p95ResponseMillis', label: 'P95 API response time', unit: 'ms', higherIsBetter: false, business: false },
  { key: 'errorRate', label: 'Error rate', unit: '%', higherIsBetter: false, business: false },
  { key: 'requestsPerMinute', label: 'Throughput', unit: 'req/min', higherIsBetter: true, business: false },
  { key: 'cacheHitRate', label: 'Cache hit rate', unit: '%', higherIsBetter: true, business: false },
  { key: 'activeUsers', label: 'Active users', unit: 'users', higherIsBetter: true, business: false },
  { key: 'satisfaction', label: 'User satisfaction', unit: 'score', higherIsBetter: true, business: false },
  { key: 'courseCompletion', label: 'Course completion', unit: '%', higherIsBetter: true, business: true },
  { key: 'videoEngagement', label: 'Video engagement', unit: '%', higherIsBetter: true, business: true },
  { key: 'pwaInstallRate', label: 'PWA install rate', unit: '%', higherIsBetter: true, business: true },
];

/** Relative change under which a KPI counts as flat. */
const FLAT_RATIO = 0.01;

/**
 * Compares one measure between two periods.
 *
 * @example
 * compare(120, 100, false); // { change: 20, changePercent: 20, trend: 'up', good: false }
 */
export function compare(
  value: number | null,
  previous: number | null,
  higherIsBetter: boolean,
): Pick<Kpi, 'change' | 'changePercent' | 'trend' | 'good'> {
  if (value === null || previous === null) return { change: null, changePercent: null, trend: 'flat', good: null };
  const change = value - previous;
  const changePercent = previous === 0 ? null : (100 * change) / Math.abs(previous);
  const flat = previous === 0 ? change === 0 : Math.abs(change) < FLAT_RATIO * Math.abs(previous);
  if (flat) return { change: round(change), changePercent: round(changePercent), trend: 'flat', good: null };
  const trend = change > 0 ? 'up' : 'down';
  return { change: round(change), changePercent: round(changePercent), trend, good: change > 0 === higherIsBetter };
}

/**
 * The KPI dashboard: seven operational KPIs and three business ones, each compared with the
 * previous period of the same length. Values are rounded to two decimals after comparing.
 *
 * @example
 * const kpis = computeKpis(measureWindow(current), measureWindow(previous));
 * kpis.operational[0]; // { key: 'availability', value: 99.42, previous: 99.9, trend: 'down', good: false, … }
 */
export function computeKpis(
  current: WindowMeasures,
  previous: WindowMeasures,
): { operational: Kpi[]; business: Kpi[] } {
  const all = DEFS.map((def): Kpi & { business: boolean } => {
    const value = current[def.key];
    const before = previous[def.key];
    const kpi: Kpi & { business: boolean } = {
      key: def.key,
      label: def.label,
      unit: def.unit,
      value: round(value),
      previous: round(before),
      ...compare(value, before, def.higherIsBetter),
      business: def.business,
    };
    if (def.key === 'activeUsers')
      kpi.detail = { sessions: current.activeSessions, previousSessions: previous.activeSessions };
    if (def.key === 'availability') {
      kpi.detail = {
        requestAvailability: round(current.requestAvailability),
        serviceUptime: round(current.serviceUptime),
      };
    }
    return kpi;
  });
  const strip = ({ business: _b, ...k }: Kpi & { business: boolean }): Kpi => k;
  return { operational: all.filter((k) => !k.business).map(strip), business: all.filter((k) => k.business).map(strip) };
}
