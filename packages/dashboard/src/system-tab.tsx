import type { HealthDocument, SeriesResponse, ServiceHealth } from '@vigil/schema';
import { Fragment, useMemo, useState } from 'react';
import { fmt, fmtAgo, fmtDuration } from './format.js';
import { TimeChart } from './time-chart.js';
import { Panel, Status, TableScroll, toneOf } from './ui.js';
import { useResource } from './use-resource.js';

const GAUGES = [
  { name: 'cpu.percent', label: 'CPU', unit: '%', limit: 80 },
  { name: 'memory.percent', label: 'Memory', unit: '%', limit: 80 },
  { name: 'disk.percent', label: 'Disk', unit: '%', limit: 85 },
  { name: 'eventloop.delay_ms', label: 'Event loop delay', unit: 'ms', limit: 100 },
] as const;

function latest(s: SeriesResponse): number | null {
  for (let i = s.buckets.length - 1; i >= 0; i--) {
    const v = s.buckets[i]?.avg;
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

function ServiceHistoryView({ name }: { name: string }) {
  const history = useResource((api, range) => api.serviceHistory(name, range), name);
  const chart = useMemo(() => {
    const rows = [...(history.data?.results ?? [])].sort((a, b) => a.ts - b.ts);
    return { ts: rows.map((r) => r.ts), lines: [{ label: 'Latency', values: rows.map((r) => r.latencyMillis) }] };
  }, [history.data]);
  return (
    <Panel
      title={`History of ${name}`}
      id={`history-${name}`}
      resource={history}
      isEmpty={(h) => h.results.length === 0}
    >
      {(h) => (
        <div>
          <p>
            Uptime {fmt(h.uptimePercent, '%')}; {fmt(h.results.filter((r) => !r.ok).length)} failed of{' '}
            {fmt(h.results.length)} checks shown.
          </p>
          <TimeChart title={`${name} check latency`} unit="ms" ts={chart.ts} lines={chart.lines} height={140} />
        </div>
      )}
    </Panel>
  );
}

function ServiceTable({ services }: { services: ServiceHealth[] }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <TableScroll label="Services">
        <table data-testid="service-table">
          <caption className="sr-only">Service health, uptime and latency</caption>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Status</th>
              <th scope="col">Uptime</th>
              <th scope="col">Latency avg / max</th>
              <th scope="col">Checks (failed)</th>
              <th scope="col">Last check</th>
            </tr>
          </thead>
          <tbody>
            {services.map((s) => (
              <tr key={s.name}>
                <th scope="row">
                  <button
                    type="button"
                    className="link"
                    aria-expanded={open === s.name}
                    onClick={() => setOpen(open === s.name ? null : s.name)}
                  >
                    {s.name}
                  </button>{' '}
                  <span className="muted">{s.kind}</span>
                </th>
                <td>
                  <Status tone={toneOf(s.status)}>{s.status}</Status>
                </td>
                <td>{fmt(s.uptimePercent, '%')}</td>
                <td>
                  {s.latencyMillis ? `${fmtDuration(s.latencyMillis.avg)} / ${fmtDuration(s.latencyMillis.max)}` : '—'}
                </td>
                <td>
                  {fmt(s.checks)} ({fmt(s.failures)})
                </td>
                <td>{fmtAgo(s.lastCheckedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {open ? <ServiceHistoryView name={open} /> : null}
    </>
  );
}

function ResourceMeters({ list }: { list: SeriesResponse[] }) {
  return (
    <ul className="meters">
      {GAUGES.map((g, i) => {
        const v = list[i] ? latest(list[i]) : null;
        const tone = v === null ? 'muted' : v >= g.limit ? 'crit' : v >= g.limit * 0.85 ? 'warn' : 'ok';
        return (
          <li key={g.name} data-gauge={g.name}>
            <span className="kpi-label">{g.label}</span>
            <span className="kpi-value">{fmt(v, g.unit)}</span>
            {g.unit === '%' ? (
              <meter
                min={0}
                max={100}
                low={g.limit * 0.85}
                high={g.limit}
                optimum={0}
                value={v ?? 0}
                aria-label={`${g.label} usage`}
              />
            ) : null}
            <Status tone={tone}>
              {tone === 'crit' ? 'over limit' : tone === 'warn' ? 'near limit' : tone === 'ok' ? 'normal' : 'no data'}
            </Status>
          </li>
        );
      })}
    </ul>
  );
}

function SystemInfo({ h }: { h: HealthDocument }) {
  return (
    <dl className="facts" data-testid="system-info">
      <dt>Service</dt>
      <dd>{h.description ?? 'Vigil'}</dd>
      <dt>Status</dt>
      <dd>
        <Status tone={toneOf(h.status)}>{h.status}</Status>
      </dd>
      {Object.entries(h.checks).map(([name, results]) => {
        const r = results[0];
        if (r === undefined) return null;
        const value =
          name === 'uptime' && typeof r.observedValue === 'number'
            ? fmtDuration(r.observedValue * 1000)
            : `${typeof r.observedValue === 'number' ? fmt(r.observedValue) : (r.observedValue ?? '')} ${r.observedUnit === 'percent' ? '%' : (r.observedUnit ?? '')}`;
        return (
          <Fragment key={name}>
            <dt>{name}</dt>
            <dd>
              {value} {r.componentId ? <span className="muted">({r.componentId})</span> : null}
            </dd>
          </Fragment>
        );
      })}
    </dl>
  );
}

/**
 * System: resource usage, system information, service health with history and latency, and
 * uptime per service.
 *
 * @example
 * <SystemTab />
 */
export function SystemTab() {
  const gauges = useResource((api, range) =>
    Promise.all(GAUGES.map((g) => api.series(range, { metric: 'gauge', name: g.name }))),
  );
  const health = useResource((api) => api.health());
  const services = useResource((api, range) => api.services(range));
  const diskChart = useMemo(() => {
    const g = gauges.data;
    if (!g) return null;
    return {
      ts: (g[0]?.buckets ?? []).map((b) => b.ts),
      lines: [
        { label: 'Disk', values: (g[2]?.buckets ?? []).map((b) => b.avg) },
        { label: 'CPU', values: (g[0]?.buckets ?? []).map((b) => b.avg) },
        { label: 'Memory', values: (g[1]?.buckets ?? []).map((b) => b.avg) },
      ],
    };
  }, [gauges.data]);

  return (
    <div className="grid">
      <Panel title="Resource usage" resource={gauges}>
        {(list) => <ResourceMeters list={list} />}
      </Panel>
      <Panel
        title="Resource history"
        resource={gauges}
        isEmpty={(l) => l.every((s) => s.buckets.every((b) => b.count === 0))}
      >
        {() =>
          diskChart ? (
            <TimeChart title="Resource usage over time" unit="%" ts={diskChart.ts} lines={diskChart.lines} />
          ) : null
        }
      </Panel>
      <Panel title="System information" resource={health}>
        {(h) => <SystemInfo h={h} />}
      </Panel>
      <Panel
        title="Service health and uptime"
        resource={services}
        wide
        isEmpty={(s) => s.services.length === 0}
        empty="No service health checks are configured (an admin adds them under /api/v1/health/checks)."
      >
        {(s) => <ServiceTable services={s.services} />}
      </Panel>
    </div>
  );
}
