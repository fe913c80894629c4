import type pg from 'pg';
import { SqlAlerts, type SqlExecutor } from './sql-alerts.js';
import type { StoreRow } from './store-row.js';

/** `?` placeholders to `$1…$n` (the alert SQL holds no other question marks). */
const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/**
 * The PostgreSQL executor of the alert tables, over the store's pool; `batch` runs in one
 * transaction on one pooled connection.
 *
 * @example
 * const alerts = postgresAlerts(pool);
 */
export function postgresAlerts(pool: pg.Pool): SqlAlerts {
  const exec: SqlExecutor = {
    async all(sql, params) {
      return (await pool.query(numbered(sql), params)).rows as StoreRow[];
    },
    async run(sql, params) {
      return (await pool.query(numbered(sql), params)).rowCount ?? 0;
    },
    async batch(statements) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        for (const [sql, params] of statements) await client.query(numbered(sql), params);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch((e: Error) => {
          broken = e;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
  return new SqlAlerts(exec);
}
