import { kpisFor, percentilesFor, recommendationsFor, scoreFor, trendFor } from '../analytics/analytics-queries.js';
import type { PercentileRow } from '../analytics/trends.js';
import { errorParts } from './error-report.js';
import type { ReportContext, ReportParts } from './report-context.js';
import { kpiTable, type Report, type ReportKind, type ReportTable } from './report-model.js';
import { slaTables } from './sla-report.js';
import { uxParts } from './ux-report.js';

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

/** The performance score components with their weights. */
function scoreTable(score: Awaited<ReturnType<typeof scoreFor>>): ReportTable {
  return {
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
  };
}

async function performance(c: ReportContext): Promise<ReportParts> {
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
      score_components: scoreTable(score),
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

async function optimization(c: ReportContext): Promise<ReportParts> {
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

const BUILDERS: Record<ReportKind, (c: ReportContext) => Promise<ReportParts>> = {
  performance,
  error: errorParts,
  'user-experience': uxParts,
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
