import type { SessionInfo } from '@vigil/schema';
import {
  createContext,
  type FormEvent,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
import { ApiError, VigilApi } from './api.js';
import { DashboardProvider } from './dashboard-context.js';

/** The signed-in caller and sign-out. */
export interface SessionState {
  session: SessionInfo;
  logout: () => Promise<void>;
}

const Context = createContext<SessionState | null>(null);

/** The signed-in session, or null outside a {@link SessionGate}. */
export function useSession(): SessionState | null {
  return useContext(Context);
}

/**
 * The sign-in form.
 *
 * @example
 * <LoginPage api={api} onDone={reload} />
 */
export function LoginPage({ api, onDone }: { api: VigilApi; onDone: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await api.login(username, password);
      onDone();
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401 ? 'Wrong user name or password.' : String((err as Error).message),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login">
      <form onSubmit={submit} className="panel login-form" aria-labelledby="login-h">
        <h1 id="login-h">Sign in to Vigil</h1>
        <label htmlFor="login-user">User name</label>
        <input
          id="login-user"
          name="username"
          autoComplete="username"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error ? (
          <p className="error-text" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

/**
 * Checks the session; shows the login page when there is none, otherwise provides the
 * dashboard state (API, range, live stream, role) to `children`.
 *
 * @example
 * <SessionGate><MonitoringDashboard /></SessionGate>
 */
export function SessionGate({ baseUrl = '', children }: { baseUrl?: string; children: ReactNode }) {
  const [state, setState] = useState<{ session?: SessionInfo; error?: Error; anonymous?: boolean }>({});
  const api = useMemo(() => new VigilApi(baseUrl, () => setState({ anonymous: true })), [baseUrl]);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt re-checks the session after login or logout
  useEffect(() => {
    let stale = false;
    api.session().then(
      (session) => !stale && setState({ session }),
      (error: Error) =>
        !stale && setState(error instanceof ApiError && error.status === 401 ? { anonymous: true } : { error }),
    );
    return () => {
      stale = true;
    };
  }, [api, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const value = useMemo<SessionState | null>(
    () =>
      state.session
        ? {
            session: state.session,
            logout: async () => {
              await api.logout().catch(() => {});
              setState({ anonymous: true });
            },
          }
        : null,
    [api, state.session],
  );

  if (state.anonymous) return <LoginPage api={api} onDone={retry} />;
  if (state.error)
    return (
      <main className="login">
        <div className="panel" role="alert">
          <h1>Vigil is not reachable</h1>
          <p className="error-text">{state.error.message}</p>
          <button type="button" onClick={retry}>
            Try again
          </button>
        </div>
      </main>
    );
  if (value === null)
    return (
      <main className="login">
        <p className="loading" aria-busy="true">
          Loading…
        </p>
      </main>
    );
  return (
    <Context.Provider value={value}>
      <DashboardProvider api={api} role={value.session.role}>
        {children}
      </DashboardProvider>
    </Context.Provider>
  );
}
