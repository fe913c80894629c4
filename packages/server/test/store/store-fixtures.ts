import type { IngestAnswer } from '@vigil/schema';
import { DDSketch } from '../../src/pipeline/ddsketch.js';
import type {
  ErrorGroupDelta,
  JournalEntry,
  OccurrenceRecord,
  PipelineCommit,
  RollupRecord,
  SeriesKey,
} from '../../src/store/store.js';

/**
 * 2026-01-05 10:00:00 UTC: an hour boundary every fixture time is relative to.
 *
 * @example
 * const bucket = T0 + 5 * MINUTE;
 */
export const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
/** One minute in ms. @example T0 + MINUTE */
export const MINUTE = 60_000;
/** One hour in ms. @example T0 + HOUR */
export const HOUR = 3_600_000;
/** One day in ms. @example T0 - DAY */
export const DAY = 86_400_000;

/**
 * A journal entry for `batchId` with a distinct answer and payload.
 *
 * @example
 * await store.appendBatches([journalEntry('b-1')]);
 */
export function journalEntry(batchId: string, overrides: Partial<JournalEntry> = {}): JournalEntry {
  const answer: IngestAnswer = { accepted: 3, rejected: [] };
  return {
    project: 'portal',
    batchId,
    receivedAt: T0,
    answer,
    payload: JSON.stringify({ source: { batchId }, events: [1, 2, 3] }),
    eventCount: 3,
    ...overrides,
  };
}

/**
 * An `api` series key, with any dimension overridden.
 *
 * @example
 * seriesKey({ statusClass: '5xx' });
 */
export function seriesKey(overrides: Partial<SeriesKey> = {}): SeriesKey {
  return {
    metric: 'api',
    phase: 'api',
    name: '/courses/:id',
    method: 'GET',
    statusClass: '2xx',
    service: 'web',
    environment: 'prod',
    ...overrides,
  };
}

/**
 * An encoded DDSketch of `values`.
 *
 * @example
 * sketchOf([1, 2, 3]);
 */
export function sketchOf(values: number[]): Uint8Array {
  const sketch = new DDSketch();
  for (const value of values) sketch.add(value);
  return sketch.encode();
}

/**
 * A rollup of `values` in one bucket, with count/sum/min/max/sketch derived from them.
 *
 * @example
 * rollupOf(T0, [10, 20], { key: seriesKey({ method: 'POST' }) });
 */
export function rollupOf(bucket: number, values: number[], overrides: Partial<RollupRecord> = {}): RollupRecord {
  return {
    project: 'portal',
    bucket,
    key: seriesKey(),
    count: values.length,
    sum: values.reduce((a, b) => a + b, 0),
    min: Math.min(...values),
    max: Math.max(...values),
    sketch: sketchOf(values),
    ...overrides,
  };
}

/**
 * A sample occurrence at `ts`.
 *
 * @example
 * occurrence(T0 + 1_000);
 */
export function occurrence(ts: number, overrides: Partial<OccurrenceRecord> = {}): OccurrenceRecord {
  return {
    ts,
    message: `Cannot read properties of undefined (reading 'id') @${ts}`,
    stack: 'TypeError: x\n    at play (player.js:10:5)',
    context: '{"route":"/courses/:id"}',
    sessionId: 's-1',
    userHash: 'u-hash',
    release: '1.2.3',
    ...overrides,
  };
}

/**
 * An error group delta for `fingerprint` with occurrences per minute.
 *
 * @example
 * errorDelta('fp-a', [[T0, 3]]);
 */
export function errorDelta(
  fingerprint: string,
  perMinute: Array<[number, number]>,
  overrides: Partial<ErrorGroupDelta> = {},
): ErrorGroupDelta {
  const buckets = perMinute.map(([bucket]) => bucket);
  return {
    project: 'portal',
    fingerprint,
    kind: 'js',
    errorName: 'TypeError',
    message: "Cannot read properties of undefined (reading '<str>')",
    phase: 'content',
    service: 'web',
    environment: 'prod',
    firstSeen: Math.min(...buckets),
    lastSeen: Math.max(...buckets) + 59_000,
    perMinute: new Map(perMinute),
    samples: [],
    ...overrides,
  };
}

/**
 * A pipeline commit with empty parts unless given.
 *
 * @example
 * await store.commitPipeline(pipelineCommit({ rollups: [rollupOf(T0, [1])] }));
 */
export function pipelineCommit(parts: Partial<PipelineCommit> = {}): PipelineCommit {
  return { seqs: [], rollups: [], errors: [], sessions: [], ...parts };
}
