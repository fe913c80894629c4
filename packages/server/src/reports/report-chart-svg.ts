import { formatTime, formatValue, type ReportChart, type ReportTable } from './report-model.js';

const W = 760;
const H = 220;
const M = { left: 64, right: 16, top: 28, bottom: 44 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A "nice" axis maximum (1, 2, 2.5 or 5 × a power of ten) at or above the largest value. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 2.5, 5, 10].find((m) => m * p >= max) ?? 10) * p;
}

function axes(title: string, yLabel: string, top: number, bottom: number): string[] {
  const plotH = H - M.top - M.bottom;
  const out = [
    `<text x="${W / 2}" y="16" font-size="12" font-weight="bold" text-anchor="middle">${esc(title)}</text>`,
    `<text x="12" y="${M.top + plotH / 2}" font-size="9" text-anchor="middle" transform="rotate(-90 12 ${M.top + plotH / 2})">${esc(yLabel)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = bottom + ((top - bottom) * i) / 4;
    const y = M.top + plotH - (plotH * i) / 4;
    out.push(`<line x1="${M.left}" y1="${y}" x2="${W - M.right}" y2="${y}" stroke="#dddddd" stroke-width="0.5"/>`);
    out.push(
      `<text x="${M.left - 4}" y="${y + 3}" font-size="8" text-anchor="end">${esc(formatValue(v, 'number'))}</text>`,
    );
  }
  out.push(`<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="#333333"/>`);
  out.push(`<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="#333333"/>`);
  return out;
}

function numeric(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function bars(chart: ReportChart, table: ReportTable): string[] {
  const rows = table.rows.slice(0, 24);
  const values = rows.map((r) => numeric(r[chart.y]));
  const lo = Math.min(0, ...values.map((v) => v ?? 0));
  const top = Math.max(0, ...values.map((v) => v ?? 0));
  // All-negative values (an overspent error budget) hang from a zero line at the top.
  const hi = top === 0 && lo < 0 ? 0 : niceMax(top);
  const bottom = lo < 0 ? -niceMax(-lo) : 0;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const slot = plotW / Math.max(1, rows.length);
  const yOf = (v: number) => M.top + plotH - (plotH * (v - bottom)) / (hi - bottom);
  const out = axes(chart.title, chart.yLabel, hi, bottom);
  rows.forEach((r, i) => {
    const v = values[i] ?? null;
    const x = M.left + i * slot + slot * 0.15;
    const label = String(r[chart.x] ?? '').slice(0, Math.max(4, Math.floor(slot / 5)));
    out.push(
      `<text x="${x + slot * 0.35}" y="${H - M.bottom + 12}" font-size="8" text-anchor="middle">${esc(label)}</text>`,
    );
    if (v === null) return;
    const y0 = yOf(Math.max(0, bottom));
    const y1 = yOf(v);
    out.push(
      `<rect x="${x}" y="${Math.min(y0, y1)}" width="${slot * 0.7}" height="${Math.max(0.5, Math.abs(y0 - y1))}" fill="${v < 0 ? '#c0392b' : '#2e6da4'}"/>`,
    );
    // The value over (or under, when negative) its bar.
    const ly = v < 0 ? Math.min(y1 + 10, H - M.bottom - 2) : Math.max(y1 - 3, M.top + 8);
    out.push(
      `<text x="${x + slot * 0.35}" y="${ly}" font-size="8" text-anchor="middle"${v < 0 && y1 + 10 > H - M.bottom - 2 ? ' fill="#ffffff"' : ''}>${esc(formatValue(v, 'number'))}</text>`,
    );
  });
  return out;
}

function line(chart: ReportChart, table: ReportTable): string[] {
  const pts = table.rows
    .map((r) => ({ t: numeric(r[chart.x]), v: numeric(r[chart.y]) }))
    .filter((p): p is { t: number; v: number } => p.t !== null);
  const hi = niceMax(Math.max(0, ...pts.map((p) => p.v ?? 0)));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const t0 = pts[0]?.t ?? 0;
  const t1 = pts.at(-1)?.t ?? t0 + 1;
  const xOf = (t: number) => M.left + (plotW * (t - t0)) / Math.max(1, t1 - t0);
  const yOf = (v: number) => M.top + plotH - (plotH * v) / hi;
  const out = axes(chart.title, chart.yLabel, hi, 0);
  for (let i = 0; i <= 4 && pts.length > 1; i++) {
    const t = t0 + ((t1 - t0) * i) / 4;
    const anchor = i === 0 ? 'start' : i === 4 ? 'end' : 'middle';
    out.push(
      `<text x="${xOf(t)}" y="${H - M.bottom + 12}" font-size="8" text-anchor="${anchor}">${formatTime(t)}</text>`,
    );
  }
  out.push(`<text x="${M.left + plotW / 2}" y="${H - 8}" font-size="9" text-anchor="middle">time (UTC)</text>`);
  const path = pts
    .filter((p): p is { t: number; v: number } => p.v !== null)
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${xOf(p.t).toFixed(1)},${yOf(p.v).toFixed(1)}`)
    .join(' ');
  if (path !== '') out.push(`<path d="${path}" fill="none" stroke="#2e6da4" stroke-width="1.2"/>`);
  return out;
}

/**
 * A chart as an SVG document (vector graphics for the PDF): a titled bar chart of a table's
 * rows or a line over its time column, with a labelled, gridded value axis.
 *
 * @example
 * chartSvg(report.charts[0], report.tables[report.charts[0].table]); // '<svg …>…</svg>'
 */
export function chartSvg(chart: ReportChart, table: ReportTable): string {
  const body = chart.type === 'bar' ? bars(chart, table) : line(chart, table);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Roboto">${body.join('')}</svg>`;
}
