import { reportTableCsv, reportZip } from './report-csv.js';
import { formatTime, type Report } from './report-model.js';
import { renderPdf } from './report-pdf.js';

/** The report formats. */
export type ReportFormat = 'json' | 'csv' | 'pdf';

/** A rendered report: bytes, content type and a file name for `Content-Disposition`. */
export interface RenderedReport {
  body: Buffer;
  contentType: string;
  fileName: string;
}

/**
 * Renders a report in a format: JSON (pretty, versioned shape), CSV (one table with `table`,
 * else a zip of every table) or PDF.
 *
 * @example
 * const { body, contentType, fileName } = await renderReport(report, 'pdf');
 */
export async function renderReport(r: Report, format: ReportFormat, table?: string): Promise<RenderedReport> {
  const stem = `vigil-${r.kind}-${formatTime(r.range.from).slice(0, 10)}-${formatTime(r.range.to).slice(0, 10)}`;
  if (format === 'json') {
    return {
      body: Buffer.from(`${JSON.stringify(r, null, 2)}\n`),
      contentType: 'application/json; charset=utf-8',
      fileName: `${stem}.json`,
    };
  }
  if (format === 'pdf') return { body: await renderPdf(r), contentType: 'application/pdf', fileName: `${stem}.pdf` };
  if (table !== undefined) {
    return {
      body: Buffer.from(reportTableCsv(r, table)),
      contentType: 'text/csv; charset=utf-8',
      fileName: `${stem}-${table}.csv`,
    };
  }
  return { body: reportZip(r), contentType: 'application/zip', fileName: `${stem}.zip` };
}
