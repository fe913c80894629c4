import type { RollupQuery, RollupRecord, SeriesKey } from './store.js';

/**
 * The series filter of a rollup query as SQL, shared by both adapters' fast readers; `p(i)`
 * renders the i-th parameter (`?` or `$i`). Series are ordered as `queryRollups` promises
 * (byte order of the key columns), so their index is the tie-break within a bucket.
 *
 * @example
 * seriesFilterSql((i) => `$${i}`); // 'SELECT id, … FROM series WHERE project = $1 AND metric = $2 …'
 */
export function seriesFilterSql(p: (i: number) => string, collate = ''): string {
  const dims = ['phase', 'name', 'method', 'status_class', 'service', 'environment'];
  const where = dims.map((d, i) => `(${p(i + 3)} = '' OR ${d} = ${p(i + 3)})`).join(' AND ');
  const order = dims.map((d) => `${d}${collate}`).join(', ');
  return `SELECT id, project, metric, phase, name, method, status_class, service, environment FROM series
          WHERE project = ${p(1)} AND metric = ${p(2)} AND ${where} ORDER BY ${order}`;
}

/** The parameters of {@link seriesFilterSql}, in order. */
export function seriesFilterParams(q: RollupQuery): string[] {
  return [
    q.project,
    q.metric,
    q.phase ?? '',
    q.name ?? '',
    q.method ?? '',
    q.statusClass ?? '',
    q.service ?? '',
    q.environment ?? '',
  ];
}

/** A series row of {@link seriesFilterSql} as a key with its order. */
export interface IndexedSeries {
  id: number;
  project: string;
  key: SeriesKey;
}

/**
 * Maps series rows (objects with the columns of {@link seriesFilterSql}) to keys.
 *
 * @example
 * const series = rows.map(toIndexedSeries);
 */
export function toIndexedSeries(row: Record<string, unknown>): IndexedSeries {
  return {
    id: Number(row.id),
    project: String(row.project),
    key: {
      metric: String(row.metric),
      phase: String(row.phase),
      name: String(row.name),
      method: String(row.method),
      statusClass: String(row.status_class),
      service: String(row.service),
      environment: String(row.environment),
    },
  };
}

/**
 * Joins raw rollup rows `[series_id, bucket, count, sum, min, max, sketch]` to their series and
 * orders them by bucket, then series order: the answer `queryRollups` gives, built without
 * repeating the key columns on every row (which costs several times the row itself). Records of
 * one series share its key object (read-only).
 *
 * @example
 * const records = joinRollupRows(series, rows);
 */
export function joinRollupRows(series: readonly IndexedSeries[], rows: readonly unknown[][]): RollupRecord[] {
  const byId = new Map<number, { rank: number; s: IndexedSeries }>();
  for (const [rank, s] of series.entries()) byId.set(s.id, { rank, s });
  const out: [number, RollupRecord][] = [];
  for (const row of rows) {
    const hit = byId.get(Number(row[0]));
    if (hit === undefined) continue;
    const sketch = row[6] as Uint8Array | null;
    out.push([
      hit.rank,
      {
        project: hit.s.project,
        bucket: Number(row[1]),
        key: hit.s.key,
        count: Number(row[2]),
        sum: Number(row[3]),
        min: Number(row[4]),
        max: Number(row[5]),
        // A view, not a copy: the driver hands out a fresh buffer per value.
        sketch: sketch === null ? null : new Uint8Array(sketch.buffer, sketch.byteOffset, sketch.byteLength),
      },
    ]);
  }
  out.sort((a, b) => a[1].bucket - b[1].bucket || a[0] - b[0]);
  return out.map((pair) => pair[1]);
}
