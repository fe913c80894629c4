import { ERROR_KINDS, type ErrorEvent, type ErrorKind } from './events.js';
import { fingerprintError } from './fingerprint.js';

/** One group of errors sharing a fingerprint. */
export interface ErrorGroupSummary {
  fingerprint: string;
  kind: ErrorKind;
  name?: string;
  /** The normalised message (ids, numbers and quoted values replaced). */
  message: string;
  phase?: string;
  count: number;
  /** Distinct (pseudonymised or raw) user ids seen in the group. */
  users: number;
  firstSeen: number;
  lastSeen: number;
}

/** What {@link analyzeErrors} returns. */
export interface ErrorAnalysis {
  /** Errors inside the window. */
  total: number;
  byKind: Record<ErrorKind, number>;
  /** Errors as a percentage of all events in the window, when the event total is known. */
  errorRate: number | null;
  /** Groups by count, largest first, at most `top`. */
  groups: ErrorGroupSummary[];
  /** The window's second half against its first half: ±20 % is `stable`. */
  trend: 'rising' | 'falling' | 'stable';
  from: number;
  to: number;
}

/** Options of {@link analyzeErrors}. */
export interface AnalyzeOptions {
  now: number;
  /** Default one hour. */
  windowMillis?: number;
  /** All events in the window, errors included, for `errorRate`. */
  totalEvents?: number;
  /** Default 10. */
  top?: number;
}

/** Severity from the spec's alert types. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** An incident: a burst of one error group, or an error rate over the threshold. */
export interface DetectedIncident {
  /** Stable for one burst: the fingerprint (or `error-rate`) and the window's first error time. */
  id: string;
  reason: 'burst' | 'error_rate';
  severity: Severity;
  title: string;
  kind?: ErrorKind;
  fingerprint?: string;
  count: number;
  startedAt: number;
  lastSeen: number;
}

/** Options of {@link detectIncidents}. */
export interface DetectOptions {
  now: number;
  /** Default five minutes. */
  windowMillis?: number;
  /** Occurrences of one group inside the window that make a burst (default 5). */
  minCount?: number;
  /** All events in the window, for the error-rate rule. */
  totalEvents?: number;
  /** Error-rate threshold in percent (the spec's `ERROR_RATE: 5`). */
  errorRatePercent?: number;
}

// The spec's alert types: system failures are critical, outages (API) high, auth medium, validation low.
const BASE_SEVERITY: Record<ErrorKind, Severity> = {
  system: 'critical',
  api: 'high',
  javascript: 'medium',
  auth: 'medium',
  validation: 'low',
};
const ESCALATE: Record<Severity, Severity> = { low: 'medium', medium: 'high', high: 'critical', critical: 'critical' };

function groupErrors(
  errors: readonly ErrorEvent[],
  from: number,
  to: number,
): Map<string, ErrorGroupSummary & { ids: Set<string> }> {
  const groups = new Map<string, ErrorGroupSummary & { ids: Set<string> }>();
  for (const e of errors) {
    if (e.ts < from || e.ts > to) continue;
    const { fingerprint, normalizedMessage } = fingerprintError(e);
    let g = groups.get(fingerprint);
    if (g === undefined) {
      g = {
        fingerprint,
        kind: e.kind,
        message: normalizedMessage,
        count: 0,
        users: 0,
        firstSeen: e.ts,
        lastSeen: e.ts,
        ids: new Set(),
      };
      if (e.name !== undefined) g.name = e.name;
      if (e.phase !== undefined) g.phase = e.phase;
      groups.set(fingerprint, g);
    }
    g.count++;
    if (e.userId !== undefined) g.ids.add(e.userId);
    if (e.ts < g.firstSeen) g.firstSeen = e.ts;
    if (e.ts > g.lastSeen) g.lastSeen = e.ts;
  }
  return groups;
}

/**
 * The trend of a count between the two halves of a window: more than 20 % up is `rising`, more
 * than 20 % down `falling`. Shared by the SDK's and the server's error analysis so they agree.
 *
 * @example
 * errorTrend(10, 13); // 'rising'
 */
export function errorTrend(firstHalf: number, secondHalf: number): 'rising' | 'falling' | 'stable' {
  return secondHalf > firstHalf * 1.2 ? 'rising' : secondHalf < firstHalf * 0.8 ? 'falling' : 'stable';
}

