import { VigilError } from '@vigil/schema';
import { analyticsRange } from '../analytics/analytics-queries.js';
import type { Store } from '../store/store.js';
import { buildReport } from './report-builders.js';
import { REPORT_KINDS, type Report, type ReportKind } from './report-model.js';
import { type RenderedReport, type ReportFormat, renderReport } from './report-output.js';
import type { SlaTargets } from './sla-report.js';

/** What a report request names. */
export interface ReportRequest {
  kind: string;
  project: string;
  from: number;
  to: number;
  format: string;
  /** CSV only: one table instead of the zip of all. */
  table?: string;
  onProgress?: (done: number, total: number) => void;
  /** The generation time (default the service's clock): the scheduler passes its own. */
  now?: number;
}

const FORMATS = new Set(['json', 'csv', 'pdf']);

/**
 * Builds and renders reports; the HTTP route and the `vigil report` command both go through it,
 * so they resolve ranges exactly as the analytics API does.
 *
 * @example
 * const reports = new ReportService({ store, sla, detailedMillis, now: Date.now });
 * const { body, contentType } = await reports.generate({ kind: 'sla', project, from, to, format: 'pdf' });
 */
export class ReportService {
  constructor(private readonly o: { store: Store; sla: SlaTargets; detailedMillis: number; now: () => number }) {}

  /** The report's data (the JSON shape), validating the kind. */
  async build(req: Omit<ReportRequest, 'format'>): Promise<Report> {
    if (!(REPORT_KINDS as readonly string[]).includes(req.kind)) {
      throw new VigilError('VIGIL_ERR_NOT_FOUND', `report kind must be one of ${REPORT_KINDS.join(', ')}`);
    }
    const now = req.now ?? this.o.now();
    const range = analyticsRange(req.project, req.from, req.to, now, this.o.detailedMillis);
    return buildReport(req.kind as ReportKind, {
      store: this.o.store,
      range,
      now,
      detailedMillis: this.o.detailedMillis,
      sla: this.o.sla,
      ...(req.onProgress ? { onProgress: req.onProgress } : {}),
    });
  }

  /** The report rendered in the requested format. */
  async generate(req: ReportRequest): Promise<RenderedReport & { report: Report }> {
    if (!FORMATS.has(req.format)) throw new VigilError('VIGIL_ERR_INVALID_QUERY', 'format must be json, csv or pdf');
    if (req.table !== undefined && req.format !== 'csv') {
      throw new VigilError('VIGIL_ERR_INVALID_QUERY', 'table applies to format=csv only');
    }
    const report = await this.build(req);
    return { report, ...(await renderReport(report, req.format as ReportFormat, req.table)) };
  }
}
