import type { ErrorAnalysisResponse, ErrorGroup, Incident, MttrResponse, SeriesResponse } from '@vigil/schema';
import { useMemo, useState } from 'react';
import { fmt, fmtDuration, fmtTime } from './format.js';
import { TimeChart } from './time-chart.js';
import { Panel, Status, TableScroll, toneOf } from './ui.js';
import { useResource } from './use-resource.js';

function Distribution({ counts, total, label }: { counts: Record<string, number>; total: number; label: string }) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <table className="bars">
      <caption className="sr-only">Errors by {label}</caption>
      <thead>
        <tr>
          <th scope="col">{label}</th>
          <th scope="col">Errors</th>
          <th scope="col">Share</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([k, n]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{fmt(n)}</td>
            <td>
              <span className="bar" style={{ width: `${total === 0 ? 0 : (n / total) * 100}%` }} aria-hidden="true" />
              {fmt(total === 0 ? 0 : (n / total) * 100, '%', 1)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function GroupDetail({ group, step }: { group: ErrorGroup; step: number }) {
  const detail = useResource((api) => api.errorGroup(group.fingerprint), group.fingerprint);
  const chart = useMemo(() => {
    const b = group.buckets ?? [];
    const start = group.lastSeen - (b.length - 1) * step;
    return { ts: b.map((_, i) => start + i * step), lines: [{ label: 'Occurrences', values: b }] };
  }, [group, step]);
  return (
    <div className="group-detail" data-testid="error-group-detail">
      <dl className="facts">
        <dt>First seen</dt>
        <dd>{fmtTime(group.firstSeen)}</dd>
        <dt>Last seen</dt>
        <dd>{fmtTime(group.lastSeen)}</dd>
        <dt>Trend</dt>
        <dd>{group.trend ?? '—'}</dd>
        <dt>Service</dt>
        <dd>
          {group.service} ({group.environment})
        </dd>
      </dl>
      {chart.ts.length > 0 ? (
        <TimeChart title={`Trend of ${group.errorName}`} unit="" ts={chart.ts} lines={chart.lines} height={120} />
      ) : null}
      <Panel
        title="Sample occurrences"
        id={`samples-${group.fingerprint}`}
        resource={detail}
        isEmpty={(d) => d.occurrences.length === 0}
      >
        {(d) => (
          <ol className="samples">
            {d.occurrences.map((o) => (
              <li key={`${o.ts}-${o.message}`}>
                <p>
                  <strong>{fmtTime(o.ts)}</strong> {o.message}{' '}
                  {o.release ? <span className="muted">release {o.release}</span> : null}
                </p>
                {o.context ? <pre className="context">{o.context}</pre> : null}
                <TableScroll label="Stack trace">
                  <pre className="stack">{o.stack ?? 'No stack trace recorded.'}</pre>
                </TableScroll>
              </li>
            ))}
          </ol>
        )}
      </Panel>
    </div>
  );
}

function TopErrors({ analysis }: { analysis: ErrorAnalysisResponse }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <TableScroll label="Top errors">
      <table data-testid="top-errors">
        <caption className="sr-only">Most frequent error groups</caption>
        <thead>
          <tr>
            <th scope="col">Error</th>
            <th scope="col">Kind</th>
            <th scope="col">Phase</th>
            <th scope="col">Count</th>
            <th scope="col">Trend</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {analysis.top.map((g) => (
            <ErrorRow
              key={g.fingerprint}
              g={g}
              open={open === g.fingerprint}
              step={analysis.step}
              toggle={() => setOpen(open === g.fingerprint ? null : g.fingerprint)}
            />
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function ErrorRow({ g, open, step, toggle }: { g: ErrorGroup; open: boolean; step: number; toggle: () => void }) {
  return (
    <>
      <tr>
        <th scope="row">
          <button type="button" className="link" aria-expanded={open} onClick={toggle}>
            {g.errorName}: {g.message}
          </button>
        </th>
        <td>{g.kind}</td>
        <td>{g.phase}</td>
        <td>{fmt(g.count)}</td>
        <td>{g.trend ?? '—'}</td>
        <td>{fmtTime(g.lastSeen)}</td>
      </tr>
      {open ? (
        <tr>
          <td colSpan={6}>
            <GroupDetail group={g} step={step} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function IncidentItem({ incident }: { incident: Incident }) {
  const [open, setOpen] = useState(false);
  return (
    <li>
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {incident.title}
      </button>{' '}
      <Status tone={toneOf(incident.severity)}>{incident.severity}</Status>{' '}
      <Status tone={toneOf(incident.status)}>{incident.status}</Status>{' '}
      <span className="muted">opened {fmtTime(incident.openedAt)}</span>
      {open ? <IncidentTimeline id={incident.id} /> : null}
    </li>
  );
}

function IncidentTimeline({ id }: { id: string }) {
  const detail = useResource((api) => api.incident(id), id);
  if (detail.error) return <p className="error-text">Could not load the timeline: {detail.error.message}</p>;
  if (!detail.data) return <p className="loading">Loading timeline…</p>;
  return (
    <ol className="timeline">
      {detail.data.timeline.map((e) => (
        <li key={`${e.ts}-${e.type}-${e.message}`}>
          <strong>{fmtTime(e.ts)}</strong> {e.type}: {e.message}
        </li>
      ))}
    </ol>
  );
}

function MttrTable({ m }: { m: MttrResponse }) {
  return (
    <table>
      <caption className="sr-only">MTTA and MTTR per severity, last 30 days</caption>
      <thead>
        <tr>
          <th scope="col">Severity</th>
          <th scope="col">Incidents</th>
          <th scope="col">MTTA</th>
          <th scope="col">MTTR</th>
        </tr>
      </thead>
      <tbody>
        {[['all', m.overall] as const, ...Object.entries(m.bySeverity)].map(([k, f]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{fmt(f.incidents)}</td>
            <td>{fmtDuration(f.mttaMillis)}</td>
            <td>{fmtDuration(f.mttrMillis)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Errors: summary, distribution by kind and phase, the top groups (open one for samples and
 * stack), the error trend, incidents with timelines, and MTTR.
 *
 * @example
 * <ErrorsTab />
 */
export function ErrorsTab() {
  const analysis = useResource((api, range) => api.errorAnalysis(range));
  const trend = useResource((api, range) => api.series(range, { metric: 'error' }));
  const incidents = useResource((api) => api.incidents({ from: Date.now() - 30 * 86_400_000, to: Date.now() + 1 }));
  const mttr = useResource((api) => api.mttr({ from: Date.now() - 30 * 86_400_000, to: Date.now() + 1 }));
  const trendData = useMemo(() => {
    const s: SeriesResponse | undefined = trend.data;
    return s
      ? { ts: s.buckets.map((b) => b.ts), lines: [{ label: 'Errors', values: s.buckets.map((b) => b.count) }] }
      : null;
  }, [trend.data]);

  return (
    <div className="grid">
      <Panel title="Error summary" resource={analysis}>
        {(a) => (
          <dl className="facts" data-testid="error-summary">
            <dt>Errors</dt>
            <dd>{fmt(a.total)}</dd>
            <dt>Groups</dt>
            <dd>{fmt(a.top.length)}</dd>
            <dt>Rising groups</dt>
            <dd>{fmt(a.top.filter((g) => g.trend === 'rising').length)}</dd>
          </dl>
        )}
      </Panel>
      <Panel title="Errors by type" resource={analysis} isEmpty={(a) => a.total === 0}>
        {(a) => <Distribution counts={a.byKind} total={a.total} label="Kind" />}
      </Panel>
      <Panel title="Errors by phase" resource={analysis} isEmpty={(a) => a.total === 0}>
        {(a) => <Distribution counts={a.byPhase} total={a.total} label="Phase" />}
      </Panel>
      <Panel title="Error trend" resource={trend} isEmpty={(s) => s.buckets.every((b) => b.count === 0)}>
        {() =>
          trendData ? <TimeChart title="Errors per bucket" unit="" ts={trendData.ts} lines={trendData.lines} /> : null
        }
      </Panel>
      <Panel
        title="Top errors"
        resource={analysis}
        wide
        isEmpty={(a) => a.top.length === 0}
        empty="No errors in this time range."
      >
        {(a) => <TopErrors analysis={a} />}
      </Panel>
      <Panel
        title="Incidents"
        resource={incidents}
        isEmpty={(i) => i.incidents.length === 0}
        empty="No incidents in the last 30 days."
      >
        {(i) => (
          <ul className="plain">
            {i.incidents.slice(0, 20).map((x) => (
              <IncidentItem key={x.id} incident={x} />
            ))}
          </ul>
        )}
      </Panel>
      <Panel title="Time to acknowledge and resolve" resource={mttr}>
        {(m) => <MttrTable m={m} />}
      </Panel>
    </div>
  );
}
