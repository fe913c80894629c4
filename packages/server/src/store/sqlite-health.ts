import type Database from 'better-sqlite3';
import {
  HEALTH_CHECK_COLUMNS,
  HEALTH_RESULT_COLUMNS,
  HEALTH_SUMMARY_COLUMNS,
  toHealthCheck,
  toHealthResult,
  toHealthSummary,
} from './health-rows.js';
import type { HealthCheckRecord, HealthResultRecord, HealthResultSummary } from './store.js';
import type { StoreRow } from './store-row.js';

/**
 * The SQL of the health tables on SQLite; `SqliteStore` delegates to it. Statements come from
 * the store's prepared-statement cache.
 *
 * @example
 * const health = new SqliteHealthTables((sql) => this.stmt(sql), (work) => this.db.transaction(work)());
 */
export class SqliteHealthTables {
  constructor(
    private readonly stmt: (sql: string) => Database.Statement,
    private readonly transaction: (work: () => void) => void,
    private readonly now: () => number,
  ) {}

  list(): HealthCheckRecord[] {
    return this.stmt(`SELECT ${HEALTH_CHECK_COLUMNS} FROM health_checks ORDER BY name`)
      .all()
      .map((row) => toHealthCheck(row as StoreRow));
  }

  put(c: HealthCheckRecord): void {
    this.stmt(
      `INSERT INTO health_checks (${HEALTH_CHECK_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, target = excluded.target,
         interval_millis = excluded.interval_millis, timeout_millis = excluded.timeout_millis,
         retries = excluded.retries, expect_status = excluded.expect_status,
         body_match = excluded.body_match, updated_at = excluded.updated_at`,
    ).run(
      c.name,
      c.kind,
      c.target,
      c.intervalMillis,
      c.timeoutMillis,
      c.retries,
      c.expectStatus,
      c.bodyMatch,
      this.now(),
    );
  }

  delete(name: string): boolean {
    return this.stmt('DELETE FROM health_checks WHERE name = ?').run(name).changes > 0;
  }

  append(results: HealthResultRecord[]): void {
    const insert = this.stmt(`INSERT INTO health_results (${HEALTH_RESULT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`);
    this.transaction(() => {
      for (const r of results) insert.run(r.check, r.ts, r.ok ? 1 : 0, r.latencyMillis, r.status, r.detail);
    });
  }

  results(q: { check: string; from: number; to: number; limit: number }): HealthResultRecord[] {
    return this.stmt(
      `SELECT ${HEALTH_RESULT_COLUMNS} FROM (
         SELECT rowid AS id, ${HEALTH_RESULT_COLUMNS} FROM health_results
         WHERE check_name = ? AND ts >= ? AND ts < ? ORDER BY ts DESC, id DESC LIMIT ?
       ) ORDER BY ts, id`,
    )
      .all(q.check, q.from, q.to, q.limit)
      .map((row) => toHealthResult(row as StoreRow));
  }

  summarize(q: { from: number; to: number }): HealthResultSummary[] {
    return this.stmt(
      `SELECT ${HEALTH_SUMMARY_COLUMNS} FROM health_results WHERE ts >= ? AND ts < ?
       GROUP BY check_name ORDER BY check_name`,
    )
      .all(q.from, q.to)
      .map((row) => toHealthSummary(row as StoreRow));
  }

  prune(before: number): number {
    return this.stmt('DELETE FROM health_results WHERE ts < ?').run(before).changes;
  }
}
