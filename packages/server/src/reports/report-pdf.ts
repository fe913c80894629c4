import { createRequire } from 'node:module';
import path from 'node:path';
import { chartSvg } from './report-chart-svg.js';
import { formatTime, formatValue, type Report, type ReportTable } from './report-model.js';

const require = createRequire(import.meta.url);

/** The part of pdfmake 0.3's Node API used here (it ships no types). */
interface PdfMake {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(callback: (url: string) => boolean): void;
  setLocalAccessPolicy(callback: (file: string) => boolean): void;
  createPdf(doc: Record<string, unknown>): { getBuffer(): Promise<Buffer> };
}

let engine: PdfMake | null = null;

/**
 * pdfmake with the Roboto fonts it bundles, read from disk; remote URLs are refused and local
 * reads are limited to the font folder, so a report can never make the engine fetch anything.
 */
function pdfmake(): PdfMake {
  if (engine !== null) return engine;
  const pm = require('pdfmake') as PdfMake;
  const fonts = require('pdfmake/fonts/Roboto.js') as Record<string, Record<string, string>>;
  const fontDir = path.dirname(require.resolve('pdfmake/fonts/Roboto.js'));
  pm.setFonts(fonts);
  pm.setUrlAccessPolicy(() => false);
  pm.setLocalAccessPolicy((file) => path.resolve(file).startsWith(fontDir));
  engine = pm;
  return pm;
}

const rangeText = (r: Report): string => `${formatTime(r.range.from)} – ${formatTime(r.range.to)} UTC`;

const alignOf = (type: string): string => (type === 'text' || type === 'time' ? 'left' : 'right');

/** Long text takes the spare width and wraps; short text, numbers and times keep their natural width. */
function widthsOf(t: ReportTable): string[] {
  const widths = t.columns.map((c) => {
    if (c.type !== 'text') return 'auto';
    const longest = Math.max(c.label.length, ...t.rows.map((r) => String(r[c.key] ?? '').length));
    return longest > 28 ? '*' : 'auto';
  });
  if (!widths.includes('*'))
    widths[
      Math.max(
        0,
        t.columns.findIndex((c) => c.type === 'text'),
      )
    ] = '*';
  return widths;
}

function tableNode(t: ReportTable): Record<string, unknown> {
  const header = t.columns.map((c) => ({ text: c.label, style: 'th', alignment: alignOf(c.type) }));
  const body = t.rows.map((row) =>
    t.columns.map((c) => ({
      text: formatValue(row[c.key], c.type),
      alignment: alignOf(c.type),
      noWrap: c.type !== 'text',
    })),
  );
  const empty = t.columns.map((_, i) => (i === 0 ? { text: 'none in this range', italics: true } : ''));
  return {
    // headerRows repeats the header on every page the table spills onto.
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths: widthsOf(t),
      body: [header, ...(body.length === 0 ? [empty] : body)],
    },
    layout: 'lightHorizontalLines',
    style: 'table',
  };
}

function summaryPage(r: Report): Record<string, unknown>[] {
  const kpis = r.tables.kpis;
  return [
    { text: r.title, style: 'h1' },
    { text: `Project ${r.project} · ${rangeText(r)} · generated ${formatTime(r.generatedAt)} UTC`, style: 'meta' },
    { text: 'Executive summary', style: 'h2' },
    {
      columns: [
        {
          width: 180,
          stack: [
            { text: 'Performance score', style: 'label' },
            { text: r.summary.score === null ? '–' : formatValue(r.summary.score, 'number'), style: 'score' },
            { text: 'of 100', style: 'label' },
          ],
        },
        {
          width: '*',
          stack: [
            { text: 'Key performance indicators (vs the previous period)', style: 'label' },
            kpis ? tableNode(kpis) : '',
          ],
        },
      ],
    },
  ];
}

/**
 * Renders a report as a PDF: an executive summary page (score and KPIs), then each chart as
 * vector graphics next to the tables it is drawn from; tables break across pages with their
 * header repeated; every page carries the range, generation time and page number.
 *
 * @example
 * await writeFile('performance.pdf', await renderPdf(report));
 */
export async function renderPdf(r: Report): Promise<Buffer> {
  const content: unknown[] = summaryPage(r);
  let first = true;
  for (const [name, t] of Object.entries(r.tables)) {
    if (name === 'kpis') continue;
    content.push({ text: t.title, style: 'h2', ...(first ? { pageBreak: 'before' } : {}) });
    first = false;
    for (const c of r.charts.filter((x) => x.table === name)) {
      content.push({ svg: chartSvg(c, t), width: 760, margin: [0, 4, 0, 8] });
    }
    content.push(tableNode(t));
  }
  const doc = {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [36, 40, 36, 40],
    info: { title: `${r.title} ${rangeText(r)}`, creator: 'Vigil', producer: 'Vigil (pdfmake)' },
    header: () => ({ text: `Vigil · ${r.title} · ${rangeText(r)}`, style: 'meta', margin: [36, 16, 36, 0] }),
    footer: (page: number, pages: number) => ({
      columns: [
        { text: `Generated ${formatTime(r.generatedAt)} UTC`, style: 'meta' },
        { text: `Page ${page} of ${pages}`, style: 'meta', alignment: 'right' },
      ],
      margin: [36, 10, 36, 0],
    }),
    content,
    defaultStyle: { font: 'Roboto', fontSize: 8.5 },
    styles: {
      h1: { fontSize: 20, bold: true, margin: [0, 0, 0, 4] },
      h2: { fontSize: 13, bold: true, margin: [0, 14, 0, 6] },
      meta: { fontSize: 8, color: '#555555' },
      label: { fontSize: 9, color: '#555555', margin: [0, 4, 0, 2] },
      score: { fontSize: 44, bold: true, color: '#2e6da4' },
      th: { bold: true, fillColor: '#eeeeee' },
      table: { margin: [0, 0, 0, 8] },
    },
  };
  return pdfmake().createPdf(doc).getBuffer();
}
