import type { TimeRange } from '@vigil/schema';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { VigilApi } from './api.js';
import { useDashboard } from './dashboard-context.js';

/** A loaded value: the last good data, the last error, and a way to load again. */
export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `load(api, range)` and again whenever the range, the refresh tick or `key` change.
 * Earlier data stays on screen while a refresh runs (no flashing), and answers that arrive
 * after a newer request started are dropped.
 *
 * @example
 * const kpis = useResource((api, range) => api.kpis(range));
 */
export function useResource<T>(load: (api: VigilApi, range: TimeRange) => Promise<T>, key = ''): Resource<T> {
  const { api, range, tick } = useDashboard();
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [manual, setManual] = useState(0);
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick, key and manual are the reload triggers
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current(api, range).then(
      (data) => {
        if (mine === seq.current) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (mine !== seq.current) return;
        const e = error instanceof Error ? error : new Error(String(error));
        setState((s) => ({ ...s, error: e, loading: false }));
      },
    );
  }, [api, range.from, range.to, tick, key, manual]);

  const reload = useCallback(() => setManual((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
