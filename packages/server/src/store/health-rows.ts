import type { HealthCheckRecord, HealthResultRecord, HealthResultSummary } from './store.js';
import { nullableNumber, nullableText, type StoreRow } from './store-rows.js';

/**
 * A `health_checks` row as a record (both adapters).
 *
 * @example
 * const check = toHealthCheck(row);
 */
export function toHealthCheck(row: StoreRow): HealthCheckRecord {
  return {
    name: String(row.name),
    kind: String(row.kind) as HealthCheckRecord['kind'],
    target: String(row.target),
    intervalMillis: Number(row.interval_millis),
    timeoutMillis: Number(row.timeout_millis),
    retries: Number(row.retries),
    expectStatus: nullableNumber(row.expect_status),
    bodyMatch: nullableText(row.body_match),
  };
}

/**
 * A `health_results` row as a record; `ok` arrives as 0/1 (SQLite) or a boolean (PostgreSQL).
 *
 * @example
 * const result = toHealthResult(row);
 */
export function toHealthResult(row: StoreRow): HealthResultRecord {
  return {
    check: String(row.check_name),
    ts: Number(row.ts),
    ok: row.ok === true || Number(row.ok) === 1,
    latencyMillis: Number(row.latency_millis),
    status: String(row.status) as HealthResultRecord['status'],
    detail: nullableText(row.detail),
  };
}

/**
 * A per-check aggregate row as a summary.
 *
 * @example
 * const summary = toHealthSummary(row);
 */
export function toHealthSummary(row: StoreRow): HealthResultSummary {
  return {
    check: String(row.check_name),
    total: Number(row.total),
    ok: Number(row.ok_count),
    avgLatencyMillis: Number(row.avg_latency),
    maxLatencyMillis: Number(row.max_latency),
    firstTs: Number(row.first_ts),
    lastTs: Number(row.last_ts),
  };
}

/** Column list shared by both adapters' SELECTs. */
export const HEALTH_CHECK_COLUMNS =
  'name, kind, target, interval_millis, timeout_millis, retries, expect_status, body_match';
/** Column list of `health_results` reads. */
export const HEALTH_RESULT_COLUMNS = 'check_name, ts, ok, latency_millis, status, detail';
/** Aggregate select of `summarizeHealthResults`, same SQL on both databases. */
export const HEALTH_SUMMARY_COLUMNS = `check_name, COUNT(*) AS total,
  SUM(CASE WHEN ok THEN 1 ELSE 0 END) AS ok_count, AVG(latency_millis) AS avg_latency,
  MAX(latency_millis) AS max_latency, MIN(ts) AS first_ts, MAX(ts) AS last_ts`;
