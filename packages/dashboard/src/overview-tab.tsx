import type { Kpi } from '@vigil/schema';
import { useDashboard } from './dashboard-context.js';
import { fmt, fmtAgo, fmtDuration } from './format.js';
import { Panel, Status, toneOf } from './ui.js';
import { useResource } from './use-resource.js';

const TREND_WORD = { up: 'up', down: 'down', flat: 'unchanged' } as const;
const TREND_ICON = { up: '▲', down: '▼', flat: '▶' } as const;

function KpiCard({ kpi }: { kpi: Kpi }) {
  const tone = kpi.good === null ? 'muted' : kpi.good ? 'ok' : 'crit';
  const change =
    kpi.changePercent !== null ? fmt(kpi.changePercent, '%') : kpi.change !== null ? fmt(kpi.change, kpi.unit) : null;
  return (
    <li className="kpi" data-kpi={kpi.key}>
      <span className="kpi-label">{kpi.label}</span>
      <span className="kpi-value">{fmt(kpi.value, kpi.unit)}</span>
      <span className={`kpi-trend tone-${tone}`}>
        <span aria-hidden="true">{TREND_ICON[kpi.trend]} </span>
        {change === null ? 'no earlier data' : `${TREND_WORD[kpi.trend]} ${change} vs previous period`}
        {kpi.good === null ? '' : kpi.good ? ' (better)' : ' (worse)'}
      </span>
    </li>
  );
}

function HealthPanel() {
  const health = useResource((api) => api.health());
  return (
    <Panel title="System health" resource={health}>
      {(h) => (
        <div>
          <p className="big">
            <Status tone={toneOf(h.status)}>
              {h.status === 'pass' ? 'Healthy' : h.status === 'warn' ? 'Degraded' : 'Failing'}
            </Status>
          </p>
          <ul className="plain">
            {Object.entries(h.checks).map(([name, results]) => {
              const r = results[0];
              return r === undefined ? null : (
                <li key={name}>
                  <Status tone={toneOf(r.status)}>{name}</Status>{' '}
                  {typeof r.observedValue === 'number'
                    ? fmt(r.observedValue, r.observedUnit === 'percent' ? '%' : (r.observedUnit ?? ''))
                    : ''}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </Panel>
  );
}

function ScorePanel() {
  const score = useResource((api, range) => api.score(range));
  return (
    <Panel title="Performance score" resource={score} isEmpty={(s) => s.score === null}>
      {(s) => (
        <div>
          <p className="big" data-testid="score">
            {fmt(s.score, '', 0)} <span className="muted">/ 100</span>
          </p>
          <table>
            <caption className="sr-only">Score breakdown</caption>
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col">Score</th>
                <th scope="col">Weight</th>
              </tr>
            </thead>
            <tbody>
              {s.components.map((c) => (
                <tr key={c.key}>
                  <th scope="row">{c.key}</th>
                  <td>{fmt(c.score, '', 0)}</td>
                  <td>{fmt(c.weight * 100, '%', 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

function KpiPanel() {
  const kpis = useResource((api, range) => api.kpis(range));
  return (
    <Panel title="Key indicators" resource={kpis} wide isEmpty={(k) => k.operational.length + k.business.length === 0}>
      {(k) => (
        <ul className="kpi-grid">
          {[...k.operational, ...k.business].map((kpi) => (
            <KpiCard key={kpi.key} kpi={kpi} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

function ServicesPanel() {
  const services = useResource((api, range) => api.services(range));
  return (
    <Panel
      title="Services"
      resource={services}
      isEmpty={(s) => s.services.length === 0}
      empty="No service health checks are configured."
    >
      {(s) => (
        <ul className="plain">
          {s.services.map((svc) => (
            <li key={svc.name} data-service={svc.name}>
              <Status tone={toneOf(svc.status)}>
                {svc.name}: {svc.status}
              </Status>{' '}
              <span className="muted">uptime {fmt(svc.uptimePercent, '%')}</span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function AppMetricsPanel() {
  const ux = useResource((api, range) => api.ux(range));
  return (
    <Panel title="Application metrics" resource={ux}>
      {(u) => (
        <dl className="facts">
          <dt>Sessions</dt>
          <dd>{fmt(u.distinctSessions)}</dd>
          <dt>Users</dt>
          <dd>{fmt(u.distinctUsers)}</dd>
          <dt>Average session</dt>
          <dd>{fmtDuration(u.avgSessionMillis)}</dd>
          <dt>Actions per session</dt>
          <dd>{fmt(u.actionsPerSession)}</dd>
          <dt>Satisfaction</dt>
          <dd>
            {fmt(u.satisfaction.average)} / 5 ({fmt(u.satisfaction.ratings)} ratings)
          </dd>
        </dl>
      )}
    </Panel>
  );
}

function ActiveAlertsPanel() {
  const { alertVersion } = useDashboard();
  const alerts = useResource(
    (api) => api.alerts({ from: Date.now() - 7 * 86_400_000, to: Date.now() + 1 }),
    String(alertVersion),
  );
  return (
    <Panel
      title="Active alerts"
      resource={alerts}
      isEmpty={(a) => !a.alerts.some((x) => x.status === 'firing' || x.status === 'pending')}
      empty="No active alerts."
    >
      {(a) => (
        <ul className="plain" data-testid="active-alerts">
          {a.alerts
            .filter((x) => x.status === 'firing' || x.status === 'pending')
            .slice(0, 8)
            .map((x) => (
              <li key={x.id}>
                <Status tone={toneOf(x.severity)}>{x.severity}</Status> {x.title}{' '}
                <span className="muted">
                  {x.acknowledgedAt ? 'acknowledged' : x.status} {fmtAgo(x.firedAt ?? x.pendingSince)}
                </span>
              </li>
            ))}
        </ul>
      )}
    </Panel>
  );
}

/**
 * Overview: system health, KPI grid with trends, services, application metrics, active
 * alerts and the performance score with its breakdown.
 *
 * @example
 * <OverviewTab />
 */
export function OverviewTab() {
  return (
    <div className="grid">
      <HealthPanel />
      <ScorePanel />
      <KpiPanel />
      <ServicesPanel />
      <AppMetricsPanel />
      <ActiveAlertsPanel />
    </div>
  );
}
