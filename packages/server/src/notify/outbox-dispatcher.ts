import type { FastifyBaseLogger } from 'fastify';
import type { OutboxRecord } from '../store/alert-records.js';
import type { Store } from '../store/store.js';
import type { Notification, NotificationChannel, SendResult } from './notification.js';

/** Delivery settings (`alerting.delivery` in the configuration). */
export interface DeliveryOptions {
  /** Longest one attempt may take before it counts as a retryable failure. */
  timeoutMillis: number;
  /** First retry delay; doubled per attempt up to `maxBackoffMillis`. */
  baseBackoffMillis: number;
  maxBackoffMillis: number;
  /** Attempts before the notification is given up (recorded, visible in the outbox and the alert's history). */
  maxAttempts: number;
  /** How often due rows are looked for without a kick. */
  pollMillis: number;
}

/**
 * Default delivery settings.
 *
 * @example
 * const d = defaultDelivery(); // { timeoutMillis: 10_000, … }
 */
export function defaultDelivery(): DeliveryOptions {
  return {
    timeoutMillis: 10_000,
    baseBackoffMillis: 5_000,
    maxBackoffMillis: 600_000,
    maxAttempts: 12,
    pollMillis: 1_000,
  };
}

/**
 * The delay before attempt `attempts + 1`: exponential from `base`, capped; a receiver's
 * `Retry-After` wins when it asks for longer.
 *
 * @example
 * backoffMillis(3, { baseBackoffMillis: 5_000, maxBackoffMillis: 600_000 }); // 20_000
 */
export function backoffMillis(
  attempts: number,
  o: Pick<DeliveryOptions, 'baseBackoffMillis' | 'maxBackoffMillis'>,
  retryAfter?: number,
): number {
  const exponential = Math.min(o.maxBackoffMillis, o.baseBackoffMillis * 2 ** Math.max(0, attempts - 1));
  return retryAfter === undefined ? exponential : Math.max(exponential, retryAfter);
}

/**
 * Delivers the durable outbox at least once: rows are read from the store (so a restart resumes
 * them), one queue per destination (a slow or hanging receiver holds up only its own queue, and
 * a failed row stops its queue so notices keep their order), a timeout per attempt, exponential
 * backoff with a cap, `Retry-After` honoured, give-ups recorded. Receivers see the stable
 * notification id and drop repeats.
 *
 * @example
 * const outbox = new OutboxDispatcher(store, () => channels, defaultDelivery(), log);
 * outbox.start();
 * await outbox.deliverDue(); // tests: deliver what is due now
 */
export class OutboxDispatcher {
  readonly #busy = new Map<string, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  /** Until `start()`, deliveries happen only through `deliverDue()` (tests drive them). */
  #stopped = true;
  /** Whether this node delivers (the alerting runtime sets it to its leadership check). */
  mayDeliver: () => Promise<boolean> = async () => true;

  constructor(
    private readonly store: Store,
    private readonly channels: () => Map<string, NotificationChannel>,
    private readonly options: DeliveryOptions,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => this.kick(), this.options.pollMillis);
    this.#timer.unref();
    this.kick();
  }

  /** Stops polling and waits for attempts in flight (each bounded by the timeout). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await Promise.all(this.#busy.values());
  }

  /** Starts delivering what is due, without waiting. */
  kick(): void {
    if (this.#stopped) return;
    this.mayDeliver()
      .then((may) => (may && !this.#stopped ? this.deliverDue() : undefined))
      .catch((e: unknown) => this.log.error({ err: e }, 'outbox delivery failed; it will be retried'));
  }

  /** Delivers every due row; resolves when each destination's queue has stopped. */
  async deliverDue(): Promise<void> {
    const rows = await this.store.alerts.dueOutbox(this.now(), 1_000);
    const byDestination = new Map<string, OutboxRecord[]>();
    for (const row of rows) {
      const list = byDestination.get(row.destination) ?? [];
      list.push(row);
      byDestination.set(row.destination, list);
    }
    const waits: Promise<void>[] = [];
    for (const [destination, queue] of byDestination) {
      const busy = this.#busy.get(destination);
      if (busy) {
        waits.push(busy);
        continue;
      }
      const run = this.#drain(queue).finally(() => this.#busy.delete(destination));
      this.#busy.set(destination, run);
      waits.push(run);
    }
    await Promise.all(waits);
  }

  async #drain(queue: OutboxRecord[]): Promise<void> {
    for (const row of queue) {
      const delivered = await this.#attempt(row);
      // A row waiting for a retry holds back the later ones: notices arrive in order.
      if (!delivered) return;
    }
  }

  /** One attempt; true when the queue may go on (sent or given up). */
  async #attempt(row: OutboxRecord): Promise<boolean> {
    const channel = this.channels().get(row.destination);
    const result: SendResult =
      channel === undefined
        ? { ok: false, retryable: false, error: `no channel named ${row.destination}` }
        : await channel
            .send(row.payload as unknown as Notification, { timeoutMillis: this.options.timeoutMillis })
            .catch((e: unknown) => ({
              ok: false as const,
              retryable: true,
              error: `channel failed: ${(e as Error).name}`,
            }));
    const now = this.now();
    const attempts = row.attempts + 1;
    if (result.ok) {
      await this.store.alerts.updateOutbox(row.id, {
        status: 'sent',
        attempts,
        nextAttemptAt: row.nextAttemptAt,
        lastError: null,
        sentAt: now,
      });
      await this.#history(row, now, 'delivered', `${row.kind} notice delivered to ${row.destination}`, { attempts });
      return true;
    }
    if (result.retryable && attempts < this.options.maxAttempts) {
      const delay = backoffMillis(attempts, this.options, result.retryAfterMillis);
      await this.store.alerts.updateOutbox(row.id, {
        status: 'pending',
        attempts,
        nextAttemptAt: now + delay,
        lastError: result.error,
        sentAt: null,
      });
      return false;
    }
    await this.store.alerts.updateOutbox(row.id, {
      status: 'failed',
      attempts,
      nextAttemptAt: row.nextAttemptAt,
      lastError: result.error,
      sentAt: null,
    });
    this.log.warn({ destination: row.destination, dedupeKey: row.dedupeKey, attempts }, 'notification given up');
    await this.#history(
      row,
      now,
      'delivery_failed',
      `Gave up ${row.kind} notice to ${row.destination}: ${result.error}`,
      { attempts },
    );
    return true;
  }

  async #history(
    row: OutboxRecord,
    ts: number,
    type: string,
    message: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    if (row.alertId === null) return;
    await this.store.alerts.appendAlertEvents([
      { alertId: row.alertId, ts, type, actor: 'system', message, data: { ...data, dedupeKey: row.dedupeKey } },
    ]);
  }
}
