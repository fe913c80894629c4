/**
 * Shapes of the Vigil HTTP API's JSON answers, shared by the server (which produces them) and the
 * dashboard (which reads them), so that neither writes them a second time.
 */
import type { Severity } from './error-analysis.js';

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

/**
 * One bucket of `GET /api/v1/series`. Latency-like values are in the metric's unit (ms for timings).
 *
 * @example
 * const rate = bucket.count / (step / 60_000);
 */
export interface SeriesBucket {
  /** Bucket start, epoch ms. */
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

/**
 * One KPI of `GET /api/v1/kpis`: this period, the previous one of the same length, and which way
 * it moved.
 *
 * @example
 * const label = `${kpi.label}: ${kpi.value} ${kpi.unit}`;
 */
export interface Kpi {
  key: string;
  label: string;
  unit: '%' | 'ms' | 'req/min' | 'users' | 'score';
  value: number | null;
  previous: number | null;
  /** value − previous. */
  change: number | null;
  /** 100 × change / previous (null when previous is 0 or missing). */
  changePercent: number | null;
  /** `flat` when the change is under 1 % of the previous value (or either side is missing). */
  trend: 'up' | 'down' | 'flat';
  /** Whether the move is in the better direction; null when flat. */
  good: boolean | null;
  /** Extra figures behind the value (e.g. sessions next to users). */
  detail?: Record<string, number | null>;
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

/** Which figure of a bucket a trend follows. */
export type TrendStat = 'avg' | 'p50' | 'p95' | 'p99' | 'count' | 'max';

/**
 * A trend of one stat over a range: its mean against the previous period and a linear fit.
 *
 * @example
 * const rising = (trend.slopePerHour ?? 0) > 0;
 */
export interface TrendAnalysis {
  stat: TrendStat;
  points: { ts: number; value: number | null }[];
  mean: number | null;
  previousMean: number | null;
  changePercent: number | null;
  slopePerHour: number | null;
  threshold: number | null;
  /** When the linear extrapolation reaches the threshold (null: not rising, or no threshold). */
  crossesAt: number | null;
}

/** `GET /api/v1/trends`. */
export interface TrendResponse extends TimeRange, TrendAnalysis {
  name?: string;
}

/** One recommendation of `GET /api/v1/recommendations`. */
export interface Recommendation {
  id: string;
  rule: string;
  priority: 'high' | 'medium' | 'low';
  title: string;
  evidence: Record<string, unknown>;
}

/**
 * A stored error group with its totals over a queried range.
 *
 * @example
 * const lastHour = group.lastSeen > Date.now() - 3_600_000;
 */
export interface ErrorGroupTotals {
  fingerprint: string;
  kind: string;
  errorName: string;
  /** Normalised message (numbers, ids and quoted values replaced). */
  message: string;
  phase: string;
  service: string;
  environment: string;
  firstSeen: number;
  lastSeen: number;
  /** Occurrences inside the queried range. */
  count: number;
}

/** An error group (`GET /api/v1/errors`, `/errors/analysis` top), with its trend when asked. */
export interface ErrorGroup extends ErrorGroupTotals {
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

/** Where an alert is in its life; acknowledgement is a mark on a firing alert, not a status. */
export type AlertStatus = 'pending' | 'firing' | 'resolved' | 'dismissed';

/**
 * An alert (`GET /api/v1/alerts`): an instance of a rule for one set of labels, from the first
 * breach (`pendingSince`) until it resolves.
 *
 * @example
 * const open = alert.resolvedAt === null;
 */
export interface Alert {
  id: string;
  ruleId: string;
  title: string;
  type: string;
  severity: Severity;
  status: AlertStatus;
  labels: Record<string, string>;
  /** The last evaluated value (null: no data). */
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
  /** Where the value must get back to for the alert to resolve (hysteresis). */
  resolveThreshold: number;
  /** How long the breach must hold before the alert fires. */
  forMillis: number;
  enabled: boolean;
  /** Made by the server (one per health check): only enabling and disabling apply. */
  generated?: boolean;
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

/**
 * An ingest key as listed to admins (`GET /api/v1/keys`): everything but its hash.
 *
 * @example
 * const active = key.revokedAt === null;
 */
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

/** `POST /api/v1/keys`: the new key, shown this once (only its hash is stored). */
export interface CreatedIngestKey {
  key: string;
  id: string;
  project: string;
  environment: string | null;
  label: string;
}

/** `POST /api/v1/users` and `PATCH /api/v1/users/:id`: a generated password is shown once. */
export interface UserChange {
  user: UserRow;
  password: string | null;
}

/** A notification channel (`GET /api/v1/channels`); secret fields come back as `***`. */
export interface ChannelView {
  name: string;
  type: string;
  [field: string]: unknown;
}

/** A configured health check (`GET /api/v1/health/checks`); other fields depend on its kind. */
export interface HealthCheckView {
  name: string;
  kind: string;
  status: string;
  [field: string]: unknown;
}
