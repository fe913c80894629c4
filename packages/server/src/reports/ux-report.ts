import { uxFor } from '../analytics/analytics-queries.js';
import { loadWindow } from '../analytics/load-window.js';
import { pageVitals } from '../analytics/recommendations.js';
import { VITAL_BANDS } from '../analytics/score.js';
import type { ReportContext, ReportParts } from './report-context.js';
import type { ReportTable } from './report-model.js';

function vitalRating(vital: string, p75: number): string {
  const band = VITAL_BANDS[vital];
  if (band === undefined) return 'n/a';
  return p75 <= band.good ? 'good' : p75 <= band.poor ? 'needs improvement' : 'poor';
}

/** Web vitals at P75 per page and vital, rated with the score bands. */
function vitalsTable(vitals: Awaited<ReturnType<typeof loadWindow>>): ReportTable {
  return {
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
  };
}

/** Session figures of the range, one measure a row. */
function sessionsTable(ux: Awaited<ReturnType<typeof uxFor>>): ReportTable {
  return {
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
  };
}

/**
 * The user-experience report's tables: sessions, engagement by phase, satisfaction and web
 * vitals at P75 per page, rated with the performance score's bands.
 *
 * @example
 * const { tables } = await uxParts(context);
 */
export async function uxParts(c: ReportContext): Promise<ReportParts> {
  const r = c.range;
  const [ux, vitals] = await Promise.all([uxFor(c.store, r), loadWindow(c.store, { ...r, metrics: ['vital'] })]);
  return {
    title: 'User experience report',
    tables: {
      sessions: sessionsTable(ux),
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
      web_vitals: vitalsTable(vitals),
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
