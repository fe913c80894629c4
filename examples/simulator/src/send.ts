import { type Batch, type ErrorBody, type IngestAnswer, LIMITS } from '@vigil/schema';
import { PortalSimulator } from './portal-simulator.js';
import type { SimulatorMode } from './scenario.js';

/** How long batches waiting for a retry may take once the run is over. */
const DRAIN_GRACE_MILLIS = 2_000;

/** Counters of one {@link runSimulator} run. */
export interface SimulatorStats {
  /** Batches the collector acknowledged (2xx), each counted once however often it was sent. */
  sentBatches: number;
  /** Events the collector accepted, from its answers. */
  acceptedEvents: number;
  /** Events the collector rejected one by one (`rejected[]` of its answers). */
  rejectedEvents: number;
  /** Re-sends of a batch after a 429, a 5xx or a network error. */
  retries: number;
  /** Batches given up: a 4xx other than 429, retries exhausted, or stopped while waiting to retry. */
  failedBatches: number;
}

/** The outcome of one batch, passed to `onBatch`. */
export interface BatchOutcome {
  batchId: string;
  service: string;
  events: number;
  /** True when the collector acknowledged the batch. */
  ok: boolean;
  /** Last HTTP status, 0 when the last attempt failed without an answer. */
  status: number;
  accepted: number;
  rejected: number;
  /** How many times the batch was sent. */
  attempts: number;
  /** True when the collector had stored this batchId before. */
  duplicate: boolean;
  /** Why a failed batch failed (the collector's error code, or the network error). */
  error?: string;
}

/** A retry about to happen, passed to `onRetry`. */
export interface RetryNotice {
  batchId: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  delayMillis: number;
  reason: string;
}

/** Options of {@link runSimulator}. */
export interface RunSimulatorOptions {
  /** Base URL of the collector, e.g. `http://127.0.0.1:4600`; batches go to `${url}/api/v1/events`. */
  url: string;
  /** Ingest key, sent as `Authorization: Bearer <key>`. */
  key: string;
  /** Target event rate. */
  eventsPerSecond: number;
  /** Most events per batch (default: half a second of events, 1 to 500). */
  batchSize?: number;
  /** Stop after this long (default: run until `signal` aborts). */
  durationMillis?: number;
  /** Stop after generating this many events. */
  totalEvents?: number;
  signal?: AbortSignal;
  /** Seed of the simulator (default: from the clock). Ignored when `simulator` is given. */
  seed?: number;
  /** Force a mode, or `'scheduled'` (the default) to follow the simulator's scenario. */
  mode?: SimulatorMode | 'scheduled';
  /** A simulator to draw batches from (default: a new {@link PortalSimulator}). */
  simulator?: PortalSimulator;
  /** Most batches in flight at once (default 4). */
  maxInFlight?: number;
  /** Most sends of one batch (default 8). */
  maxAttempts?: number;
  /** Longest wait before a retry, whatever `Retry-After` says (default 30,000 ms). */
  maxRetryDelayMillis?: number;
  /** Timeout of one request (default 15,000 ms). */
  requestTimeoutMillis?: number;
  onBatch?: (outcome: BatchOutcome) => void;
  onRetry?: (notice: RetryNotice) => void;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

/**
 * Thrown by {@link runSimulator} when the collector refuses the ingest key (401) or its scope
 * (403): no later batch could succeed, so the run stops.
 *
 * @example
 * try { await runSimulator(opts); } catch (e) { if (e instanceof IngestAuthError) console.error(e.message); }
 */
export class IngestAuthError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly stats: SimulatorStats,
  ) {
    super(message);
    this.name = 'IngestAuthError';
  }
}

/**
 * Sends learning-portal traffic to a collector at a steady rate until the duration passes, the
 * event budget is spent or the signal aborts. A 429, 5xx or network error re-sends the same
 * batch (same `batchId`) after `Retry-After` or an exponential backoff with jitter; any other
 * 4xx is counted and not retried; 401/403 stop the run with an {@link IngestAuthError}.
 *
 * @example
 * const stats = await runSimulator({ url: 'http://127.0.0.1:4600', key, eventsPerSecond: 200, durationMillis: 10_000 });
 * console.log(stats.acceptedEvents);
 */
