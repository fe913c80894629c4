import {
  type AnalyticsRange,
  errorAnalysisFor,
  kpisFor,
  percentilesFor,
  recommendationsFor,
  scoreFor,
  trendFor,
  uxFor,
} from '../analytics/analytics-queries.js';
import { loadWindow } from '../analytics/load-window.js';
import { responseTimes } from '../analytics/mttr.js';
import { pageVitals } from '../analytics/recommendations.js';
import { VITAL_BANDS } from '../analytics/score.js';
import type { PercentileRow } from '../analytics/trends.js';
import type { IncidentRecord } from '../store/incident-records.js';
import type { Store } from '../store/store.js';
import { kpiTable, type Report, type ReportChart, type ReportKind, type ReportTable } from './report-model.js';
import { type SlaTargets, slaTables } from './sla-report.js';

/** Most incidents a report lists (the MTTR route's limit). */
const INCIDENT_LIMIT = 10_000;
/** How long a group must have been quiet to count as regressed (the API's default). */
const QUIET_MILLIS = 24 * 3_600_000;

/** What a report is built from. */
export interface ReportContext {
  store: Store;
  range: AnalyticsRange;
  now: number;
  detailedMillis: number;
  sla: SlaTargets;
  /** Called after each step with (done, total), for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

type Parts = { title: string; tables: Record<string, ReportTable>; charts: ReportChart[] };

const latencyColumns = [
  { key: 'count', label: 'Calls', type: 'int' as const },
  { key: 'throughputPerMinute', label: 'Per minute', type: 'number' as const },
  { key: 'p50', label: 'P50', type: 'ms' as const },
  { key: 'p95', label: 'P95', type: 'ms' as const },
  { key: 'p99', label: 'P99', type: 'ms' as const },
];

function latencyTable(title: string, label: string, rows: readonly PercentileRow[]): ReportTable {
  return {
    title,
    columns: [{ key: 'key', label, type: 'text' }, ...latencyColumns],
    rows: rows.map((r) => ({
      key: r.key,
      count: r.count,
      throughputPerMinute: r.throughputPerMinute,
      p50: r.p50,
      p95: r.p95,
      p99: r.p99,
    })),
  };
}

async function performance(c: ReportContext): Promise<Parts> {
  const r = c.range;
  const trend = (stat: 'count' | 'p95') =>
    trendFor(c.store, r, c.now, c.detailedMillis, { filters: { metric: 'api' }, stat, threshold: null });
  const [byPhase, byOperation, score, counts, p95s] = await Promise.all([
    percentilesFor(c.store, r, 'phase'),
    percentilesFor(c.store, r, 'operation'),
    scoreFor(c.store, r),
    trend('count'),
    trend('p95'),
  ]);
  const minutesPerStep = counts.step / 60_000;
  return {
    title: 'Performance report',
    tables: {
      score_components: {
        title: 'Performance score components',
        columns: [
          { key: 'component', label: 'Component', type: 'text' },
          { key: 'score', label: 'Score', type: 'number' },
          { key: 'weight', label: 'Weight', type: 'number' },
          { key: 'effectiveWeight', label: 'Effective weight', type: 'number' },
        ],
        rows: score.components.map((s) => ({
          component: s.key,
          score: s.score,
          weight: s.weight,
          effectiveWeight: s.effectiveWeight,
        })),
      },
      percentiles_by_phase: latencyTable('Latency by phase', 'Phase', byPhase),
      percentiles_by_route: latencyTable(
        'API latency by route',
        'Route',
        byOperation.filter((o) => o.phase === 'api'),
      ),
      api_trend: {
        title: `API throughput and P95 over time (${minutesPerStep}-minute buckets)`,
        columns: [
          { key: 'ts', label: 'Bucket start (UTC)', type: 'time' },
          { key: 'requests', label: 'Requests', type: 'int' },
          { key: 'p95', label: 'P95', type: 'ms' },
        ],
        rows: counts.points.map((p, i) => ({ ts: p.ts, requests: p.value ?? 0, p95: p95s.points[i]?.value ?? null })),
      },
    },
    charts: [
      {
        title: 'P95 latency by phase',
        type: 'bar',
        table: 'percentiles_by_phase',
        x: 'key',
        y: 'p95',
        yLabel: 'P95 (ms)',
      },
      {
        title: 'API requests per bucket',
        type: 'line',
        table: 'api_trend',
        x: 'ts',
        y: 'requests',
        yLabel: 'requests',
      },
      { title: 'API P95 over time', type: 'line', table: 'api_trend', x: 'ts', y: 'p95', yLabel: 'P95 (ms)' },
    ],
  };
}

const groupColumns = [
  { key: 'fingerprint', label: 'Group', type: 'text' as const },
  { key: 'kind', label: 'Kind', type: 'text' as const },
  { key: 'message', label: 'Message', type: 'text' as const },
  { key: 'count', label: 'Count', type: 'int' as const },
  { key: 'firstSeen', label: 'First seen', type: 'time' as const },
  { key: 'lastSeen', label: 'Last seen', type: 'time' as const },
];

type GroupLike = {
  fingerprint: string;
  kind: string;
  message: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
};
const groupRow = (g: GroupLike) => ({
  fingerprint: g.fingerprint.slice(0, 12),
  kind: g.kind,
  message: g.message.slice(0, 120),
  count: g.count,
  firstSeen: g.firstSeen,
  lastSeen: g.lastSeen,
});

function incidentTable(incidents: readonly IncidentRecord[]): ReportTable {
  return {
    title: 'Incidents',
    columns: [
      { key: 'title', label: 'Incident', type: 'text' },
      { key: 'severity', label: 'Severity', type: 'text' },
      { key: 'status', label: 'Status', type: 'text' },
      { key: 'openedAt', label: 'Opened', type: 'time' },
      { key: 'resolvedAt', label: 'Resolved', type: 'time' },
      { key: 'minutesToResolve', label: 'Minutes to resolve', type: 'number' },
    ],
    rows: incidents.map((i) => ({
      title: i.title,
      severity: i.severity,
      status: i.status,
      openedAt: i.openedAt,
      resolvedAt: i.resolvedAt,
      minutesToResolve: i.resolvedAt === null ? null : Math.round((i.resolvedAt - i.openedAt) / 600) / 100,
    })),
  };
}

async function errors(c: ReportContext): Promise<Parts> {
  const r = c.range;
  const [analysis, incidents] = await Promise.all([
    errorAnalysisFor(c.store, r, QUIET_MILLIS),
    c.store.listIncidents({ project: r.project, from: r.from, to: r.to, limit: INCIDENT_LIMIT }),
  ]);
  const times = responseTimes(incidents, r.from, r.to);
  const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 600) / 100);
  return {
    title: 'Error report',
    tables: {
      errors_by_kind: {
        title: `Errors by kind (${analysis.total} in total)`,
        columns: [
          { key: 'kind', label: 'Kind', type: 'text' },
          { key: 'count', label: 'Errors', type: 'int' },
        ],
        rows: Object.entries(analysis.byKind).map(([kind, count]) => ({ kind, count })),
      },
      errors_by_phase: {
        title: 'Errors by phase',
        columns: [
          { key: 'phase', label: 'Phase', type: 'text' },
          { key: 'count', label: 'Errors', type: 'int' },
        ],
        rows: Object.entries(analysis.byPhase).map(([phase, count]) => ({ phase, count })),
      },
      top_groups: {
        title: 'Top error groups',
        columns: [...groupColumns, { key: 'trend', label: 'Trend', type: 'text' }],
        rows: analysis.top.map((g) => ({ ...groupRow(g), trend: g.trend })),
      },
      new_groups: { title: 'New error groups', columns: groupColumns, rows: analysis.newGroups.map(groupRow) },
      regressed_groups: {
        title: 'Regressed error groups',
        columns: [...groupColumns, { key: 'returnedAt', label: 'Returned', type: 'time' }],
        rows: analysis.regressedGroups.map((g) => ({ ...groupRow(g), returnedAt: g.returnedAt })),
      },
      incidents: incidentTable(incidents),
      mttr: {
        title: 'Time to acknowledge and resolve (incidents opened in the range)',
        columns: [
          { key: 'severity', label: 'Severity', type: 'text' },
          { key: 'incidents', label: 'Incidents', type: 'int' },
          { key: 'resolved', label: 'Resolved', type: 'int' },
          { key: 'mttrMinutes', label: 'MTTR (min)', type: 'number' },
          { key: 'mttaMinutes', label: 'MTTA (min)', type: 'number' },
        ],
        rows: [['overall', times.overall] as const, ...Object.entries(times.bySeverity)].map(([severity, t]) => ({
          severity,
          incidents: t.incidents,
          resolved: t.resolved,
          mttrMinutes: minutes(t.mttrMillis),
          mttaMinutes: minutes(t.mttaMillis),
        })),
      },
    },
    charts: [
      { title: 'Errors by kind', type: 'bar', table: 'errors_by_kind', x: 'kind', y: 'count', yLabel: 'errors' },
    ],
  };
}

function vitalRating(vital: string, p75: number): string {
  const band = VITAL_BANDS[vital];
  if (band === undefined) return 'n/a';
  return p75 <= band.good ? 'good' : p75 <= band.poor ? 'needs improvement' : 'poor';
}

async function userExperience(c: ReportContext): Promise<Parts> {
  const r = c.range;
  const [ux, vitals] = await Promise.all([uxFor(c.store, r), loadWindow(c.store, { ...r, metrics: ['vital'] })]);
  return {
    title: 'User experience report',
    tables: {
      sessions: {
        title: 'Sessions',
        columns: [
          { key: 'measure', label: 'Measure', type: 'text' },
          { key: 'value', label: 'Value', type: 'number' },
        ],
        rows: [
          { measure: 'Sessions started', value: ux.sessionsStarted },
          { measure: 'Distinct sessions (estimate)', value: ux.distinctSessions },
          { measure: 'Distinct users (estimate)', value: ux.distinctUsers },
          {
            measure: 'Average session length (s)',
            value: ux.avgSessionMillis === null ? null : ux.avgSessionMillis / 1000,
          },
          { measure: 'Actions per session', value: ux.actionsPerSession },
          { measure: 'Ratings', value: ux.satisfaction.ratings },
          { measure: 'Average satisfaction (1-5)', value: ux.satisfaction.average },
        ],
      },
      engagement_by_phase: {
        title: 'Engagement by phase',
        columns: [
          { key: 'phase', label: 'Phase', type: 'text' },
          { key: 'actions', label: 'Actions', type: 'int' },
          { key: 'share', label: 'Share', type: 'percent' },
        ],
        rows: ux.engagementByPhase.map((e) => ({ ...e })),
      },
      satisfaction: {
        title: 'Satisfaction ratings',
        columns: [
          { key: 'score', label: 'Score', type: 'text' },
          { key: 'ratings', label: 'Ratings', type: 'int' },
        ],
        rows: Object.entries(ux.satisfaction.distribution).map(([score, ratings]) => ({
          score: `${score} of 5`,
          ratings,
        })),
      },
      web_vitals: {
        title: 'Web vitals at P75 by page',
        columns: [
          { key: 'page', label: 'Page', type: 'text' },
          { key: 'vital', label: 'Vital', type: 'text' },
          { key: 'p75', label: 'P75', type: 'number' },
          { key: 'samples', label: 'Samples', type: 'int' },
          { key: 'rating', label: 'Rating', type: 'text' },
        ],
        rows: pageVitals(vitals.rollups.vital).map((v) => ({
          page: v.page,
          vital: v.vital,
          p75: v.p75,
          samples: v.count,
          rating: vitalRating(v.vital, v.p75),
        })),
      },
    },
    charts: [
      {
        title: 'Actions by phase',
        type: 'bar',
        table: 'engagement_by_phase',
        x: 'phase',
        y: 'actions',
        yLabel: 'actions',
      },
      {
        title: 'Satisfaction ratings',
        type: 'bar',
        table: 'satisfaction',
        x: 'score',
        y: 'ratings',
        yLabel: 'ratings',
      },
    ],
  };
}

async function optimization(c: ReportContext): Promise<Parts> {
  const recs = await recommendationsFor(c.store, c.range);
  return {
    title: 'Optimization report',
    tables: {
      recommendations: {
        title: 'Recommendations (highest priority first)',
        columns: [
          { key: 'priority', label: 'Priority', type: 'text' },
          { key: 'rule', label: 'Rule', type: 'text' },
          { key: 'title', label: 'Finding', type: 'text' },
          { key: 'evidence', label: 'Evidence', type: 'text' },
        ],
        rows: recs.map((x) => ({
          priority: x.priority,
          rule: x.rule,
          title: x.title,
          evidence: Object.entries(x.evidence)
            .map(([k, v]) => `${k}=${v ?? 'none'}`)
            .join('; '),
        })),
      },
    },
    charts: [],
  };
}

const BUILDERS: Record<ReportKind, (c: ReportContext) => Promise<Parts>> = {
  performance,
  error: errors,
  'user-experience': userExperience,
  sla: async (c) => ({ title: 'SLA compliance report', ...(await slaTables(c.store, c.range, c.sla)) }),
  optimization,
};

/**
 * Builds one report over a range from the analytics functions the API uses (one source of
 * numbers): the executive summary (score and KPIs) and the kind's tables and charts.
 *
 * @example
 * const report = await buildReport('performance', { store, range, now, detailedMillis, sla });
 * report.tables.percentiles_by_phase.rows[0]; // { key: 'api', count: 1200, p95: 410, … }
 */
export async function buildReport(kind: ReportKind, c: ReportContext): Promise<Report> {
  const total = 3;
  c.onProgress?.(0, total);
  const [score, kpis] = await Promise.all([scoreFor(c.store, c.range), kpisFor(c.store, c.range)]);
  c.onProgress?.(1, total);
  const parts = await BUILDERS[kind](c);
  c.onProgress?.(2, total);
  const all = [...kpis.operational, ...kpis.business];
  const report: Report = {
    version: 1,
    kind,
    title: parts.title,
    project: c.range.project,
    range: { from: c.range.from, to: c.range.to, resolution: c.range.resolution },
    generatedAt: c.now,
    summary: { score: score.score, kpis: all },
    tables: { kpis: kpiTable(all), ...parts.tables },
    charts: parts.charts,
  };
  c.onProgress?.(3, total);
  return report;
}
