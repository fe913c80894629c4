import { VigilError } from '@vigil/schema';
import { stringify } from 'csv-stringify/sync';
import { strToU8, zipSync } from 'fflate';
import type { Report, ReportTable } from './report-model.js';

/**
 * One report table as CSV (RFC 4180): a header of column keys, raw values (numbers unformatted,
 * times as epoch ms), empty cells for missing values.
 *
 * @example
 * tableCsv(report.tables.kpis); // 'label,value,previous,…\r\nAvailability,99.91,…'
 */
export function tableCsv(t: ReportTable): string {
  const keys = t.columns.map((c) => c.key);
  return stringify(
    t.rows.map((row) => keys.map((k) => row[k] ?? '')),
    { header: true, columns: keys, record_delimiter: 'windows' },
  );
}

/**
 * One named table of a report as CSV, or VIGIL_ERR_INVALID_QUERY naming the tables there are.
 *
 * @example
 * reportTableCsv(report, 'percentiles_by_phase');
 */
export function reportTableCsv(r: Report, name: string): string {
  const t = r.tables[name];
  if (t === undefined) {
    throw new VigilError('VIGIL_ERR_INVALID_QUERY', `table must be one of ${Object.keys(r.tables).join(', ')}`);
  }
  return tableCsv(t);
}

/**
 * Every table of a report as CSV files (`<kind>-<table>.csv`) in one zip archive.
 *
 * @example
 * await writeFile('performance.zip', reportZip(report));
 */
export function reportZip(r: Report): Buffer {
  const files: Record<string, Uint8Array> = {};
  for (const [name, t] of Object.entries(r.tables)) files[`${r.kind}-${name}.csv`] = strToU8(tableCsv(t));
  return Buffer.from(zipSync(files, { level: 6, mtime: new Date(r.generatedAt) }));
}
