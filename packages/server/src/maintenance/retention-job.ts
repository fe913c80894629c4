import { LIMITS } from '@vigil/schema';
import type { FastifyBaseLogger } from 'fastify';
import type { RetentionPolicy, RetentionReport, Store } from '../store/store.js';

const DAY = 86_400_000;

/**
 * How long batch ids are remembered for replay detection: longer than the oldest event the
 * collector accepts, so a batch replayed from an SDK's offline queue is still recognised.
 */
export const BATCH_ID_RETENTION_MILLIS = LIMITS.maxEventAgeMillis + DAY;

/** The retention policy for the configured day counts. */
export function retentionPolicy(retention: { detailedDays: number; aggregatedDays: number }): RetentionPolicy {
  return {
    detailedMillis: retention.detailedDays * DAY,
    aggregatedMillis: retention.aggregatedDays * DAY,
    batchIdMillis: BATCH_ID_RETENTION_MILLIS,
  };
}

/**
 * Enforces retention: minute rollups, error occurrences and per-minute counts past the detailed
 * period go (the hourly rollups keep their aggregate), hourly rollups past the aggregated period
 * go. Runs at start and then every `intervalMillis`, logging what it removed.
 *
 * @example
 * const job = new RetentionJob(store, log, { detailedDays: 90, aggregatedDays: 365 });
 * job.start();
 */
export class RetentionJob {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<RetentionReport | undefined> | undefined;
  /** The last run's report, for the API and logs. */
  lastReport: (RetentionReport & { at: number }) | undefined;

  constructor(
    private readonly store: Store,
    private readonly log: FastifyBaseLogger,
    private retention: { detailedDays: number; aggregatedDays: number },
    private readonly intervalMillis = 3_600_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The day counts in force (config defaults, or an admin's override from settings). */
  get days(): { detailedDays: number; aggregatedDays: number } {
    return { ...this.retention };
  }

  /** Changes the day counts; the next run enforces them. */
  setRetention(retention: { detailedDays: number; aggregatedDays: number }): void {
    this.retention = { ...retention };
  }

  start(): void {
    this.#timer = setInterval(() => void this.run(), this.intervalMillis);
    this.#timer.unref();
    void this.run();
  }

  /** One run; concurrent calls share it. Failures are logged and retried at the next interval. */
  run(): Promise<RetentionReport | undefined> {
    this.#running ??= this.store
      .applyRetention(retentionPolicy(this.retention), this.now())
      .then((report) => {
        this.lastReport = { ...report, at: this.now() };
        const removed = Object.values(report).reduce((a, b) => a + b, 0);
        if (removed > 0) this.log.info({ retention: report }, 'retention removed expired data');
        return report;
      })
      .catch((e: unknown) => {
        this.log.error({ err: e }, 'retention run failed; it will be retried');
        return undefined;
      })
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }
}
