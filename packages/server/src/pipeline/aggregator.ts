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
/**
 * Relative accuracy of rollup sketches: a P95 is within 2% of the true value. 2% rather than
 * DDSketch's usual 1% halves the bins a minute keeps, which is most of the bytes on disk.
 */
export const ROLLUP_SKETCH_ACCURACY = 0.02;
/**
 * Precision of the per-minute distinct-session and distinct-user sketches: 512 registers,
 * about 4.6% standard error, 386 bytes once dense (p = 10 would double that).
 */
export const SESSION_HLL_PRECISION = 9;
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

/** `2xx`…`5xx`, or `net` for a request that got no answer (status 0). */
function statusClass(status: number): string {
  return status === 0 ? 'net' : `${Math.floor(status / 100)}xx`;
}

/**
 * Folds journal rows into per-minute rollups, error groups and session sketches, in memory,
 * until {@link Aggregator.take} hands the result to the store as one atomic commit. Pure: no
 * clock, no I/O. This is the pipeline's hot loop, so the series id is one concatenated string
 * and a {@link SeriesKey} object is only built when a series is first seen in a step.
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
    const prefix = `${row.project}\u0001${source.service}\u0001${source.environment}\u0001`;
    for (const e of events) this.#addEvent(row.project, prefix, source, e);
  }

  /** The name to store under: itself, or the overflow name once the metric has too many. */
  #admit(project: string, metric: string, name: string): string {
    const capKey = `${project}\u0001${metric}`;
    let names = this.#names.get(capKey);
    if (names === undefined) {
      names = new Set();
      this.#names.set(capKey, names);
    }
    if (names.has(name)) return name;
    if (names.size < this.options.maxNamesPerMetric) {
      names.add(name);
      return name;
    }
    return OVERFLOW_NAME;
  }

  /**
   * Every event lands in exactly one series, so summing counts over all series gives the number
   * of events stored. For vitals, `phase` holds the templated page.
   */
  #addEvent(project: string, prefix: string, source: BatchSource, e: VigilEvent): void {
    this.#events++;
    const bucket = e.ts - (e.ts % MINUTE_MILLIS);
    let metric: string = e.type;
    let phase = '';
    let name: string;
    let method = '';
    let status = '';
    let value: number | null = null;
    switch (e.type) {
      case 'api':
        phase = 'api';
        name = e.route;
        method = e.method;
        status = statusClass(e.status);
        value = e.durationMs;
        break;
      case 'timing':
        phase = e.phase;
        name = e.name;
        value = e.durationMs;
        break;
      case 'action':
        phase = e.phase;
        name = e.name;
        break;
      case 'error':
        phase = e.phase ?? '';
        name = e.kind;
        this.#addError(project, source, bucket, e);
        break;
      case 'vital':
        phase = e.page ?? '';
        name = e.name;
        value = e.value;
        break;
      case 'gauge':
        name = e.name;
        value = e.value;
        break;
      case 'rating':
        name = 'satisfaction';
        value = e.score;
        break;
      default:
        metric = 'session';
        name = e.action;
        if (e.action === 'end' && e.durationMs !== undefined) value = e.durationMs;
    }
    let id = `${prefix}${bucket}\u0001${metric}\u0001${phase}\u0001${name}\u0001${method}\u0001${status}`;
    let acc = this.#rollups.get(id);
    if (acc === undefined) {
      // Vital series are keyed by page in `phase`, so the cap covers pages too.
      const capped = this.#admit(project, metric, metric === 'vital' ? `${name} ${phase}` : name);
      if (capped === OVERFLOW_NAME) {
        if (metric === 'vital') phase = OVERFLOW_NAME;
        else name = OVERFLOW_NAME;
        id = `${prefix}${bucket}\u0001${metric}\u0001${phase}\u0001${name}\u0001${method}\u0001${status}`;
        acc = this.#rollups.get(id);
      }
      if (acc === undefined) {
        const key: SeriesKey = {
          metric,
          phase,
          name,
          method,
          statusClass: status,
          service: source.service,
          environment: source.environment,
        };
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
          sketch: value === null ? null : new DDSketch(ROLLUP_SKETCH_ACCURACY),
        };
        this.#rollups.set(id, acc);
      }
    }
    const r = acc.record;
    const v = value ?? 1;
    r.count++;
    r.sum += v;
    if (v < r.min) r.min = v;
    if (v > r.max) r.max = v;
    if (acc.sketch !== null) acc.sketch.add(v);
    const userId = (e as { userId?: string }).userId;
    if (e.sessionId !== undefined || userId !== undefined) this.#addSession(project, bucket, e.sessionId, userId);
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

  #addSession(project: string, bucket: number, sessionId: string | undefined, userId: string | undefined): void {
    const id = `${project}\u0001${bucket}`;
    let s = this.#sessions.get(id);
    if (s === undefined) {
      s = {
        project,
        bucket,
        sessions: new HyperLogLog(SESSION_HLL_PRECISION),
        users: new HyperLogLog(SESSION_HLL_PRECISION),
      };
      this.#sessions.set(id, s);
    }
    if (sessionId !== undefined) s.sessions.add(sessionId);
    if (userId !== undefined) s.users.add(userId);
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
