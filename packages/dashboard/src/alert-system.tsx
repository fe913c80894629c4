import { useEffect, useMemo, useRef, useState } from 'react';
import { alertsCsv, alertsJson, download } from './alert-export.js';
import { askNotificationPermission, notifyAlert, playAlertSound } from './alert-notify.js';
import { type AlertAct, AlertRow, alertState } from './alert-row.js';
import type { Alert } from './api-types.js';
import { useDashboard, useOptionalDashboard } from './dashboard-context.js';
import { SessionGate } from './session-gate.js';
import { ErrorBoundary, Panel } from './ui.js';
import { useResource } from './use-resource.js';

const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3 } as const;
const SORTS = {
  newest: (a: Alert, b: Alert) => (b.firedAt ?? b.pendingSince) - (a.firedAt ?? a.pendingSince),
  severity: (a: Alert, b: Alert) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
  title: (a: Alert, b: Alert) => a.title.localeCompare(b.title),
} as const;
const WEEK = 7 * 86_400_000;

function useStoredFlag(key: string): [boolean, (v: boolean) => void] {
  const [value, setValue] = useState(() => {
    try {
      return localStorage.getItem(key) === '1';
    } catch {
      return false;
    }
  });
  return [
    value,
    (v) => {
      setValue(v);
      try {
        localStorage.setItem(key, v ? '1' : '0');
      } catch {
        // Not remembered in private mode.
      }
    },
  ];
}

function AlertList() {
  const { alertVersion, alertsChanged, stream, canAct } = useDashboard();
  const alerts = useResource(
    (api) => api.alerts({ from: Date.now() - WEEK, to: Date.now() + 1 }),
    String(alertVersion),
  );
  const [severity, setSeverity] = useState('');
  const [type, setType] = useState('');
  const [state, setState] = useState('active');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<keyof typeof SORTS>('newest');
  const [notify, setNotify] = useStoredFlag('vigil.alerts.notify');
  const [sound, setSound] = useStoredFlag('vigil.alerts.sound');
  const [announce, setAnnounce] = useState('');
  const seen = useRef<Set<string> | null>(null);

  // New critical or high alerts since the last load: notify and chime (never on the first load).
  useEffect(() => {
    const list = alerts.data?.alerts;
    if (!list) return;
    const firing = list.filter((a) => a.status === 'firing');
    if (seen.current !== null) {
      const fresh = firing.filter((a) => !seen.current?.has(a.id));
      const loud = fresh.filter((a) => a.severity === 'critical' || a.severity === 'high');
      if (fresh.length > 0) setAnnounce(`New alert: ${fresh.map((a) => `${a.severity} ${a.title}`).join('; ')}`);
      if (loud.length > 0 && notify) for (const a of loud) notifyAlert(a);
      if (loud.length > 0 && sound) playAlertSound();
    }
    seen.current = new Set(firing.map((a) => a.id));
  }, [alerts.data, notify, sound]);

  const types = useMemo(() => [...new Set((alerts.data?.alerts ?? []).map((a) => a.type))].sort(), [alerts.data]);
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (alerts.data?.alerts ?? [])
      .filter((a) => severity === '' || a.severity === severity)
      .filter((a) => type === '' || a.type === type)
      .filter((a) =>
        state === ''
          ? true
          : state === 'active'
            ? a.status === 'firing' || a.status === 'pending'
            : alertState(a) === state,
      )
      .filter(
        (a) => q === '' || `${a.title} ${a.ruleId} ${Object.values(a.labels).join(' ')}`.toLowerCase().includes(q),
      )
      .sort(SORTS[sort]);
  }, [alerts.data, severity, type, state, search, sort]);

  const act: AlertAct = async (a, run, done) => {
    try {
      await run();
      setAnnounce(`Alert “${a.title}” ${done}.`);
    } catch (e) {
      setAnnounce(`Could not update “${a.title}”: ${e instanceof Error ? e.message : String(e)}`);
    }
    alertsChanged();
  };
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');

  return (
    <>
      <fieldset className="toolbar">
        <legend className="sr-only">Alert filters</legend>
        <label className="control">
          <span>Severity</span>
          <select value={severity} onChange={(e) => setSeverity(e.target.value)} data-testid="filter-severity">
            <option value="">All</option>
            <option value="critical">Critical</option>
            <option value="high">High</option>
            <option value="medium">Medium</option>
            <option value="low">Low</option>
          </select>
        </label>
        <label className="control">
          <span>Type</span>
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">All</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="control">
          <span>State</span>
          <select value={state} onChange={(e) => setState(e.target.value)} data-testid="filter-state">
            <option value="active">Active</option>
            <option value="">All</option>
            <option value="pending">Pending</option>
            <option value="firing">Firing</option>
            <option value="acknowledged">Acknowledged</option>
            <option value="resolved">Resolved</option>
            <option value="dismissed">Dismissed</option>
          </select>
        </label>
        <label className="control">
          <span>Search</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label className="control">
          <span>Sort</span>
          <select value={sort} onChange={(e) => setSort(e.target.value as keyof typeof SORTS)}>
            <option value="newest">Newest first</option>
            <option value="severity">Severity</option>
            <option value="title">Title</option>
          </select>
        </label>
      </fieldset>
      <div className="toolbar">
        <button
          type="button"
          onClick={() => download(`vigil-alerts-${stamp}.json`, 'application/json', alertsJson(shown))}
        >
          Export JSON
        </button>
        <button type="button" onClick={() => download(`vigil-alerts-${stamp}.csv`, 'text/csv', alertsCsv(shown))}>
          Export CSV
        </button>
        <label className="check">
          <input
            type="checkbox"
            checked={notify}
            onChange={async (e) => setNotify(e.target.checked ? await askNotificationPermission() : false)}
          />
          Browser notifications
        </label>
        <label className="check">
          <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} />
          Sound for critical and high
        </label>
        <span className="muted" data-testid="stream-status">
          Live stream: {stream}
        </span>
      </div>
      <p className="sr-only" role="status" aria-live="polite">
        {announce}
      </p>
      <Panel
        title={`Alerts (${shown.length})`}
        id="alert-list"
        resource={alerts}
        isEmpty={() => shown.length === 0}
        empty="No alerts match these filters."
      >
        {() => (
          <ul className="alert-list" data-testid="alert-list" data-can-act={canAct}>
            {shown.map((a) => (
              <AlertRow key={a.id} alert={a} act={act} />
            ))}
          </ul>
        )}
      </Panel>
    </>
  );
}

/**
 * The alert centre: filter by severity, type and state, search, sort, acknowledge, dismiss,
 * note and open incidents (operators), export the filtered list as JSON or CSV, and get
 * browser notifications and a sound for new critical and high alerts. Live via the server's
 * stream. Inside a `MonitoringDashboard` page it shares its session; on its own it signs in.
 *
 * @example
 * <ThemeProvider><AlertSystem /></ThemeProvider>
 */
export function AlertSystem({ className, baseUrl = '' }: { className?: string; baseUrl?: string }) {
  const outer = useOptionalDashboard();
  const body = (
    <section className={`vigil-alerts ${className ?? ''}`.trim()} aria-labelledby="vigil-alerts-h">
      <h2 id="vigil-alerts-h">Alerts</h2>
      <ErrorBoundary label="Alerts">
        <AlertList />
      </ErrorBoundary>
    </section>
  );
  return outer ? body : <SessionGate baseUrl={baseUrl}>{body}</SessionGate>;
}
