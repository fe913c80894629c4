import type { Alert } from '@vigil/schema';
import { useEffect, useMemo, useRef, useState } from 'react';
import { alertsCsv, alertsJson, download } from './alert-export.js';
import { askNotificationPermission, notifyAlert, playAlertSound } from './alert-notify.js';
import { type AlertAct, AlertRow, alertState } from './alert-row.js';
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

/** The alert centre's filters. */
export interface AlertFilter {
  severity: string;
  type: string;
  /** A status, `acknowledged`, `active` (pending or firing) or '' (all). */
  state: string;
  search: string;
  sort: keyof typeof SORTS;
}

/**
 * The alerts that pass `f`, sorted.
 *
 * @example
 * filterAlerts(list, { severity: 'high', type: '', state: 'active', search: 'cpu', sort: 'newest' });
 */
export function filterAlerts(list: readonly Alert[], f: AlertFilter): Alert[] {
  const q = f.search.trim().toLowerCase();
  return list
    .filter((a) => f.severity === '' || a.severity === f.severity)
    .filter((a) => f.type === '' || a.type === f.type)
    .filter((a) =>
      f.state === ''
        ? true
        : f.state === 'active'
          ? a.status === 'firing' || a.status === 'pending'
          : alertState(a) === f.state,
    )
    .filter((a) => q === '' || `${a.title} ${a.ruleId} ${Object.values(a.labels).join(' ')}`.toLowerCase().includes(q))
    .sort(SORTS[f.sort]);
}

/** Announces new firing alerts, and notifies and chimes for critical and high ones (never on the first load). */
function useNewAlertSignals(
  list: Alert[] | undefined,
  notify: boolean,
  sound: boolean,
  announce: (text: string) => void,
) {
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!list) return;
    const firing = list.filter((a) => a.status === 'firing');
    if (seen.current !== null) {
      const fresh = firing.filter((a) => !seen.current?.has(a.id));
      const loud = fresh.filter((a) => a.severity === 'critical' || a.severity === 'high');
      if (fresh.length > 0) announce(`New alert: ${fresh.map((a) => `${a.severity} ${a.title}`).join('; ')}`);
      if (loud.length > 0 && notify) for (const a of loud) notifyAlert(a);
      if (loud.length > 0 && sound) playAlertSound();
    }
    seen.current = new Set(firing.map((a) => a.id));
  }, [list, notify, sound, announce]);
}

function Choice({
  label,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  options: [string, string][];
  onChange: (value: string) => void;
  testId?: string;
}) {
  return (
    <label className="control">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

function AlertFilters({ f, set, types }: { f: AlertFilter; set: (f: AlertFilter) => void; types: string[] }) {
  return (
    <fieldset className="toolbar">
      <legend className="sr-only">Alert filters</legend>
      <Choice
        label="Severity"
        testId="filter-severity"
        value={f.severity}
        onChange={(severity) => set({ ...f, severity })}
        options={[
          ['', 'All'],
          ['critical', 'Critical'],
          ['high', 'High'],
          ['medium', 'Medium'],
          ['low', 'Low'],
        ]}
      />
      <Choice
        label="Type"
        value={f.type}
        onChange={(type) => set({ ...f, type })}
        options={[['', 'All'], ...types.map((t): [string, string] => [t, t])]}
      />
      <Choice
        label="State"
        testId="filter-state"
        value={f.state}
        onChange={(state) => set({ ...f, state })}
        options={[
          ['active', 'Active'],
          ['', 'All'],
          ['pending', 'Pending'],
          ['firing', 'Firing'],
          ['acknowledged', 'Acknowledged'],
          ['resolved', 'Resolved'],
          ['dismissed', 'Dismissed'],
        ]}
      />
      <label className="control">
        <span>Search</span>
        <input type="search" value={f.search} onChange={(e) => set({ ...f, search: e.target.value })} />
      </label>
      <Choice
        label="Sort"
        value={f.sort}
        onChange={(sort) => set({ ...f, sort: sort as AlertFilter['sort'] })}
        options={[
          ['newest', 'Newest first'],
          ['severity', 'Severity'],
          ['title', 'Title'],
        ]}
      />
    </fieldset>
  );
}

function AlertList() {
  const { alertVersion, alertsChanged, stream, canAct } = useDashboard();
  const alerts = useResource(
    (api) => api.alerts({ from: Date.now() - WEEK, to: Date.now() + 1 }),
    String(alertVersion),
  );
  const [filter, setFilter] = useState<AlertFilter>({
    severity: '',
    type: '',
    state: 'active',
    search: '',
    sort: 'newest',
  });
  const [notify, setNotify] = useStoredFlag('vigil.alerts.notify');
  const [sound, setSound] = useStoredFlag('vigil.alerts.sound');
  const [announce, setAnnounce] = useState('');
  useNewAlertSignals(alerts.data?.alerts, notify, sound, setAnnounce);

  const types = useMemo(() => [...new Set((alerts.data?.alerts ?? []).map((a) => a.type))].sort(), [alerts.data]);
  const shown = useMemo(() => filterAlerts(alerts.data?.alerts ?? [], filter), [alerts.data, filter]);
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
      <AlertFilters f={filter} set={setFilter} types={types} />
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
