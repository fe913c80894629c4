import type { FastifyBaseLogger } from 'fastify';
import type { SelfMetrics } from '../metrics/self-metrics.js';
import type { Store } from '../store/store.js';
import { Aggregator } from './aggregator.js';
import type { PipelineOptions, PipelineRunner } from './pipeline-runner.js';

/**
 * Moves durable batches from the journal into rollups: read the oldest rows, fold them, commit
 * the aggregates and delete the rows in one transaction. It runs on an interval and whenever
 * the collector commits new batches, so data is queryable within about a second.
 *
 * @example
 * const pipeline = new Pipeline(store, metrics, log, options);
 * pipeline.start();
 * await pipeline.drain(); // in tests: until the journal is empty
 */
export class Pipeline implements PipelineRunner {
  readonly #aggregator: Aggregator;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  /** Last known journal backlog, for the collector's overload check and `/metrics`. */
  backlogRows = 0;
  /** Called after every run that emptied the journal (the worker reports its stats here). */
  onRun: () => void = () => {};

  constructor(
    private readonly store: Store,
    private readonly metrics: SelfMetrics,
    private readonly log: FastifyBaseLogger,
    private readonly options: PipelineOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.#aggregator = new Aggregator({ maxNamesPerMetric: options.maxNamesPerMetric });
  }

  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => this.kick(), this.options.intervalMillis);
    this.#timer.unref();
    this.kick();
  }

  /** Asks for a run soon; runs never overlap. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#runUntilEmpty()
      .catch((e) => {
        this.metrics.pipelineErrors.inc();
        this.log.error({ err: e }, 'pipeline step failed; it will be retried');
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  /** Processes until the journal is empty (tests and shutdown). */
  async drain(): Promise<void> {
    while (this.#running) await this.#running;
    await this.#runUntilEmpty();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    while (this.#running) await this.#running;
  }

  /** One step: returns the number of journal rows consumed. */
  async step(): Promise<number> {
    const rows = await this.store.readJournal(this.options.rowsPerStep);
    if (rows.length === 0) return 0;
    for (const row of rows) this.#aggregator.add(row);
    const events = this.#aggregator.events;
    await this.store.commitPipeline(this.#aggregator.take());
    this.metrics.pipelineEvents.inc(events);
    return rows.length;
  }

  async #runUntilEmpty(): Promise<void> {
    while ((await this.step()) === this.options.rowsPerStep) {
      // keep going while full steps come back
    }
    const backlog = await this.store.journalBacklog();
    this.backlogRows = backlog.rows;
    this.metrics.journalBacklog.set(backlog.rows);
    this.metrics.journalLagSeconds.set(
      backlog.oldestReceivedAt === null ? 0 : Math.max(0, (this.now() - backlog.oldestReceivedAt) / 1000),
    );
    this.onRun();
  }
}
