import type { Kpi } from '../analytics/kpis.js';

/** The report kinds. */
export const REPORT_KINDS = ['performance', 'error', 'user-experience', 'sla', 'optimization'] as const;
/** One of {@link REPORT_KINDS}. */
export type ReportKind = (typeof REPORT_KINDS)[number];

/** How a column's values are written in the PDF (JSON and CSV keep the raw values). */
export type ColumnType = 'text' | 'int' | 'number' | 'percent' | 'ms' | 'time';

/** One column of a report table. */
export interface ReportColumn {
  key: string;
  label: string;
  type: ColumnType;
}

/** A report table: the unit of CSV export (one file each) and of the PDF's tables. */
export interface ReportTable {
  title: string;
  columns: ReportColumn[];
  rows: Record<string, string | number | null>[];
}

/** A chart drawn from one table: bars per row, or a line over a time column. */
export interface ReportChart {
  title: string;
  type: 'bar' | 'line';
  table: string;
  /** The label (bar) or time (line) column. */
  x: string;
  /** The value column. */
  y: string;
  /** Axis label of the values, with unit. */
  yLabel: string;
}

/**
 * A report, version 1 (`docs/reports.md`). Every number comes from the analytics functions the
 * API uses; `summary` feeds the executive summary page, `tables` everything else.
 */
export interface Report {
  version: 1;
  kind: ReportKind;
  title: string;
  project: string;
  range: { from: number; to: number; resolution: 'minute' | 'hour' };
  generatedAt: number;
  summary: { score: number | null; kpis: Kpi[] };
  tables: Record<string, ReportTable>;
  charts: ReportChart[];
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * A UTC timestamp as `YYYY-MM-DD HH:MM` (the reports' time format).
 *
 * @example
 * formatTime(0); // '1970-01-01 00:00'
 */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * How the PDF writes a value of a column type: grouped thousands, at most two decimals, `%` and
 * ` ms` units, UTC times, `–` for missing values. The test reading the PDF back uses it too.
 *
 * @example
 * formatValue(12345.678, 'ms'); // '12,345.68 ms'
 */
export function formatValue(value: string | number | null | undefined, type: ColumnType): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'string') return value;
  if (type === 'time') return formatTime(value);
  const text = value.toLocaleString('en-US', {
    maximumFractionDigits: type === 'int' ? 0 : type === 'percent' ? 3 : 2,
  });
  return type === 'percent' ? `${text} %` : type === 'ms' ? `${text} ms` : text;
}

/**
 * The column type a KPI's unit is written with.
 *
 * @example
 * kpiType('%'); // 'percent'
 */
export function kpiType(unit: string): ColumnType {
  return unit === '%' ? 'percent' : unit === 'ms' ? 'ms' : 'number';
}

/**
 * The `kpis` table of a report's summary (key, label, value, previous, change %, trend).
 *
 * @example
 * kpiTable(kpis).rows[0].key; // 'availability'
 */
export function kpiTable(kpis: readonly Kpi[]): ReportTable {
  return {
    title: 'Key performance indicators',
    columns: [
      { key: 'label', label: 'KPI', type: 'text' },
      { key: 'value', label: 'Value', type: 'number' },
      { key: 'previous', label: 'Previous period', type: 'number' },
      { key: 'changePercent', label: 'Change %', type: 'number' },
      { key: 'trend', label: 'Trend', type: 'text' },
      { key: 'unit', label: 'Unit', type: 'text' },
    ],
    rows: kpis.map((k) => ({
      label: k.label,
      value: k.value,
      previous: k.previous,
      changePercent: k.changePercent,
      trend: k.good === null ? k.trend : `${k.trend} (${k.good ? 'better' : 'worse'})`,
      unit: k.unit,
    })),
  };
}
