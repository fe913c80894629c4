import type { ErrorKind, Severity } from '@vigil/schema';

/** The caller's role as the server sees it. */
export type Role = 'viewer' | 'operator' | 'admin';

/** `GET /api/v1/session`. */
export interface SessionInfo {
  kind: 'session' | 'token';
  user: { id: string; name: string } | null;
  role: Role;
}

/** A time window in epoch milliseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

/** One bucket of `GET /api/v1/series`. */
export interface SeriesBucket {
  ts: number;
  count: number;
  sum: number;
  avg: number | null;
  min: number | null;
  max: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** `GET /api/v1/series`. */
export interface SeriesResponse extends TimeRange {
  metric: string;
  step: number;
  buckets: SeriesBucket[];
}

/** One KPI of `GET /api/v1/kpis`. */
export interface Kpi {
  key: string;
  label: string;
  unit: string;
  value: number | null;
  previous: number | null;
  change: number | null;
  changePercent: number | null;
  trend: 'up' | 'down' | 'flat';
  /** Whether the change is good news (null: neutral or unknown). */
  good: boolean | null;
}

/** `GET /api/v1/kpis`. */
export interface KpisResponse extends TimeRange {
  operational: Kpi[];
  business: Kpi[];
}

/** `GET /api/v1/score`. */
export interface ScoreResponse extends TimeRange {
  score: number | null;
  components: { key: string; score: number | null; weight: number; inputs: Record<string, number | null> }[];
  excluded: string[];
}

/** One row of `GET /api/v1/percentiles`. */
export interface PercentileRow {
  key: string;
  count: number;
  throughputPerMinute: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** `GET /api/v1/percentiles`. */
export interface PercentilesResponse extends TimeRange {
  groupBy: 'phase' | 'operation';
  rows: PercentileRow[];
}

/** `GET /api/v1/trends`. */
export interface TrendResponse extends TimeRange {
  name?: string;
  stat: string;
  points: { ts: number; value: number | null }[];
  mean: number | null;
  previousMean: number | null;
  changePercent: number | null;
  slopePerHour: number | null;
  threshold: number | null;
  crossesAt: number | null;
}

/** One recommendation of `GET /api/v1/recommendations`. */
export interface Recommendation {
  id: string;
  rule: string;
  priority: 'high' | 'medium' | 'low';
  title: string;
  evidence: Record<string, unknown>;
}

/** An error group (`GET /api/v1/errors`, `/errors/analysis` top). */
export interface ErrorGroup {
  fingerprint: string;
  kind: ErrorKind;
  errorName: string;
  message: string;
  phase: string;
  service: string;
  environment: string;
  firstSeen: number;
  lastSeen: number;
  count: number;
  buckets?: number[];
  trend?: 'rising' | 'falling' | 'stable';
}

/** `GET /api/v1/errors/analysis`. */
export interface ErrorAnalysisResponse extends TimeRange {
  step: number;
  total: number;
  byKind: Record<string, number>;
  byPhase: Record<string, number>;
  top: ErrorGroup[];
}

/** One occurrence of `GET /api/v1/errors/:fingerprint`. */
export interface ErrorOccurrence {
  ts: number;
  message: string;
  stack: string | null;
  context: string | null;
  release: string | null;
}

/** An incident (`GET /api/v1/incidents`). */
export interface Incident {
  id: string;
  title: string;
  severity: Severity;
  status: 'open' | 'acknowledged' | 'resolved';
  source: string;
  openedAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
}

/** One timeline entry of `GET /api/v1/incidents/:id`. */
export interface IncidentEvent {
  ts: number;
  type: string;
  message: string;
}

/** MTTR/MTTA figures of one severity or overall (`GET /api/v1/mttr`). */
export interface MttrFigures {
  incidents: number;
  resolved: number;
  acknowledged: number;
  mttrMillis: number | null;
  mttaMillis: number | null;
}

/** `GET /api/v1/mttr`. */
export interface MttrResponse extends TimeRange {
  overall: MttrFigures;
  bySeverity: Record<Severity, MttrFigures>;
}

/** `GET /api/v1/ux`. */
export interface UxResponse extends TimeRange {
  distinctSessions: number;
  distinctUsers: number;
  avgSessionMillis: number | null;
  actionsPerSession: number | null;
  satisfaction: { ratings: number; average: number | null };
}

/** One check of the health document (`GET /api/v1/health`, RFC draft health+json). */
export interface HealthCheckResult {
  componentId?: string;
  componentType?: string;
  status: 'pass' | 'warn' | 'fail';
  observedValue?: number | string;
  observedUnit?: string;
  time?: string;
  output?: string;
}

/** `GET /api/v1/health`. */
export interface HealthDocument {
  status: 'pass' | 'warn' | 'fail';
  description?: string;
  checks: Record<string, HealthCheckResult[]>;
}

/** One service of `GET /api/v1/health/services`. */
export interface ServiceHealth {
  name: string;
  kind: string | null;
  status: string;
  lastCheckedAt: number | null;
  lastDetail: string | null;
  checks: number;
  failures: number;
  uptimePercent: number | null;
  latencyMillis: { avg: number; max: number } | null;
}

/** `GET /api/v1/health/services/:name/history`. */
export interface ServiceHistory extends TimeRange {
  name: string;
  uptimePercent: number | null;
  results: { ts: number; ok: boolean; latencyMillis: number | null; status: string; detail: string | null }[];
}

/** Alert states. */
export type AlertStatus = 'pending' | 'firing' | 'resolved' | 'dismissed';

/** An alert (`GET /api/v1/alerts`). */
export interface Alert {
  id: string;
  ruleId: string;
  title: string;
  type: string;
  severity: Severity;
  status: AlertStatus;
  labels: Record<string, string>;
  value: number | null;
  threshold: number;
  pendingSince: number;
  firedAt: number | null;
  resolvedAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  dismissedAt: number | null;
  incidentId: string | null;
  updatedAt: number;
}

/** One history entry of `GET /api/v1/alerts/:id`. */
export interface AlertHistoryEntry {
  ts: number;
  type: string;
  actor?: string | null;
  text?: string | null;
  message?: string | null;
}

/** An alert rule (`GET /api/v1/rules`); other fields pass through unchanged on PUT. */
export interface AlertRule {
  id: string;
  name: string;
  type: string;
  severity: Severity;
  comparator: string;
  threshold: number;
  enabled: boolean;
  [field: string]: unknown;
}

/** A user (`GET /api/v1/users`). */
export interface UserRow {
  id: string;
  name: string;
  role: Role;
  createdAt: number;
  disabled: boolean;
}

/** An ingest key (`GET /api/v1/keys`); the secret itself is never returned. */
export interface IngestKeyRow {
  id: string;
  project: string;
  environment: string | null;
  label: string;
  createdAt: number;
  revokedAt: number | null;
}

/** `GET /api/v1/retention`. */
export interface RetentionSettings {
  detailedDays: number;
  aggregatedDays: number;
  defaults: { detailedDays: number; aggregatedDays: number };
}
