import type Database from 'better-sqlite3';
import { joinRollupRows, seriesFilterParams, seriesFilterSql, toIndexedSeries } from './rollup-reader.js';
import type { RollupQuery, RollupRecord } from './store.js';

/**
 * `queryRollups` for SQLite in two steps: the matching series (a few hundred rows at most),
 * then the rollup rows by series id and bucket range in raw (array) mode, joined in memory.
 * Fetching the key columns with every row cost five to ten times the row itself.
 *
 * @example
 * const records = readSqliteRollups((sql) => db.prepare(sql), query);
 */
export function readSqliteRollups(stmt: (sql: string) => Database.Statement, q: RollupQuery): RollupRecord[] {
  const series = stmt(seriesFilterSql(() => '?'))
    .all(...seriesFilterParams(q).flatMap((v, i) => (i < 2 ? [v] : [v, v])))
    .map((row) => toIndexedSeries(row as Record<string, unknown>));
  if (series.length === 0) return [];
  const table = q.resolution === 'hour' ? 'rollup_hour' : 'rollup_minute';
  const rows = stmt(
    `SELECT series_id, bucket, count, sum, min, max, sketch FROM ${table}
     WHERE series_id IN (SELECT value FROM json_each(?)) AND bucket >= ? AND bucket < ?`,
  )
    .raw(true)
    .all(JSON.stringify(series.map((s) => s.id)), q.from, q.to) as unknown[][];
  return joinRollupRows(series, rows);
}
