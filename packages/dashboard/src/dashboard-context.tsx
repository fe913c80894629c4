import type { Role, TimeRange } from '@vigil/schema';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import type { VigilApi } from './api.js';

/** The time range presets of the picker. */
export const RANGES = [
  { key: '15m', label: 'Last 15 minutes', millis: 15 * 60_000 },
  { key: '1h', label: 'Last hour', millis: 3_600_000 },
  { key: '6h', label: 'Last 6 hours', millis: 6 * 3_600_000 },
  { key: '24h', label: 'Last 24 hours', millis: 86_400_000 },
  { key: '7d', label: 'Last 7 days', millis: 7 * 86_400_000 },
] as const;

/** A range preset key. */
export type RangeKey = (typeof RANGES)[number]['key'];

/** What every panel reads: the API, the time window, the refresh tick, live mode and role. */
export interface DashboardState {
  api: VigilApi;
  range: TimeRange;
  rangeKey: RangeKey;
  setRangeKey: (key: RangeKey) => void;
  /** Increments on every refresh (live mode, a stream event or a manual refresh). */
  tick: number;
  refresh: () => void;
  live: boolean;
  setLive: (live: boolean) => void;
  role: Role;
  /** Operators and admins act on alerts; viewers only read. */
  canAct: boolean;
  /** Increments on every alert or incident change the live stream reports. */
  alertVersion: number;
  /** Bumps {@link alertVersion} by hand (after this page's own action). */
  alertsChanged: () => void;
  stream: StreamStatus;
}

/** The live stream's state as shown to the user. */
export type StreamStatus = 'off' | 'connecting' | 'connected' | 'reconnecting';

const Context = createContext<DashboardState | null>(null);

/** How often live mode refreshes the panels. */
export const LIVE_REFRESH_MILLIS = 15_000;

/**
 * Provides {@link DashboardState}; `MonitoringDashboard` and `AlertSystem` create one when they
 * are used on their own.
 *
 * @example
 * <DashboardProvider api={new VigilApi('')} role="viewer"><OverviewTab /></DashboardProvider>
 */
export function DashboardProvider({
  api,
  role,
  initialRange = '1h',
  children,
}: {
  api: VigilApi;
  role: Role;
  initialRange?: RangeKey;
  children: ReactNode;
}) {
  const [rangeKey, setRangeKey] = useState<RangeKey>(initialRange);
  const [tick, setTick] = useState(0);
  const [live, setLive] = useState(true);
  const [alertVersion, setAlertVersion] = useState(0);
  const [stream, setStream] = useState<StreamStatus>('off');

  useEffect(() => {
    if (!live || typeof EventSource === 'undefined') {
      setStream('off');
      return;
    }
    setStream('connecting');
    // Same origin: the session cookie goes along. EventSource reconnects by itself.
    const source = new EventSource(api.streamUrl(), { withCredentials: true });
    const changed = () => setAlertVersion((v) => v + 1);
    source.addEventListener('open', () => setStream('connected'));
    source.addEventListener('error', () => setStream('reconnecting'));
    source.addEventListener('alert', changed);
    source.addEventListener('incident', changed);
    return () => source.close();
  }, [api, live]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new tick or range moves the window's end to now
  const now = useMemo(() => Date.now(), [tick, rangeKey]);
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setTick((t) => t + 1), LIVE_REFRESH_MILLIS);
    return () => clearInterval(timer);
  }, [live]);

  const value = useMemo<DashboardState>(() => {
    const span = RANGES.find((r) => r.key === rangeKey)?.millis ?? 3_600_000;
    return {
      api,
      range: { from: now - span, to: now },
      rangeKey,
      setRangeKey,
      tick,
      refresh: () => setTick((t) => t + 1),
      live,
      setLive,
      role,
      canAct: role === 'operator' || role === 'admin',
      alertVersion,
      alertsChanged: () => setAlertVersion((v) => v + 1),
      stream,
    };
  }, [api, now, rangeKey, tick, live, role, alertVersion, stream]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/** The surrounding dashboard state; throws outside a provider (a programming error). */
export function useDashboard(): DashboardState {
  const state = useContext(Context);
  if (state === null) throw new Error('useDashboard needs a DashboardProvider (MonitoringDashboard provides one)');
  return state;
}

/** The surrounding dashboard state, or null outside one. */
export function useOptionalDashboard(): DashboardState | null {
  return useContext(Context);
}
