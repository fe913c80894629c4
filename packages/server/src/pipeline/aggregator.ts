import { type BatchSource, fingerprintError, type VigilEvent } from '@vigil/schema';
import type {
  ErrorGroupDelta,
  JournalRow,
  PipelineCommit,
  RollupRecord,
  SeriesKey,
  SessionMinuteRecord,
} from '../store/store.js';
import { DDSketch } from './ddsketch.js';
import { HyperLogLog } from './hll.js';

/** Bucket width of rollups, ms. */
export const MINUTE_MILLIS = 60_000;
/** Name of the series that takes new names once a metric has `maxNamesPerMetric` of them. */
export const OVERFLOW_NAME = '__other__';
/** Sample occurrences passed to the store per error group per step (the store keeps 20). */
const SAMPLES_PER_STEP = 5;

interface RollupAcc {
  record: RollupRecord;
  sketch: DDSketch | null;
}

interface SessionAcc {
  project: string;
  bucket: number;
  sessions: HyperLogLog;
  users: HyperLogLog;
}

/** The series an event counts in, and the value it adds (null: count only, no distribution). */
interface Placement {
  key: SeriesKey;
  value: number | null;
}

function statusClass(status: number): string {
  return status === 0 ? 'net' : `${Math.floor(status / 100)}xx`;
}

/**
 * Where one event goes. Every event lands in exactly one series, so summing counts over all
 * series gives the number of events stored. For vitals, `phase` holds the templated page.
 */
export function placeEvent(e: VigilEvent, source: BatchSource): Placement {
  const base = { method: '', statusClass: '', service: source.service, environment: source.environment };
  switch (e.type) {
    case 'api':
      return {
        key: {
          ...base,
          metric: 'api',
          phase: 'api',
          name: e.route,
          method: e.method,
          statusClass: statusClass(e.status),
        },
        value: e.durationMs,
      };
    case 'timing':
      return { key: { ...base, metric: 'timing', phase: e.phase, name: e.name }, value: e.durationMs };
    case 'action':
      return { key: { ...base, metric: 'action', phase: e.phase, name: e.name }, value: null };
    case 'error':
      return { key: { ...base, metric: 'error', phase: e.phase ?? '', name: e.kind }, value: null };
    case 'vital':
      return { key: { ...base, metric: 'vital', phase: e.page ?? '', name: e.name }, value: e.value };
    case 'gauge':
      return { key: { ...base, metric: 'gauge', phase: '', name: e.name }, value: e.value };
    case 'rating':
      return { key: { ...base, metric: 'rating', phase: '', name: 'satisfaction' }, value: e.score };
    case 'session':
      return {
        key: { ...base, metric: 'session', phase: '', name: e.action },
        value: e.action === 'end' && e.durationMs !== undefined ? e.durationMs : null,
      };
  }
}

/**
 * Folds journal rows into per-minute rollups, error groups and session sketches, in memory,
 * until {@link Aggregator.take} hands the result to the store as one atomic commit. Pure: no
 * clock, no I/O.
 *
 * @example
 * const agg = new Aggregator({ maxNamesPerMetric: 1000 });
 * for (const row of rows) agg.add(row);
 * await store.commitPipeline(agg.take());
 */
export class Aggregator {
  #rollups = new Map<string, RollupAcc>();
  #errors = new Map<string, ErrorGroupDelta>();
  #sessions = new Map<string, SessionAcc>();
  #seqs: number[] = [];
  #events = 0;
  /** Names admitted per project+metric; survives `take()` so the cap holds over time. */
  readonly #names = new Map<string, Set<string>>();

  constructor(private readonly options: { maxNamesPerMetric: number }) {}

  /** Events folded since the last `take()`. */
  get events(): number {
    return this.#events;
  }

  /** Folds one journal row (its payload was written by the collector, so it parses). */
  add(row: JournalRow): void {
    this.#seqs.push(row.seq);
    const { source, events } = JSON.parse(row.payload) as { source: BatchSource; events: VigilEvent[] };
    for (const e of events) this.#addEvent(row.project, source, e);
  }

