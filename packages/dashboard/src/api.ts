import type {
  Alert,
  AlertHistoryEntry,
  AlertRule,
  ChannelView,
  CreatedIngestKey,
  ErrorAnalysisResponse,
  ErrorOccurrence,
  HealthCheckView,
  HealthDocument,
  Incident,
  IncidentEvent,
  IngestKeyRow,
  KpisResponse,
  MttrResponse,
  PercentilesResponse,
  Recommendation,
  RetentionSettings,
  ScoreResponse,
  SeriesResponse,
  ServiceHealth,
  ServiceHistory,
  SessionInfo,
  TimeRange,
  TrendResponse,
  UserChange,
  UserRow,
  UxResponse,
} from '@vigil/schema';

/** A failed API call: the HTTP status and the server's catalogue code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | undefined>;

/**
 * The typed client of the Vigil read, alert and session APIs. Cookie sessions by default
 * (same origin); writes carry the CSRF header the server requires of cookie callers.
 *
 * @example
 * const api = new VigilApi('');
 * const { alerts } = await api.alerts({ from: 0, to: Date.now() });
 */
export class VigilApi {
  /**
   * @param baseUrl the Vigil server ('' for the page's own origin)
   * @param onUnauthorized called when a call other than the session check answers 401 (the
   *   session ended): the page shows the login form again
   */
  constructor(
    readonly baseUrl = '',
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  private async call<T>(method: string, path: string, query: Query = {}, body?: unknown): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.size > 0 ? `?${params}` : '';
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') headers['x-vigil-csrf'] = '1';
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}${qs}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, 'NETWORK', 'The Vigil server could not be reached.');
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      // A proxy's HTML error page: reported below with the status.
    }
    if (res.status === 401 && path !== '/api/v1/session') this.onUnauthorized();
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string; detail?: string } } | null)?.error;
      const message = err?.detail ? `${err.message ?? ''} ${err.detail}`.trim() : (err?.message ?? res.statusText);
      throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, message || `HTTP ${res.status}`);
    }
    return json as T;
  }

  /** Who is signed in; an ApiError with status 401 when nobody is. */
  session(): Promise<SessionInfo> {
    return this.call('GET', '/api/v1/session');
  }
  login(username: string, password: string): Promise<{ user: { name: string; role: string } }> {
    return this.call('POST', '/api/v1/session', {}, { username, password });
  }
  logout(): Promise<void> {
    return this.call('DELETE', '/api/v1/session');
  }

  series(range: TimeRange, filter: Query & { metric: string }): Promise<SeriesResponse> {
    return this.call('GET', '/api/v1/series', { ...range, ...filter });
  }
  kpis(range: TimeRange): Promise<KpisResponse> {
    return this.call('GET', '/api/v1/kpis', { ...range });
  }
  score(range: TimeRange): Promise<ScoreResponse> {
    return this.call('GET', '/api/v1/score', { ...range });
  }
  percentiles(range: TimeRange, groupBy: 'phase' | 'operation'): Promise<PercentilesResponse> {
    return this.call('GET', '/api/v1/percentiles', { ...range, groupBy });
  }
  trends(range: TimeRange, filter: Query & { metric: string }): Promise<TrendResponse> {
    return this.call('GET', '/api/v1/trends', { ...range, ...filter });
  }
  recommendations(range: TimeRange): Promise<{ recommendations: Recommendation[] }> {
    return this.call('GET', '/api/v1/recommendations', { ...range });
  }
  errorAnalysis(range: TimeRange): Promise<ErrorAnalysisResponse> {
    return this.call('GET', '/api/v1/errors/analysis', { ...range });
  }
  errorGroup(fingerprint: string): Promise<{ fingerprint: string; occurrences: ErrorOccurrence[] }> {
    return this.call('GET', `/api/v1/errors/${encodeURIComponent(fingerprint)}`, { limit: 5 });
  }
  incidents(range: TimeRange): Promise<{ incidents: Incident[] }> {
    return this.call('GET', '/api/v1/incidents', { ...range, limit: 50 });
  }
  incident(id: string): Promise<{ incident: Incident; timeline: IncidentEvent[] }> {
    return this.call('GET', `/api/v1/incidents/${encodeURIComponent(id)}`);
  }
  mttr(range: TimeRange): Promise<MttrResponse> {
    return this.call('GET', '/api/v1/mttr', { ...range });
  }
  ux(range: TimeRange): Promise<UxResponse> {
    return this.call('GET', '/api/v1/ux', { ...range });
  }
  health(): Promise<HealthDocument> {
    return this.call('GET', '/api/v1/health');
  }
  services(range: TimeRange): Promise<{ services: ServiceHealth[] }> {
    return this.call('GET', '/api/v1/health/services', { ...range });
  }
  serviceHistory(name: string, range: TimeRange): Promise<ServiceHistory> {
    return this.call('GET', `/api/v1/health/services/${encodeURIComponent(name)}/history`, { ...range, limit: 300 });
  }

  alerts(range: TimeRange): Promise<{ alerts: Alert[] }> {
    return this.call('GET', '/api/v1/alerts', { ...range, limit: 500 });
  }
  alert(id: string): Promise<{ alert: Alert; history: AlertHistoryEntry[] }> {
    return this.call('GET', `/api/v1/alerts/${encodeURIComponent(id)}`);
  }
  /** Acknowledge, dismiss or reopen an alert (operator). */
  alertAction(id: string, action: 'ack' | 'dismiss' | 'reopen'): Promise<{ alert: Alert }> {
    return this.call('POST', `/api/v1/alerts/${encodeURIComponent(id)}/${action}`, {}, {});
  }
  alertNote(id: string, text: string): Promise<{ alert: Alert }> {
    return this.call('POST', `/api/v1/alerts/${encodeURIComponent(id)}/notes`, {}, { text });
  }
  alertIncident(id: string): Promise<{ alert: Alert }> {
    return this.call('POST', `/api/v1/alerts/${encodeURIComponent(id)}/incident`, {}, {});
  }

  /** Alert rules, enabled and disabled (rules are opaque here beyond what the table shows). */
  rules(): Promise<{ rules: AlertRule[] }> {
    return this.call('GET', '/api/v1/rules');
  }
  /** Replaces a rule (admin). */
  putRule(rule: AlertRule): Promise<{ rule: AlertRule }> {
    return this.call('PUT', `/api/v1/rules/${encodeURIComponent(rule.id)}`, {}, rule);
  }
  /** Adds a rule (admin); the server validates every field. */
  createRule(rule: Record<string, unknown>): Promise<{ rule: AlertRule }> {
    return this.call('POST', '/api/v1/rules', {}, rule);
  }
  deleteRule(id: string): Promise<void> {
    return this.call('DELETE', `/api/v1/rules/${encodeURIComponent(id)}`);
  }
  users(): Promise<{ users: UserRow[] }> {
    return this.call('GET', '/api/v1/users');
  }
  /** Adds a user (admin); without a password the server generates one and returns it once. */
  createUser(name: string, role: string, password?: string): Promise<UserChange> {
    return this.call('POST', '/api/v1/users', {}, password ? { name, role, password } : { name, role });
  }
  /** Changes a user's role, disables or enables them, or resets their password (returned once). */
  patchUser(id: string, change: { role?: string; disabled?: boolean; resetPassword?: boolean }): Promise<UserChange> {
    return this.call('PATCH', `/api/v1/users/${encodeURIComponent(id)}`, {}, change);
  }
  keys(): Promise<{ keys: IngestKeyRow[] }> {
    return this.call('GET', '/api/v1/keys');
  }
  /** Makes an ingest key (admin); the answer holds the key, which is never shown again. */
  createKey(key: { project: string; environment?: string; label: string }): Promise<CreatedIngestKey> {
    return this.call('POST', '/api/v1/keys', {}, key);
  }
  revokeKey(id: string): Promise<void> {
    return this.call('DELETE', `/api/v1/keys/${encodeURIComponent(id)}`);
  }
  /** Channels with their secrets masked as `***`. */
  channels(): Promise<{ channels: ChannelView[] }> {
    return this.call('GET', '/api/v1/channels');
  }
  /** Replaces a channel's whole configuration (admin); secrets must be sent again. */
  putChannel(channel: ChannelView): Promise<{ channel: ChannelView }> {
    return this.call('PUT', `/api/v1/channels/${encodeURIComponent(channel.name)}`, {}, channel);
  }
  healthChecks(): Promise<{ checks: HealthCheckView[] }> {
    return this.call('GET', '/api/v1/health/checks');
  }
  createHealthCheck(check: Record<string, unknown>): Promise<{ check: HealthCheckView }> {
    return this.call('POST', '/api/v1/health/checks', {}, check);
  }
  deleteHealthCheck(name: string): Promise<void> {
    return this.call('DELETE', `/api/v1/health/checks/${encodeURIComponent(name)}`);
  }
  retention(): Promise<RetentionSettings> {
    return this.call('GET', '/api/v1/retention');
  }
  putRetention(days: { detailedDays: number; aggregatedDays: number }): Promise<RetentionSettings> {
    return this.call('PUT', '/api/v1/retention', {}, days);
  }

  /** The live stream URL (server-sent events: `alert` and `incident`). */
  streamUrl(): string {
    return `${this.baseUrl}/api/v1/stream`;
  }
}
