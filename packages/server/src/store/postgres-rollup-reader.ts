import type pg from 'pg';
import { joinRollupRows, seriesFilterParams, seriesFilterSql, toIndexedSeries } from './rollup-reader.js';
import type { RollupQuery, RollupRecord } from './store.js';

/**
 * `queryRollups` for PostgreSQL in two steps: the matching series, then the rollup rows by
 * series id and bucket range as arrays, joined in memory — the key columns are not sent with
 * every row.
 *
 * @example
 * const records = await readPostgresRollups(pool, query);
 */
export async function readPostgresRollups(pool: pg.Pool, q: RollupQuery): Promise<RollupRecord[]> {
  const { rows } = await pool.query(
    seriesFilterSql((i) => `$${i}`, ' COLLATE "C"'),
    seriesFilterParams(q),
  );
  const series = rows.map((row: Record<string, unknown>) => toIndexedSeries(row));
  if (series.length === 0) return [];
  const table = q.resolution === 'hour' ? 'rollup_hour' : 'rollup_minute';
  const result = await pool.query({
    text: `SELECT series_id, bucket, count, sum, min, max, sketch FROM ${table}
           WHERE series_id = ANY($1::bigint[]) AND bucket >= $2 AND bucket < $3`,
    values: [series.map((s) => s.id), q.from, q.to],
    rowMode: 'array',
  });
  return joinRollupRows(series, result.rows as unknown[][]);
}
