import type { PercentileRow, SeriesResponse, TrendResponse } from '@vigil/schema';
import { useMemo } from 'react';
import { fmt, fmtTime } from './format.js';
import { TimeChart } from './time-chart.js';
import { Panel, Status, TableScroll, toneOf } from './ui.js';
import { useResource } from './use-resource.js';

function PercentileTable({ rows, label }: { rows: PercentileRow[]; label: string }) {
  return (
    <TableScroll label={`Percentiles by ${label}`}>
      <table>
        <caption className="sr-only">Response time percentiles by {label}</caption>
        <thead>
          <tr>
            <th scope="col">{label}</th>
            <th scope="col">P50</th>
            <th scope="col">P95</th>
            <th scope="col">P99</th>
            <th scope="col">Requests</th>
            <th scope="col">Per minute</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.key}</th>
              <td>{fmt(r.p50, 'ms')}</td>
              <td>{fmt(r.p95, 'ms')}</td>
              <td>{fmt(r.p99, 'ms')}</td>
              <td>{fmt(r.count)}</td>
              <td>{fmt(r.throughputPerMinute)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function LatencyChart({ s }: { s: SeriesResponse }) {
  const data = useMemo(
    () => ({
      ts: s.buckets.map((b) => b.ts),
      lines: [
        { label: 'P50', values: s.buckets.map((b) => b.p50) },
        { label: 'P95', values: s.buckets.map((b) => b.p95) },
        { label: 'P99', values: s.buckets.map((b) => b.p99) },
      ],
    }),
    [s],
  );
  return <TimeChart title="API response time" unit="ms" ts={data.ts} lines={data.lines} />;
}

function ThroughputChart({ s }: { s: SeriesResponse }) {
  const data = useMemo(() => {
    const perMinute = s.step / 60_000;
    return {
      ts: s.buckets.map((b) => b.ts),
      lines: [{ label: 'Requests per minute', values: s.buckets.map((b) => b.count / perMinute) }],
    };
  }, [s]);
  return <TimeChart title="Throughput" unit="req/min" ts={data.ts} lines={data.lines} />;
}

function ResourceChart({ cpu, memory }: { cpu: SeriesResponse; memory: SeriesResponse }) {
  const data = useMemo(
    () => ({
      ts: cpu.buckets.map((b) => b.ts),
      lines: [
        { label: 'CPU', values: cpu.buckets.map((b) => b.avg) },
        { label: 'Memory', values: memory.buckets.map((b) => b.avg) },
      ],
    }),
    [cpu, memory],
  );
  return <TimeChart title="CPU and memory" unit="%" ts={data.ts} lines={data.lines} />;
}

/** A trend in words: mean, change, slope and when it crosses its threshold. */
export function TrendLine({ label, t }: { label: string; t: TrendResponse }) {
  const rising = t.crossesAt !== null;
  const pressure =
    t.mean === null ? 'muted' : t.threshold !== null && t.mean >= t.threshold ? 'crit' : rising ? 'warn' : 'ok';
  return (
    <li>
      <Status tone={pressure}>
        {label}{' '}
        {pressure === 'crit'
          ? 'under pressure'
          : pressure === 'warn'
            ? 'rising'
            : pressure === 'ok'
              ? 'normal'
              : 'no data'}
      </Status>{' '}
      mean {fmt(t.mean, '%')}, change {fmt(t.changePercent, '%')} vs previous period, slope {fmt(t.slopePerHour)} per
      hour
      {rising ? `, reaches ${fmt(t.threshold, '%')} around ${fmtTime(t.crossesAt)}` : ''}.
    </li>
  );
}

/**
 * Performance: P50/P95/P99 over time and by phase and operation, throughput, CPU and memory
 * with pressure, trends and recommendations.
 *
 * @example
 * <PerformanceTab />
 */
export function PerformanceTab() {
  const api = useResource((a, range) => a.series(range, { metric: 'api' }));
  const byPhase = useResource((a, range) => a.percentiles(range, 'phase'));
  const byOp = useResource((a, range) => a.percentiles(range, 'operation'));
  const resources = useResource(async (a, range) => {
    const [cpu, memory, cpuTrend, memTrend] = await Promise.all([
      a.series(range, { metric: 'gauge', name: 'cpu.percent' }),
      a.series(range, { metric: 'gauge', name: 'memory.percent' }),
      a.trends(range, { metric: 'gauge', name: 'cpu.percent' }),
      a.trends(range, { metric: 'gauge', name: 'memory.percent' }),
    ]);
    return { cpu, memory, cpuTrend, memTrend };
  });
  const recs = useResource((a, range) => a.recommendations(range));
  const noCount = (s: SeriesResponse) => s.buckets.every((b) => b.count === 0);

  return (
    <div className="grid">
      <Panel title="Response time (P50/P95/P99)" resource={api} wide isEmpty={noCount}>
        {(s) => <LatencyChart s={s} />}
      </Panel>
      <Panel title="Response time by phase" resource={byPhase} isEmpty={(p) => p.rows.length === 0}>
        {(p) => <PercentileTable rows={p.rows} label="Phase" />}
      </Panel>
      <Panel title="Response time by operation" resource={byOp} isEmpty={(p) => p.rows.length === 0}>
        {(p) => <PercentileTable rows={p.rows.slice(0, 12)} label="Operation" />}
      </Panel>
      <Panel title="Throughput" resource={api} isEmpty={noCount}>
        {(s) => <ThroughputChart s={s} />}
      </Panel>
      <Panel title="CPU and memory" resource={resources} isEmpty={(r) => noCount(r.cpu) && noCount(r.memory)}>
        {(r) => <ResourceChart cpu={r.cpu} memory={r.memory} />}
      </Panel>
      <Panel title="Trends" resource={resources}>
        {(r) => (
          <ul className="plain">
            <TrendLine label="CPU" t={r.cpuTrend} />
            <TrendLine label="Memory" t={r.memTrend} />
          </ul>
        )}
      </Panel>
      <Panel
        title="Recommendations"
        resource={recs}
        wide
        isEmpty={(r) => r.recommendations.length === 0}
        empty="Nothing to recommend: every check is within its target."
      >
        {(r) => (
          <ul className="plain">
            {r.recommendations.map((x) => (
              <li key={x.id}>
                <Status tone={toneOf(x.priority === 'medium' ? 'medium' : x.priority)}>{x.priority}</Status> {x.title}
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </div>
  );
}
