import { type IngestAnswer, LIMITS, type VigilEvent } from '@vigil/schema';
import { estimateBytes } from './estimate.js';
import { randomId } from './ids.js';
import { scrubEvent } from './scrub.js';
import type { Diagnostic, DropReason, RequestFn, ResolvedOptions, SdkResponse } from './types.js';

/** A batch ready to send: its id and body stay fixed across retries, so a replay is stored once. */
export interface PreparedBatch {
  batchId: string;
  body: string;
  count: number;
  attempts: number;
}

/** Counters a host or test can read at any time. */
export interface TransportStats {
  /** Events accepted into the queue. */
  queued: number;
  /** Events in batches the collector acknowledged (its own per-event rejections included). */
  delivered: number;
  /** Events the collector rejected inside an acknowledged batch. */
  rejected: number;
  /** Events dropped by the SDK, all reasons. */
  dropped: number;
  /** Events removed by `beforeSend`. */
  filtered: number;
  /** Retry attempts scheduled. */
  retries: number;
  /** Batches acknowledged. */
  batches: number;
}

const MAX_BACKOFF_MILLIS = 30_000;
// Half the protocol's body limit: leaves room for the estimate being low on non-ASCII text.
const MAX_BATCH_BYTES = LIMITS.maxBodyBytes / 2;

/**
 * Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds from `now`.
 *
 * @example
 * parseRetryAfter('3', Date.now()); // 3000
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.min(seconds * 1000, 3_600_000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.min(date - now, 3_600_000));
}

function isRetryable(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

function unref(t: unknown): void {
  (t as { unref?: () => void } | undefined)?.unref?.();
}

/**
 * The SDK's delivery engine: a queue bounded in events and bytes, batching on size and time,
 * one request in flight, exponential backoff with jitter that honours `Retry-After`, no retry
 * of other 4xx, and counters for everything dropped. It never throws into its caller.
 *
 * @example
 * const t = new Transport(resolved, request);
 * t.enqueue({ type: 'action', ts: Date.now(), phase: 'auth', name: 'login' });
 * await t.flush(2000);
 */
export class Transport {
  readonly stats: TransportStats = {
    queued: 0,
    delivered: 0,
    rejected: 0,
    dropped: 0,
    filtered: 0,
    retries: 0,
    batches: 0,
  };
  /** Returns false while the platform knows it is offline; network failures then cost no retry. */
  isOnline: () => boolean = () => true;
  #queue: VigilEvent[] = [];
  #outbox: PreparedBatch[] = [];
  #heldEvents = 0;
  #heldBytes = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerDue = 0;
  #sending = false;
  #drainRequested = false;
  #retryAt = 0;
  #unreportedDrops = 0;
  #waiters: Array<() => void> = [];
  #closed = false;

  readonly #opts: ResolvedOptions;
  readonly #request: RequestFn;

  constructor(opts: ResolvedOptions, request: RequestFn) {
    this.#opts = opts;
    this.#request = request;
  }

