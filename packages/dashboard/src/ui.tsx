import { Component, type ErrorInfo, type ReactNode } from 'react';
import type { Resource } from './use-resource.js';

/** Status words the UI shows; each has an icon and a label so colour is never the only signal. */
export type Tone = 'ok' | 'warn' | 'crit' | 'info' | 'muted';

const ICONS: Record<Tone, string> = { ok: '✓', warn: '!', crit: '✕', info: 'i', muted: '–' };

/**
 * A status pill: icon, text and colour together.
 *
 * @example
 * <Status tone="crit">Failing</Status>
 */
export function Status({ tone, children }: { tone: Tone; children: ReactNode }) {
  return (
    <span className={`status status-${tone}`}>
      <span aria-hidden="true" className="status-icon">
        {ICONS[tone]}
      </span>
      {children}
    </span>
  );
}

/** The tone of a health status word (`pass`, `warn`, `fail`, `up`, `down`…). */
export function toneOf(status: string): Tone {
  if (['pass', 'up', 'ok', 'healthy', 'resolved'].includes(status)) return 'ok';
  if (['warn', 'degraded', 'pending', 'acknowledged', 'medium'].includes(status)) return 'warn';
  if (['fail', 'down', 'firing', 'critical', 'high', 'open'].includes(status)) return 'crit';
  if (status === 'low') return 'info';
  return 'muted';
}

/**
 * A titled panel that renders a resource's loading, error and empty states, or `children(data)`.
 *
 * @example
 * <Panel title="KPIs" resource={kpis}>{(d) => <KpiGrid kpis={d.operational} />}</Panel>
 */
export function Panel<T>({
  title,
  resource,
  isEmpty,
  empty = 'No data in this time range.',
  children,
  wide,
  id,
}: {
  title: string;
  resource: Resource<T>;
  isEmpty?: (data: T) => boolean;
  empty?: string;
  children: (data: T) => ReactNode;
  wide?: boolean;
  id?: string;
}) {
  const headingId = `${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-h`;
  let body: ReactNode;
  if (resource.data !== undefined) {
    body = isEmpty?.(resource.data) ? <p className="empty">{empty}</p> : children(resource.data);
  } else if (resource.error !== undefined) {
    body = (
      <p className="error-text" role="alert">
        Could not load: {resource.error.message}{' '}
        <button type="button" className="link" onClick={resource.reload}>
          Retry
        </button>
      </p>
    );
  } else {
    body = (
      <p className="loading" aria-busy="true">
        Loading…
      </p>
    );
  }
  return (
    <section className={`panel${wide ? ' panel-wide' : ''}`} aria-labelledby={headingId} data-panel={title}>
      <h3 id={headingId}>{title}</h3>
      {resource.data !== undefined && resource.error !== undefined ? (
        <p className="stale">Showing earlier data: the last refresh failed ({resource.error.message}).</p>
      ) : null}
      {body}
    </section>
  );
}

/**
 * Catches render errors below it so a broken panel never blanks the page.
 *
 * @example
 * <ErrorBoundary label="Errors tab"><ErrorsTab /></ErrorBoundary>
 */
export class ErrorBoundary extends Component<{ label: string; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`${this.props.label} failed to render`, error, info.componentStack);
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    return (
      <div className="panel" role="alert">
        <h3>{this.props.label} could not be shown</h3>
        <p className="error-text">{this.state.error.message}</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}

/**
 * A horizontally scrollable box for wide tables, focusable so keyboard users can scroll it.
 *
 * @example
 * <TableScroll label="Top errors"><table>…</table></TableScroll>
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
