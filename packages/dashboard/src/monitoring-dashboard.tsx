import { type KeyboardEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { RANGES, type RangeKey, useDashboard, useOptionalDashboard } from './dashboard-context.js';
import { ErrorsTab } from './errors-tab.js';
import { OverviewTab } from './overview-tab.js';
import { PerformanceTab } from './performance-tab.js';
import { SessionGate } from './session-gate.js';
import { SystemTab } from './system-tab.js';
import { ErrorBoundary } from './ui.js';

const TABS = [
  { key: 'overview', label: 'Overview', render: () => <OverviewTab /> },
  { key: 'performance', label: 'Performance', render: () => <PerformanceTab /> },
  { key: 'errors', label: 'Errors', render: () => <ErrorsTab /> },
  { key: 'system', label: 'System', render: () => <SystemTab /> },
] as const;

/** A tab key. */
export type TabKey = (typeof TABS)[number]['key'];

function tabFromUrl(): TabKey {
  const t = new URLSearchParams(globalThis.location?.search ?? '').get('tab');
  return TABS.some((x) => x.key === t) ? (t as TabKey) : 'overview';
}

/**
 * The time range picker, live toggle and refresh button.
 *
 * @example
 * <DashboardControls />
 */
export function DashboardControls({ extra }: { extra?: ReactNode }) {
  const { rangeKey, setRangeKey, live, setLive, refresh } = useDashboard();
  return (
    <fieldset className="toolbar">
      <legend className="sr-only">Dashboard controls</legend>
      <label className="control">
        <span>Time range</span>
        <select value={rangeKey} onChange={(e) => setRangeKey(e.target.value as RangeKey)} data-testid="range-select">
          {RANGES.map((r) => (
            <option key={r.key} value={r.key}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} data-testid="live-toggle" />
        Real-time updates
      </label>
      <button type="button" onClick={refresh}>
        Refresh
      </button>
      {extra}
    </fieldset>
  );
}

function Tabs() {
  const [tab, setTab] = useState<TabKey>(tabFromUrl);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    const onPop = () => setTab(tabFromUrl());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const select = (key: TabKey, focus: boolean) => {
    setTab(key);
    const url = new URL(window.location.href);
    url.searchParams.set('tab', key);
    if (url.href !== window.location.href) window.history.pushState(null, '', url);
    if (focus) refs.current[TABS.findIndex((t) => t.key === key)]?.focus();
  };
  const onKey = (e: KeyboardEvent, index: number) => {
    const last = TABS.length - 1;
    const next =
      e.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : e.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (next === null) return;
    e.preventDefault();
    select(TABS[next]!.key, true);
  };
  const current = TABS.find((t) => t.key === tab) ?? TABS[0];

  return (
    <>
      <div role="tablist" aria-label="Dashboard sections" className="tablist">
        {TABS.map((t, i) => (
          <button
            key={t.key}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t.key}`}
            aria-selected={t.key === tab}
            aria-controls={`panel-${t.key}`}
            tabIndex={t.key === tab ? 0 : -1}
            onClick={() => select(t.key, false)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`panel-${current.key}`}
        aria-labelledby={`tab-${current.key}`}
        className="tabpanel"
        data-tab={current.key}
      >
        <h2 className="sr-only">{current.label}</h2>
        <ErrorBoundary key={current.key} label={current.label}>
          {current.render()}
        </ErrorBoundary>
      </div>
    </>
  );
}

/**
 * The four-tab monitoring dashboard (Overview, Performance, Errors, System) following the
 * WAI-ARIA tabs pattern (arrow keys, Home, End), with the tab in the URL (`?tab=`). Inside a
 * page that already signed in it shares that session; on its own it shows the login page.
 *
 * @example
 * <ThemeProvider><MonitoringDashboard className="custom-monitoring" /></ThemeProvider>
 */
export function MonitoringDashboard({ className, baseUrl = '' }: { className?: string; baseUrl?: string }) {
  const outer = useOptionalDashboard();
  const body = (
    <div className={`vigil-dashboard ${className ?? ''}`.trim()}>
      <DashboardControls />
      <Tabs />
    </div>
  );
  return outer ? body : <SessionGate baseUrl={baseUrl}>{body}</SessionGate>;
}
