/**
 * Worker-thread entry of the pipeline: its own store connection, the same {@link Pipeline},
 * driven by messages from {@link WorkerPipeline} on the main thread. Folding rollups (JSON
 * parsing, sketches) then costs the ingest thread nothing but a short write lock.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { SelfMetrics } from '../metrics/self-metrics.js';
import { type CreateStoreOptions, createStore } from '../store/create-store.js';
import { Pipeline } from './pipeline.js';
import type { PipelineOptions } from './pipeline-runner.js';
import type { FromWorker, ToWorker } from './worker-pipeline.js';

const data = workerData as { store: CreateStoreOptions; options: PipelineOptions; logLevel: string };
const port = parentPort;
if (port === null) throw new Error('pipeline-worker must run in a worker thread');
const log = pino({ level: data.logLevel, name: 'pipeline' });
const store = createStore(data.store);
const metrics = new SelfMetrics();
const pipeline = new Pipeline(store, metrics, log, data.options);
let lastEvents = 0;
let lastFailures = 0;

function report(): void {
  const events = metrics.pipelineEvents.get();
  const failures = metrics.pipelineErrors.get();
  const message: FromWorker = {
    type: 'stats',
    backlogRows: pipeline.backlogRows,
    lagSeconds: metrics.journalLagSeconds.value,
    events: events - lastEvents,
    failures: failures - lastFailures,
  };
  lastEvents = events;
  lastFailures = failures;
  port?.postMessage(message);
}
pipeline.onRun = report;

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'kick':
      pipeline.kick();
      break;
    case 'drain':
      pipeline
        .drain()
        .then(() => {
          report();
          port.postMessage({ type: 'drained', id: message.id, error: null } satisfies FromWorker);
        })
        .catch((e: unknown) => {
          port.postMessage({
            type: 'drained',
            id: message.id,
            error: String((e as Error)?.message ?? e),
          } satisfies FromWorker);
        });
      break;
    case 'stop':
      void pipeline
        .stop()
        .then(() => store.close())
        .finally(() => port.postMessage({ type: 'stopped' } satisfies FromWorker));
      break;
  }
});
pipeline.start();