  /** Adds an event; drops and counts it when the queue is full. The hot path: keep it small. */
  enqueue(e: VigilEvent): void {
    const bytes = estimateBytes(e);
    if (this.#heldEvents >= this.#opts.maxQueueEvents || this.#heldBytes + bytes > this.#opts.maxQueueBytes) {
      this.stats.dropped++;
      if (this.#unreportedDrops++ === 0) this.#schedule(this.#opts.flushIntervalMillis);
      return;
    }
    this.#queue.push(e);
    this.#heldEvents++;
    this.#heldBytes += bytes;
    this.stats.queued++;
    if (this.#queue.length >= this.#opts.maxBatchSize) this.#schedule(0);
    else if (this.#timer === undefined) this.#schedule(this.#opts.flushIntervalMillis);
  }

  /** Events and estimated bytes held in memory (queue plus batches awaiting a retry). */
  get held(): { events: number; bytes: number } {
    return { events: this.#heldEvents, bytes: this.#heldBytes };
  }

  /**
   * Sends everything held now (respecting a pending `Retry-After`) and resolves `true` once the
   * queue is empty, or `false` after `timeoutMillis`.
   */
  flush(timeoutMillis = 5000): Promise<boolean> {
    this.#reportDrops();
    if (this.#heldEvents === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const t = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMillis);
      unref(t);
      const done = (): void => {
        clearTimeout(t);
        resolve(true);
      };
      this.#waiters.push(done);
      this.#drainRequested = true;
      void this.#pump();
    });
  }

  /** Forgets a pending backoff (e.g. the browser came back online) and sends now. */
  resume(): void {
    this.#retryAt = 0;
    this.#drainRequested = true;
    void this.#pump();
  }

  /**
   * Removes and returns everything not in flight as batches whose bodies stay under
   * `maxBodyChars` (for `sendBeacon` or persistence at page hide). Their ids are kept.
   */
  takeAll(maxBodyChars: number): PreparedBatch[] {
    const out = this.#sending ? this.#outbox.splice(1) : this.#outbox.splice(0);
    for (const b of out) this.#release(b.count, b.body.length);
    for (;;) {
      const b = this.#nextBatch(maxBodyChars);
      if (b === undefined) break;
      this.#outbox.pop();
      this.#release(b.count, b.body.length);
      out.push(b);
    }
    return out;
  }

  /** Puts batches back (restored from storage) ahead of new events; bounded like the queue. */
  restore(batches: PreparedBatch[]): void {
    for (const b of batches) {
      if (
        this.#heldEvents + b.count > this.#opts.maxQueueEvents ||
        this.#heldBytes + b.body.length > this.#opts.maxQueueBytes
      ) {
        this.drop(b.count, 'queue_full');
        continue;
      }
      this.#outbox.push(b);
      this.#heldEvents += b.count;
      this.#heldBytes += b.body.length;
    }
    this.#schedule(0);
  }

  /** Stops timers; held events stay in memory. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Counts and reports a drop decided outside the transport (e.g. persistence full). */
  drop(count: number, reason: DropReason, detail?: string): void {
    if (count <= 0) return;
    this.stats.dropped += count;
    this.diag(detail === undefined ? { type: 'dropped', reason, count } : { type: 'dropped', reason, count, detail });
  }

  /** Reports internal trouble to the host's diagnostic handler, never throwing. */
  diag(d: Diagnostic): void {
    try {
      this.#opts.onDiagnostic?.(d);
    } catch {
      // A throwing diagnostic handler must not break delivery.
    }
  }

  #schedule(delay: number): void {
    if (this.#closed) return;
    const due = Date.now() + delay;
    if (this.#timer !== undefined) {
      if (this.#timerDue <= due) return;
      clearTimeout(this.#timer);
    }
    this.#timerDue = due;
    this.#timer = setTimeout(this.#onTimer, delay);
    unref(this.#timer);
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    try {
      this.#reportDrops();
      this.#drainRequested = true;
      void this.#pump();
    } catch (error) {
      this.diag({ type: 'error', where: 'timer', error });
    }
  };

  #reportDrops(): void {
    if (this.#unreportedDrops === 0) return;
    const count = this.#unreportedDrops;
    this.#unreportedDrops = 0;
    this.diag({ type: 'dropped', reason: 'queue_full', count });
  }

  #release(events: number, bytes: number): void {
    this.#heldEvents -= events;
    this.#heldBytes -= bytes;
  }

  /** Moves up to one batch of events from the queue into the outbox. */
  #nextBatch(maxBodyChars: number): PreparedBatch | undefined {
    while (this.#queue.length > 0) {
      let n = 0;
      let bytes = 0;
      const limit = Math.min(this.#queue.length, this.#opts.maxBatchSize);
      // Sizes are estimated again here rather than stored per event: the record path stays lean.
      for (; n < limit; n++) {
        const size = estimateBytes(this.#queue[n] as VigilEvent);
        if (n > 0 && bytes + size > maxBodyChars - 400) break;
        bytes += size;
      }
      const raw = this.#queue.splice(0, n);
      this.#release(n, bytes);
      const events = this.#prepare(raw);
      if (events.length === 0) continue;
      const batch: PreparedBatch = { batchId: randomId(), body: '', count: events.length, attempts: 0 };
      batch.body = JSON.stringify({
        batchId: batch.batchId,
        sentAt: Date.now(),
        ...(this.#opts.project === undefined ? {} : { project: this.#opts.project }),
        source: this.#opts.source,
        events,
      });
      this.#outbox.push(batch);
      this.#heldEvents += batch.count;
      this.#heldBytes += batch.body.length;
      return batch;
    }
    return undefined;
  }

  #prepare(raw: VigilEvent[]): VigilEvent[] {
    const out: VigilEvent[] = [];
    const hook = this.#opts.beforeSend;
    for (const e of raw) {
      let ev: VigilEvent | null = scrubEvent(e);
      if (hook !== undefined) {
        try {
          ev = hook(ev);
        } catch (error) {
          this.diag({ type: 'error', where: 'beforeSend', error });
        }
      }
      if (ev === null || ev === undefined) this.stats.filtered++;
      else out.push(ev);
    }
    return out;
  }

  async #pump(): Promise<void> {
    if (this.#sending || this.#closed) return;
    const wait = this.#retryAt - Date.now();
    if (wait > 0) {
      this.#schedule(wait);
      return;
    }
    this.#sending = true;
    try {
      let budget = 0;
      for (;;) {
        if (this.#drainRequested) {
          this.#drainRequested = false;
          budget = this.#queue.length;
        }
        let batch = this.#outbox[0];
        if (batch === undefined && (budget > 0 || this.#queue.length >= this.#opts.maxBatchSize)) {
          const before = this.#queue.length;
          batch = this.#nextBatch(MAX_BATCH_BYTES);
          budget -= before - this.#queue.length;
        }
        if (batch === undefined) break;
        if (!(await this.#sendOne(batch))) break;
      }
    } catch (error) {
      this.diag({ type: 'error', where: 'pump', error });
    } finally {
      this.#sending = false;
    }
    this.#reportDrops();
    if (this.#heldEvents === 0) {
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w();
    } else if (this.#queue.length > 0 && this.#timer === undefined) {
      this.#schedule(this.#waiters.length > 0 ? 0 : this.#opts.flushIntervalMillis);
    }
  }

  /** Sends the outbox head; returns false when the pump should stop (backing off). */
  async #sendOne(batch: PreparedBatch): Promise<boolean> {
    let res: SdkResponse;
    try {
      res = await this.#request({
        method: 'POST',
        url: this.#opts.eventsUrl,
        headers: this.#opts.eventsHeaders,
        body: batch.body,
      });
    } catch {
      res = { status: 0 };
    }
    if (this.#outbox[0] === batch) this.#outbox.shift();
    else return true; // taken for a beacon while in flight
    if (res.status >= 200 && res.status < 300) {
      this.#release(batch.count, batch.body.length);
      this.stats.delivered += batch.count;
      this.stats.batches++;
      this.#readAnswer(batch, res.body);
      return true;
    }
    if (isRetryable(res.status)) {
      const offline = res.status === 0 && !this.isOnline();
      if (!offline) batch.attempts++;
      if (batch.attempts > this.#opts.maxRetries) {
        this.#release(batch.count, batch.body.length);
        this.drop(batch.count, 'retries_exhausted', `status ${res.status}`);
        return true;
      }
      this.#outbox.unshift(batch);
      // Offline: wait for the platform's resume() (the browser's `online` event), polling slowly.
      const delay = offline ? MAX_BACKOFF_MILLIS : this.#backoff(batch.attempts, res);
      this.#retryAt = Date.now() + delay;
      this.stats.retries++;
      this.diag({
        type: 'retry',
        batchId: batch.batchId,
        status: res.status,
        attempt: batch.attempts,
        delayMillis: delay,
      });
      this.#schedule(delay);
      return false;
    }
    this.#release(batch.count, batch.body.length);
    this.drop(batch.count, 'client_error', `status ${res.status}`);
    return true;
  }

  #backoff(attempt: number, res: SdkResponse): number {
    const after = parseRetryAfter(res.retryAfter, Date.now());
    if (after !== undefined) return after + Math.random() * Math.min(1000, after * 0.1 + 50);
    const exp = Math.min(MAX_BACKOFF_MILLIS, this.#opts.retryBaseMillis * 2 ** Math.max(0, attempt - 1));
    return exp / 2 + (Math.random() * exp) / 2;
  }

  #readAnswer(batch: PreparedBatch, body: string | undefined): void {
    if (body === undefined || body === '') return;
    try {
      const answer = JSON.parse(body) as Partial<IngestAnswer>;
      const rejected = Array.isArray(answer.rejected) ? answer.rejected : [];
      if (rejected.length > 0) {
        this.stats.rejected += rejected.length;
        const codes = [...new Set(rejected.map((r) => String(r.code)))];
        this.diag({ type: 'rejected', batchId: batch.batchId, count: rejected.length, codes });
      }
    } catch {
      // A non-JSON 2xx body carries no rejections to report.
    }
  }
}