/**
 * The severity of an incident of one error kind: system failures critical, API outages high,
 * JavaScript and auth errors medium, validation low; one level higher when `escalate`.
 *
 * @example
 * severityForKind('api', true); // 'critical'
 */
export function severityForKind(kind: ErrorKind, escalate = false): Severity {
  const base = BASE_SEVERITY[kind];
  return escalate ? ESCALATE[base] : base;
}

/**
 * The severity of an error-rate incident: critical above twice the threshold, high otherwise.
 *
 * @example
 * errorRateSeverity(12, 5); // 'critical'
 */
export function errorRateSeverity(ratePercent: number, thresholdPercent: number): Severity {
  return ratePercent > thresholdPercent * 2 ? 'critical' : 'high';
}

/**
 * Error pattern analysis over a list of error events: totals by kind, error rate, the top
 * groups by fingerprint and the trend. Pure: the SDK runs it on what one process saw, the
 * server on stored occurrences, and the two agree.
 *
 * @example
 * const a = analyzeErrors(errors, { now: Date.now(), totalEvents: 2000 });
 * a.groups[0]?.message; // 'Cannot read properties of undefined (reading <str>)'
 */
export function analyzeErrors(errors: readonly ErrorEvent[], options: AnalyzeOptions): ErrorAnalysis {
  const to = options.now;
  const window = options.windowMillis ?? 3_600_000;
  const from = to - window;
  const byKind = Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as Record<ErrorKind, number>;
  let total = 0;
  let firstHalf = 0;
  for (const e of errors) {
    if (e.ts < from || e.ts > to) continue;
    total++;
    byKind[e.kind]++;
    if (e.ts < from + window / 2) firstHalf++;
  }
  const trend = errorTrend(firstHalf, total - firstHalf);
  const groups = [...groupErrors(errors, from, to).values()]
    .sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen)
    .slice(0, options.top ?? 10)
    .map(({ ids, ...g }) => ({ ...g, users: ids.size }));
  const events = options.totalEvents;
  const errorRate = events !== undefined && events > 0 ? Math.min(100, (total / events) * 100) : null;
  return { total, byKind, errorRate, groups, trend, from, to };
}

/**
 * Incident detection: a group with at least `minCount` errors inside the window is a burst
 * (severity from its kind, one level higher at four times `minCount`), and an error rate above
 * `errorRatePercent` is an incident of its own. Pure, like {@link analyzeErrors}.
 *
 * @example
 * detectIncidents(errors, { now: Date.now() }); // [{ reason: 'burst', severity: 'high', count: 12, … }]
 */
export function detectIncidents(errors: readonly ErrorEvent[], options: DetectOptions): DetectedIncident[] {
  const to = options.now;
  const from = to - (options.windowMillis ?? 300_000);
  const minCount = options.minCount ?? 5;
  const incidents: DetectedIncident[] = [];
  let total = 0;
  let firstTs = Number.POSITIVE_INFINITY;
  let lastTs = 0;
  for (const g of groupErrors(errors, from, to).values()) {
    total += g.count;
    firstTs = Math.min(firstTs, g.firstSeen);
    lastTs = Math.max(lastTs, g.lastSeen);
    if (g.count < minCount) continue;
    incidents.push({
      id: `${g.fingerprint}-${g.firstSeen}`,
      reason: 'burst',
      severity: severityForKind(g.kind, g.count >= minCount * 4),
      title: `${g.count} × ${g.kind} error: ${g.message}`.slice(0, 200),
      kind: g.kind,
      fingerprint: g.fingerprint,
      count: g.count,
      startedAt: g.firstSeen,
      lastSeen: g.lastSeen,
    });
  }
  const events = options.totalEvents;
  const threshold = options.errorRatePercent ?? 5;
  if (events !== undefined && events > 0 && total > 0 && (total / events) * 100 > threshold) {
    const rate = Math.round((total / events) * 1000) / 10;
    incidents.push({
      id: `error-rate-${firstTs}`,
      reason: 'error_rate',
      severity: errorRateSeverity(rate, threshold),
      title: `Error rate ${rate}% is above ${threshold}%`,
      count: total,
      startedAt: firstTs,
      lastSeen: lastTs,
    });
  }
  const order: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
  return incidents.sort((a, b) => order[a.severity] - order[b.severity] || b.count - a.count);
}
