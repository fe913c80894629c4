import { AdminSection } from './admin-section.js';
import { AlertSystem } from './alert-system.js';
import { useDashboard } from './dashboard-context.js';
import { MonitoringDashboard } from './monitoring-dashboard.js';
import { SessionGate, useSession } from './session-gate.js';
import { ThemeProvider, ThemeSwitch } from './theme-provider.js';
import { ErrorBoundary } from './ui.js';

function Shell() {
  const session = useSession();
  const { role } = useDashboard();
  const who = session?.session.user?.name ?? 'API token';
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <h1>Vigil</h1>
        <span className="muted" data-testid="whoami">
          {who} ({role})
        </span>
        <div className="header-actions">
          <ThemeSwitch />
          <button type="button" onClick={() => void session?.logout()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <MonitoringDashboard />
        <AlertSystem />
        {role === 'admin' ? <AdminSection /> : null}
      </main>
    </>
  );
}

/**
 * The standalone Vigil page the server serves at `/`: theme, session (login page when signed
 * out), controls, the four tabs and the alert centre.
 *
 * @example
 * createRoot(el).render(<App />);
 */
export function App() {
  return (
    <ThemeProvider>
      <ErrorBoundary label="Vigil">
        <SessionGate>
          <Shell />
        </SessionGate>
      </ErrorBoundary>
    </ThemeProvider>
  );
}
