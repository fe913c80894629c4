import { ROLLUP_SKETCH_ACCURACY, SESSION_HLL_PRECISION } from '../../src/pipeline/aggregator.js';
import { DDSketch } from '../../src/pipeline/ddsketch.js';
import { HyperLogLog } from '../../src/pipeline/hll.js';
import type { RollupRecord, SeriesKey, SessionMinuteRecord } from '../../src/store/store.js';

/**
 * A rollup record of `values` as the aggregator would write it (real sketch; actions have none).
 *
 * @example
 * rollup('api', { name: '/api/courses', statusClass: '2xx' }, [10, 20, 30], 60_000);
 */
export function rollup(metric: string, key: Partial<SeriesKey>, values: readonly number[], bucket = 0): RollupRecord {
  const withSketch = metric !== 'action';
  const sketch = new DDSketch(ROLLUP_SKETCH_ACCURACY);
  const vs = withSketch ? values : values.map(() => 1);
  for (const v of vs) sketch.add(v);
  return {
    project: 'default',
    bucket,
    key: {
      metric,
      phase: '',
      name: '',
      method: '',
      statusClass: '',
      service: 'portal-web',
      environment: 'production',
      ...key,
    },
    count: vs.length,
    sum: vs.reduce((a, b) => a + b, 0),
    min: Math.min(...vs),
    max: Math.max(...vs),
    sketch: withSketch ? sketch.encode() : null,
  };
}

/** `n` action events of one name in one minute. */
export function actions(phase: string, name: string, n: number, bucket = 0): RollupRecord {
  return rollup('action', { phase, name }, new Array<number>(n).fill(1), bucket);
}

/** `n` copies of `value`. */
export function times(n: number, value: number): number[] {
  return new Array<number>(n).fill(value);
}

/** One minute of session sketches holding the given session and user ids. */
export function sessionMinute(
  bucket: number,
  sessions: readonly string[],
  users: readonly string[],
): SessionMinuteRecord {
  const s = new HyperLogLog(SESSION_HLL_PRECISION);
  const u = new HyperLogLog(SESSION_HLL_PRECISION);
  for (const id of sessions) s.add(id);
  for (const id of users) u.add(id);
  return { project: 'default', bucket, sessions: s.encode(), users: u.encode() };
}