export async function runSimulator(opts: RunSimulatorOptions): Promise<SimulatorStats> {
  if (!(opts.eventsPerSecond > 0)) throw new RangeError('eventsPerSecond must be a positive number');
  const sim = opts.simulator ?? new PortalSimulator({ seed: opts.seed ?? Date.now() % 2_147_483_647 });
  if (opts.mode !== undefined) sim.setMode(opts.mode);
  const rate = opts.eventsPerSecond;
  const batchSize = Math.max(
    1,
    Math.min(LIMITS.maxEventsPerBatch, Math.floor(opts.batchSize ?? Math.min(500, Math.ceil(rate / 2)))),
  );
  const maxInFlight = Math.max(1, opts.maxInFlight ?? 4);
  const stats: SimulatorStats = { sentBatches: 0, acceptedEvents: 0, rejectedEvents: 0, retries: 0, failedBatches: 0 };
  const halt = new AbortController();
  const onAbort = (): void => halt.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) halt.abort();
  const sender = new BatchSender(opts, stats, halt);
  const started = Date.now();
  const endAt = opts.durationMillis === undefined ? Number.POSITIVE_INFINITY : started + opts.durationMillis;
  const inFlight = new Set<Promise<void>>();
  let generated = 0;
  let nextDue = started;
  // Resolves when the duration is over, so waiting for a free slot cannot outlast the run.
  let endTimer: ReturnType<typeof setTimeout> | undefined;
  const durationOver = new Promise<void>((resolve) => {
    if (opts.durationMillis !== undefined) endTimer = setTimeout(resolve, Math.min(opts.durationMillis, 2 ** 31 - 1));
  });
  try {
    while (!halt.signal.aborted && generated < (opts.totalEvents ?? Number.POSITIVE_INFINITY)) {
      if (nextDue >= endAt) break;
      await sleep(nextDue - Date.now(), halt.signal);
      while (inFlight.size >= maxInFlight && !halt.signal.aborted && Date.now() < endAt) {
        await Promise.race([...inFlight, durationOver]);
      }
      if (halt.signal.aborted || Date.now() >= endAt) break;
      const size = Math.min(batchSize, (opts.totalEvents ?? Number.POSITIVE_INFINITY) - generated);
      const now = Date.now();
      const batch = sim.nextBatch(size, now);
      generated += batch.events.length;
      // After a stall (collector down, slots full) resume the rate instead of bursting the backlog.
      nextDue = Math.max(nextDue, now - 2_000) + (batch.events.length / rate) * 1000;
      const p: Promise<void> = sender.deliver(batch).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    // Batches still waiting to be retried get a short grace, then count as failed: a run with a
    // duration must end near it even when the collector is down.
    const grace = setTimeout(() => halt.abort(), DRAIN_GRACE_MILLIS);
    await Promise.all(inFlight);
    clearTimeout(grace);
  } finally {
    clearTimeout(endTimer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (sender.fatal) throw sender.fatal;
  return stats;
}

/** Sends one batch with retries and keeps the run's counters. */
class BatchSender {
  fatal: IngestAuthError | undefined;
  private readonly endpoint: string;
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly opts: RunSimulatorOptions,
    private readonly stats: SimulatorStats,
    private readonly halt: AbortController,
  ) {
    this.endpoint = `${opts.url.replace(/\/+$/, '')}/api/v1/events`;
    this.fetchFn = opts.fetch ?? fetch;
  }

  async deliver(batch: Batch): Promise<void> {
    const { opts, stats } = this;
    const body = JSON.stringify(batch);
    const maxAttempts = Math.max(1, opts.maxAttempts ?? 8);
    const outcome: BatchOutcome = {
      batchId: batch.batchId,
      service: batch.source.service,
      events: batch.events.length,
      ok: false,
      status: 0,
      accepted: 0,
      rejected: 0,
      attempts: 0,
      duplicate: false,
    };
    for (let attempt = 1; ; attempt++) {
      outcome.attempts = attempt;
      const answer = await this.post(body);
      outcome.status = answer.status;
      if (answer.status >= 200 && answer.status < 300) {
        const ingest = answer.json as Partial<IngestAnswer> | undefined;
        outcome.ok = true;
        outcome.accepted = typeof ingest?.accepted === 'number' ? ingest.accepted : batch.events.length;
        outcome.rejected = Array.isArray(ingest?.rejected) ? ingest.rejected.length : 0;
        outcome.duplicate = ingest?.duplicate === true;
        stats.sentBatches++;
        stats.acceptedEvents += outcome.accepted;
        stats.rejectedEvents += outcome.rejected;
        return this.report(outcome);
      }
      const code = (answer.json as Partial<ErrorBody> | undefined)?.error?.code;
      const reason = answer.status === 0 ? (answer.error ?? 'network error') : (code ?? `HTTP ${answer.status}`);
      outcome.error = reason;
      const retryable = answer.status === 0 || answer.status === 429 || answer.status >= 500;
      if (answer.status === 401 || answer.status === 403) {
        this.fatal ??= new IngestAuthError(
          `the collector at ${this.endpoint} refused the ingest key (${answer.status}${code ? ` ${code}` : ''})`,
          answer.status,
          code,
          stats,
        );
        this.halt.abort();
      }
      if (!retryable || attempt >= maxAttempts || this.halt.signal.aborted) {
        stats.failedBatches++;
        return this.report(outcome);
      }
      const delayMillis = this.retryDelay(attempt, answer.retryAfter);
      stats.retries++;
      opts.onRetry?.({ batchId: batch.batchId, attempt, delayMillis, reason });
      if (!(await sleep(delayMillis, this.halt.signal))) {
        stats.failedBatches++;
        return this.report(outcome);
      }
    }
  }

  private report(outcome: BatchOutcome): void {
    try {
      this.opts.onBatch?.(outcome);
    } catch {
      // A failing progress callback must not stop the traffic.
    }
  }

  private async post(body: string): Promise<{ status: number; json?: unknown; retryAfter?: string; error?: string }> {
    try {
      const res = await this.fetchFn(this.endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.opts.key}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.opts.requestTimeoutMillis ?? 15_000),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, json, retryAfter: res.headers.get('retry-after') ?? undefined };
    } catch (e) {
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
      return { status: 0, error: `${e instanceof Error ? e.message : String(e)}${cause}` };
    }
  }

  private retryDelay(attempt: number, retryAfter: string | undefined): number {
    const cap = this.opts.maxRetryDelayMillis ?? 30_000;
    const given = parseRetryAfter(retryAfter, Date.now());
    if (given !== undefined) return Math.min(given, cap);
    const exp = Math.min(cap, 500 * 2 ** (attempt - 1));
    return Math.round(exp / 2 + (Math.random() * exp) / 2);
  }
}

/**
 * Milliseconds to wait from a `Retry-After` header (seconds or an HTTP date), or undefined when
 * the header is absent or unreadable.
 *
 * @example
 * parseRetryAfter('2', Date.now()); // 2000
 */
export function parseRetryAfter(value: string | undefined | null, now: number): number | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
