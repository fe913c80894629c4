import { errorAnalysisFor } from '../analytics/analytics-queries.js';
import { responseTimes } from '../analytics/mttr.js';
import type { IncidentRecord } from '../store/incident-records.js';
import type { ReportContext, ReportParts } from './report-context.js';
import type { ReportTable } from './report-model.js';

/** Most incidents a report lists (the MTTR route's limit). */
const INCIDENT_LIMIT = 10_000;
/** How long a group must have been quiet to count as regressed (the API's default). */
const QUIET_MILLIS = 24 * 3_600_000;

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

/** Milliseconds as minutes with two decimals. */
const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 600) / 100);

/** MTTR and MTTA, overall and per severity, in minutes. */
function mttrTable(times: ReturnType<typeof responseTimes>): ReportTable {
  return {
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
  };
}

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

/**
 * The error report's tables: errors by kind and phase, top, new and regressed groups, the
 * incidents overlapping the range and MTTR/MTTA of those opened in it.
 *
 * @example
 * const { tables } = await errorParts(context);
 */
export async function errorParts(c: ReportContext): Promise<ReportParts> {
  const r = c.range;
  const [analysis, incidents] = await Promise.all([
    errorAnalysisFor(c.store, r, QUIET_MILLIS),
    c.store.listIncidents({ project: r.project, from: r.from, to: r.to, limit: INCIDENT_LIMIT }),
  ]);
  const times = responseTimes(incidents, r.from, r.to);
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
      mttr: mttrTable(times),
    },
    charts: [
      { title: 'Errors by kind', type: 'bar', table: 'errors_by_kind', x: 'kind', y: 'count', yLabel: 'errors' },
    ],
  };
}
