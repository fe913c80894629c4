import type { Alert } from '@vigil/schema';

/** The columns of the CSV export, in order. */
export const CSV_COLUMNS = [
  'id',
  'title',
  'severity',
  'type',
  'status',
  'value',
  'threshold',
  'pendingSince',
  'firedAt',
  'acknowledgedAt',
  'acknowledgedBy',
  'resolvedAt',
  'incidentId',
] as const;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // A spreadsheet would run a leading = + - @ as a formula; a quote mark keeps it text.
  if (/^[=+\-@]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The alerts as CSV (RFC 4180, header row, times in epoch ms).
 *
 * @example
 * alertsCsv([alert]); // 'id,title,…\r\na1,CPU above 80 %,…\r\n'
 */
export function alertsCsv(alerts: readonly Alert[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const a of alerts) rows.push(CSV_COLUMNS.map((c) => cell(a[c])).join(','));
  return `${rows.join('\r\n')}\r\n`;
}

/**
 * The alerts as pretty JSON: `{ exportedAt, count, alerts }`.
 *
 * @example
 * JSON.parse(alertsJson([alert], 0)).count; // 1
 */
export function alertsJson(alerts: readonly Alert[], exportedAt = Date.now()): string {
  return `${JSON.stringify({ exportedAt, count: alerts.length, alerts }, null, 2)}\n`;
}

/**
 * Offers `text` as a file download.
 *
 * @example
 * download('alerts.csv', 'text/csv', alertsCsv(list));
 */
export function download(filename: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
