import type Database from 'better-sqlite3';
import { SqlAlerts, type SqlExecutor } from './sql-alerts.js';
import type { StoreRow } from './store-row.js';

/**
 * The SQLite executor of the alert tables: prepared statements (cached by the store), and
 * `batch` in one IMMEDIATE transaction.
 *
 * @example
 * const alerts = sqliteAlerts(db, (sql) => db.prepare(sql));
 */
export function sqliteAlerts(db: Database.Database, stmt: (sql: string) => Database.Statement): SqlAlerts {
  const exec: SqlExecutor = {
    async all(sql, params) {
      return stmt(sql).all(...params) as StoreRow[];
    },
    async run(sql, params) {
      return stmt(sql).run(...params).changes;
    },
    async batch(statements) {
      db.transaction(() => {
        for (const [sql, params] of statements) stmt(sql).run(...params);
      }).immediate();
    },
  };
  return new SqlAlerts(exec);
}
