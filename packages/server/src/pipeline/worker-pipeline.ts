import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import type { SelfMetrics } from '../metrics/self-metrics.js';
import type { CreateStoreOptions } from '../store/create-store.js';
import type { PipelineOptions, PipelineRunner } from './pipeline-runner.js';

/** Messages to the worker. */
export type ToWorker = { type: 'kick' } | { type: 'drain'; id: number } | { type: 'stop' };
/** Messages from the worker. */
export type FromWorker =
  | { type: 'stats'; backlogRows: number; lagSeconds: number; events: number; failures: number }
  | { type: 'drained'; id: number; error: string | null }
  | { type: 'stopped' };

/**
 * The pipeline in a worker thread, with its own store connection. The main thread keeps HTTP,
 * validation and the journal; the worker folds rollups on the other core. The worker restarts
 * after a crash (the journal still holds everything it had not committed).
 *
 * @example
 * const pipeline = new WorkerPipeline(storeOptions, config.pipeline, metrics, log, 'info');
 * pipeline.start();
 */
export class WorkerPipeline implements PipelineRunner {
  #worker: Worker | undefined;
  #nextId = 0;
  #waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  #stopping = false;
  #stopped: (() => void) | undefined;
  backlogRows = 0;
  onRun: () => void = () => {};

  constructor(
    private readonly store: CreateStoreOptions,
    private readonly options: PipelineOptions,
    private readonly metrics: SelfMetrics,
    private readonly log: FastifyBaseLogger,
    private readonly logLevel: string,
  ) {}

  start(): void {
    const worker = new Worker(new URL('./pipeline-worker-entry.mjs', import.meta.url), {
      workerData: { store: this.store, options: this.options, logLevel: this.logLevel },
    });
    worker.on('message', (m: FromWorker) => this.#onMessage(m));
    worker.on('error', (e) => this.log.error({ err: e }, 'pipeline worker failed'));
    worker.on('exit', (code) => {
      this.#worker = undefined;
      for (const w of this.#waiting.values()) w.reject(new Error(`pipeline worker exited with ${code}`));
      this.#waiting.clear();
      if (this.#stopping) {
        this.#stopped?.();
      } else {
        this.log.error({ code }, 'pipeline worker exited; restarting it');
        setTimeout(() => this.start(), 1_000).unref();
      }
    });
    this.#worker = worker;
  }

  kick(): void {
    this.#worker?.postMessage({ type: 'kick' } satisfies ToWorker);
  }

  drain(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return Promise.reject(new Error('pipeline worker is not running'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.postMessage({ type: 'drain', id } satisfies ToWorker);
    });
  }

  stop(): Promise<void> {
    this.#stopping = true;
    const worker = this.#worker;
    if (worker === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      this.#stopped = resolve;
      worker.postMessage({ type: 'stop' } satisfies ToWorker);
      // A worker that does not stop in time is terminated; its journal rows stay for next time.
      setTimeout(() => void worker.terminate(), 10_000).unref();
    });
  }

  #onMessage(m: FromWorker): void {
    if (m.type === 'stats') {
      this.backlogRows = m.backlogRows;
      this.metrics.journalBacklog.set(m.backlogRows);
      this.metrics.journalLagSeconds.set(m.lagSeconds);
      this.metrics.pipelineEvents.inc(m.events);
      this.metrics.pipelineErrors.inc(m.failures);
      this.onRun();
    } else if (m.type === 'drained') {
      const waiter = this.#waiting.get(m.id);
      this.#waiting.delete(m.id);
      if (m.error === null) waiter?.resolve();
      else waiter?.reject(new Error(`pipeline drain failed: ${m.error}`));
    } else {
      void this.#worker?.terminate();
    }
  }
}