  #admitName(project: string, key: SeriesKey): void {
    const capKey = `${project}\u0001${key.metric}`;
    let names = this.#names.get(capKey);
    if (names === undefined) {
      names = new Set();
      this.#names.set(capKey, names);
    }
    if (names.has(key.name)) return;
    if (names.size < this.options.maxNamesPerMetric) {
      names.add(key.name);
      return;
    }
    key.name = OVERFLOW_NAME;
    if (key.metric === 'vital') key.phase = OVERFLOW_NAME;
  }

  #addEvent(project: string, source: BatchSource, e: VigilEvent): void {
    this.#events++;
    const bucket = e.ts - (e.ts % MINUTE_MILLIS);
    const { key, value } = placeEvent(e, source);
    this.#admitName(project, key);
    const id = [
      project,
      bucket,
      key.metric,
      key.phase,
      key.name,
      key.method,
      key.statusClass,
      key.service,
      key.environment,
    ].join('\u0001');
    let acc = this.#rollups.get(id);
    if (acc === undefined) {
      acc = {
        record: {
          project,
          bucket,
          key,
          count: 0,
          sum: 0,
          min: Number.POSITIVE_INFINITY,
          max: Number.NEGATIVE_INFINITY,
          sketch: null,
        },
        sketch: value === null ? null : new DDSketch(),
      };
      this.#rollups.set(id, acc);
    }
    const r = acc.record;
    const v = value ?? 1;
    r.count++;
    r.sum += v;
    if (v < r.min) r.min = v;
    if (v > r.max) r.max = v;
    acc.sketch?.add(v);
    if (e.type === 'error') this.#addError(project, source, bucket, e);
    if (e.sessionId !== undefined || ('userId' in e && e.userId !== undefined)) this.#addSession(project, bucket, e);
  }

  #addError(project: string, source: BatchSource, bucket: number, e: Extract<VigilEvent, { type: 'error' }>): void {
    const { fingerprint, normalizedMessage } = fingerprintError(e);
    const id = `${project}\u0001${fingerprint}`;
    let g = this.#errors.get(id);
    if (g === undefined) {
      g = {
        project,
        fingerprint,
        kind: e.kind,
        errorName: e.name ?? '',
        message: normalizedMessage,
        phase: e.phase ?? '',
        service: source.service,
        environment: source.environment,
        firstSeen: e.ts,
        lastSeen: e.ts,
        perMinute: new Map(),
        samples: [],
      };
      this.#errors.set(id, g);
    }
    if (e.ts < g.firstSeen) g.firstSeen = e.ts;
    if (e.ts > g.lastSeen) g.lastSeen = e.ts;
    g.perMinute.set(bucket, (g.perMinute.get(bucket) ?? 0) + 1);
    if (g.samples.length >= SAMPLES_PER_STEP) g.samples.shift();
    g.samples.push({
      ts: e.ts,
      message: e.message,
      stack: e.stack ?? null,
      context: e.context ? JSON.stringify(e.context) : null,
      sessionId: e.sessionId ?? null,
      userHash: e.userId ?? null,
      release: source.release ?? null,
    });
  }

  #addSession(project: string, bucket: number, e: VigilEvent): void {
    const id = `${project}\u0001${bucket}`;
    let s = this.#sessions.get(id);
    if (s === undefined) {
      s = { project, bucket, sessions: new HyperLogLog(), users: new HyperLogLog() };
      this.#sessions.set(id, s);
    }
    if (e.sessionId !== undefined) s.sessions.add(e.sessionId);
    if ('userId' in e && e.userId !== undefined) s.users.add(e.userId);
  }

  /** Hands over everything folded so far as one commit and starts empty. */
  take(): PipelineCommit {
    const rollups: RollupRecord[] = [];
    for (const acc of this.#rollups.values()) {
      if (acc.sketch) acc.record.sketch = acc.sketch.encode();
      rollups.push(acc.record);
    }
    const sessions: SessionMinuteRecord[] = [];
    for (const s of this.#sessions.values()) {
      sessions.push({ project: s.project, bucket: s.bucket, sessions: s.sessions.encode(), users: s.users.encode() });
    }
    const commit: PipelineCommit = { seqs: this.#seqs, rollups, errors: [...this.#errors.values()], sessions };
    this.#rollups = new Map();
    this.#errors = new Map();
    this.#sessions = new Map();
    this.#seqs = [];
    this.#events = 0;
    return commit;
  }
}
