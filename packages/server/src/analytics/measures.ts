import type { RollupRecord } from '../store/store.js';
import type { WindowData } from './load-window.js';
import { countOf, distinctVisitors, meanOf, mergeDistribution, percent, quantileOf, sumOf } from './rollup-math.js';

const FAILED = new Set(['5xx', 'net']);

/**
 * Availability from API requests: the share answered without a 5xx or a network failure.
 * Null without requests.
 *
 * @example
 * requestAvailability(api); // 99.4
 */
export function requestAvailability(api: readonly RollupRecord[]): number | null {
  const requests = countOf(api);
  return percent(requests - countOf(api, (k) => FAILED.has(k.statusClass)), requests);
}

/**
 * Service uptime from the health checks' `service.up` gauges (1 up, 0 down): Σ value / Σ samples.
 * Null when no check reported.
 *
 * @example
 * serviceUptime(gauges); // 100
 */
export function serviceUptime(gauges: readonly RollupRecord[]): number | null {
  const up = meanOf(gauges, (k) => k.name === 'service.up');
  return up === null ? null : 100 * up;
}

/**
 * The error rate in percent: failed operations over operations, where operations are API
 * requests plus user actions, and failures are every error event except `api` ones, plus the
 * larger of the `api` error events and the 5xx/network-failed requests. The browser SDK reports
 * each failed request both as an api event and as an `api` error, so taking the larger counts
 * a failed request once whether one side or both report it. Capped at 100; null without operations.
 *
 * @example
 * errorRate(api, errors, actions); // 1.25
 */
export function errorRate(
  api: readonly RollupRecord[],
  errors: readonly RollupRecord[],
  actions: readonly RollupRecord[],
): number | null {
  const operations = countOf(api) + countOf(actions);
  const apiErrors = countOf(errors, (k) => k.name === 'api');
  const otherErrors = countOf(errors) - apiErrors;
  const failedRequests = countOf(api, (k) => FAILED.has(k.statusClass));
  const rate = percent(otherErrors + Math.max(apiErrors, failedRequests), operations);
  return rate === null ? null : Math.min(100, rate);
}

/**
 * Every base measure of a window, unrounded: the inputs of KPIs and the performance score.
 */
export interface WindowMeasures {
  requests: number;
  /** Requests answered without a 5xx or network failure, %. */
  requestAvailability: number | null;
  /** Mean of `service.up` × 100. */
  serviceUptime: number | null;
  /** The lower of the two above (the worse view wins); null when both are. */
  availability: number | null;
  p95ResponseMillis: number | null;
  errorRate: number | null;
  requestsPerMinute: number | null;
  cacheHitRate: number | null;
  activeUsers: number;
  activeSessions: number;
  satisfaction: number | null;
  courseCompletion: number | null;
  videoEngagement: number | null;
  pwaInstallRate: number | null;
}

const action = (records: readonly RollupRecord[], name: string): number => countOf(records, (k) => k.name === name);

/**
 * Computes {@link WindowMeasures} from a window's rollups and session sketches.
 *
 * @example
 * measureWindow(data).p95ResponseMillis; // 412.7
 */
export function measureWindow(data: WindowData): WindowMeasures {
  const { api, error, action: actions, gauge, rating, session } = data.rollups;
  const requests = countOf(api);
  const reqAvail = requestAvailability(api);
  const uptime = serviceUptime(gauge);
  const known = [reqAvail, uptime].filter((v): v is number => v !== null);
  const hits = sumOf(gauge, (k) => k.name === 'cache.hits');
  const misses = sumOf(gauge, (k) => k.name === 'cache.misses');
  const visitors = distinctVisitors(data.sessions);
  const minutes = (data.to - data.from) / 60_000;
  return {
    requests,
    requestAvailability: reqAvail,
    serviceUptime: uptime,
    availability: known.length === 0 ? null : Math.min(...known),
    p95ResponseMillis: quantileOf(mergeDistribution(api), 0.95),
    errorRate: errorRate(api, error, actions),
    requestsPerMinute: minutes > 0 ? requests / minutes : null,
    cacheHitRate: percent(hits, hits + misses),
    activeUsers: visitors.users,
    activeSessions: visitors.sessions,
    satisfaction: meanOf(rating),
    courseCompletion: percent(action(actions, 'course_complete'), action(actions, 'course_view')),
    videoEngagement: percent(action(actions, 'video_complete'), action(actions, 'video_start')),
    pwaInstallRate: percent(
      action(actions, 'pwa_install'),
      countOf(session, (k) => k.name === 'start'),
    ),
  };
}
