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

/** Runs one statement on the store's pool; resolves to its rows and row count. */
export type PgQuery = (sql: string, values: unknown[]) => Promise<{ rows: StoreRow[]; rowCount: number }>;

/**
 * The SQL of the health tables on PostgreSQL; `PostgresStore` delegates to it.
 *
 * @example
 * const health = new PostgresHealthTables(async (sql, values) => { const r = await pool.query(sql, values); return { rows: r.rows, rowCount: r.rowCount ?? 0 }; }, Date.now);
 */
export class PostgresHealthTables {
  constructor(
    private readonly query: PgQuery,
    private readonly now: () => number,
  ) {}

  async list(): Promise<HealthCheckRecord[]> {
    const { rows } = await this.query(
      `SELECT ${HEALTH_CHECK_COLUMNS} FROM health_checks ORDER BY name COLLATE "C"`,
      [],
    );
    return rows.map(toHealthCheck);
  }

  async put(c: HealthCheckRecord): Promise<void> {
    await this.query(
      `INSERT INTO health_checks (${HEALTH_CHECK_COLUMNS}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, target = excluded.target,
         interval_millis = excluded.interval_millis, timeout_millis = excluded.timeout_millis,
         retries = excluded.retries, expect_status = excluded.expect_status,
         body_match = excluded.body_match, updated_at = excluded.updated_at`,
      [c.name, c.kind, c.target, c.intervalMillis, c.timeoutMillis, c.retries, c.expectStatus, c.bodyMatch, this.now()],
    );
  }

  async delete(name: string): Promise<boolean> {
    return (await this.query('DELETE FROM health_checks WHERE name = $1', [name])).rowCount > 0;
  }

  async append(results: HealthResultRecord[]): Promise<void> {
    if (results.length === 0) return;
    await this.query(
      `INSERT INTO health_results (${HEALTH_RESULT_COLUMNS})
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::boolean[], $4::float8[], $5::text[], $6::text[])`,
      [
        results.map((r) => r.check),
        results.map((r) => r.ts),
        results.map((r) => r.ok),
        results.map((r) => r.latencyMillis),
        results.map((r) => r.status),
        results.map((r) => r.detail),
      ],
    );
  }

  async results(q: { check: string; from: number; to: number; limit: number }): Promise<HealthResultRecord[]> {
    // ctid breaks ties between equal timestamps in insertion order, like SQLite's rowid.
    const { rows } = await this.query(
      `SELECT ${HEALTH_RESULT_COLUMNS} FROM (
         SELECT ctid AS id, ${HEALTH_RESULT_COLUMNS} FROM health_results
         WHERE check_name = $1 AND ts >= $2 AND ts < $3 ORDER BY ts DESC, id DESC LIMIT $4
       ) r ORDER BY ts, id`,
      [q.check, q.from, q.to, q.limit],
    );
    return rows.map(toHealthResult);
  }

  async summarize(q: { from: number; to: number }): Promise<HealthResultSummary[]> {
    const { rows } = await this.query(
      `SELECT ${HEALTH_SUMMARY_COLUMNS} FROM health_results WHERE ts >= $1 AND ts < $2
       GROUP BY check_name ORDER BY check_name COLLATE "C"`,
      [q.from, q.to],
    );
    return rows.map(toHealthSummary);
  }

  async prune(before: number): Promise<number> {
    return (await this.query('DELETE FROM health_results WHERE ts < $1', [before])).rowCount;
  }
}
