import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { fmt, fmtTime } from './format.js';
import { useTheme } from './theme-provider.js';
import { TableScroll } from './ui.js';

/** One line of a chart. */
export interface ChartLine {
  label: string;
  values: (number | null)[];
}

/** Line colours per theme, each at least 3:1 against the panel (WCAG 1.4.11). */
const PALETTE = {
  light: ['#1d4ed8', '#b45309', '#b91c1c', '#047857'],
  dark: ['#8ab4ff', '#fbbf24', '#fca5a5', '#6ee7b7'],
};
const DASHES: number[][] = [[], [6, 3], [2, 2], [8, 2, 2, 2]];

function summarize(lines: ChartLine[], unit: string): string {
  return lines
    .map((l) => {
      const vals = l.values.filter((v): v is number => v !== null);
      if (vals.length === 0) return `${l.label}: no data`;
      const last = vals[vals.length - 1]!;
      return `${l.label}: latest ${fmt(last, unit)}, min ${fmt(Math.min(...vals), unit)}, max ${fmt(Math.max(...vals), unit)}`;
    })
    .join('; ');
}

/** Every point of a chart as a table, behind a disclosure (the canvas's text alternative). */
function ChartTable({ title, ts, lines, unit }: { title: string; ts: number[]; lines: ChartLine[]; unit: string }) {
  return (
    <details className="chart-table">
      <summary>Data table: {title}</summary>
      <TableScroll label={`${title} data`}>
        <table>
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              {lines.map((l) => (
                <th scope="col" key={l.label}>
                  {l.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ts.map((t, i) =>
              lines.every((l) => l.values[i] === null) ? null : (
                <tr key={t}>
                  <th scope="row">{fmtTime(t)}</th>
                  {lines.map((l) => (
                    <td key={l.label}>{fmt(l.values[i], unit)}</td>
                  ))}
                </tr>
              ),
            )}
          </tbody>
        </table>
      </TableScroll>
    </details>
  );
}

/**
 * A uPlot time-series chart. The canvas is hidden from assistive technology; a text summary
 * (latest, min, max of each line) and a table of every point stand in for it. Lines differ
 * by dash pattern as well as colour.
 *
 * @example
 * <TimeChart title="CPU" unit="%" ts={ts} lines={[{ label: 'CPU', values }]} />
 */
export function TimeChart({
  title,
  ts,
  lines,
  unit,
  height = 180,
}: {
  title: string;
  ts: number[];
  lines: ChartLine[];
  unit: string;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const { theme } = useTheme();
  const captionId = useId();

  useEffect(() => {
    const el = box.current;
    if (el === null || ts.length === 0) return;
    const colors = PALETTE[theme];
    const axisColor = theme === 'dark' ? '#c7ced8' : '#374151';
    const grid = theme === 'dark' ? '#2c333d' : '#e5e7eb';
    const axis = { stroke: axisColor, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [axis, { ...axis, size: 56, values: (_u, vals) => vals.map((v) => fmt(v)) }],
      series: [
        {},
        ...lines.map((l, i) => ({
          label: l.label,
          stroke: colors[i % colors.length],
          width: 2,
          dash: DASHES[i % DASHES.length],
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => fmt(v, unit),
        })),
      ],
    };
    const data = [ts.map((t) => t / 1000), ...lines.map((l) => l.values)] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [ts, lines, unit, height, theme]);

  if (ts.length === 0) return <p className="empty">No data points in this time range.</p>;
  return (
    <figure className="chart" aria-labelledby={captionId}>
      <div ref={box} className="chart-canvas" aria-hidden="true" />
      <figcaption id={captionId} className="chart-summary">
        <strong>{title}</strong>: {summarize(lines, unit)}.
      </figcaption>
      <ChartTable title={title} ts={ts} lines={lines} unit={unit} />
    </figure>
  );
}
