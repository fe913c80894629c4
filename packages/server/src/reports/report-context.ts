import type { AnalyticsRange } from '../analytics/analytics-queries.js';
import type { Store } from '../store/store.js';
import type { ReportChart, ReportTable } from './report-model.js';
import type { SlaTargets } from './sla-report.js';

export interface ReportContext {
  store: Store;
  range: AnalyticsRange;
  now: number;
  detailedMillis: number;
  sla: SlaTargets;
  /** Called after each step with (done, total), for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

/** What each kind contributes to a report. */
export type ReportParts = { title: string; tables: Record<string, ReportTable>; charts: ReportChart[] };
