import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { JournalWriter } from '../ingest/journal-writer.js';
import type { Scrubber } from '../ingest/scrubber.js';
import type { HealthCheckRecord, Store } from '../store/store.js';
import { GaugeRecorder } from './gauge-recorder.js';
import type { HealthConfig } from './health-config.js';
import { HealthScheduler } from './health-scheduler.js';
import type { HealthProbe } from './probes/health-probe.js';
import { SystemSampler } from './system-sampler.js';

/** What {@link createHealthMonitor} needs from `buildApp`. */
export interface HealthMonitorDeps {
  store: Store;
  writer: JournalWriter;
  scrubber: Scrubber;
  log: FastifyBaseLogger;
  config: HealthConfig;
  /** The default project: the server's own gauges belong to it. */
  project: string;
  dataDir: string;
  /** Check results are kept this long (the detailed retention). */
  retentionMillis: number;
  now: () => number;
  /** Tests may substitute probes. */
  createProbe?: (check: HealthCheckRecord) => HealthProbe;
}

/** The host sampler and the service-check scheduler, started and stopped together. */
export interface HealthMonitor {
  sampler: SystemSampler;
  scheduler: HealthScheduler;
  recorder: GaugeRecorder;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Builds the health side of the server: stores the config file's checks (the file wins for
 * the names it lists, at every start), loads every stored check into the scheduler, and wires
 * both the sampler (service `vigil`) and the checks' gauges into the journal.
 *
 * @example
 * const health = await createHealthMonitor({ store, writer, scrubber, log, config: config.health, project, dataDir, retentionMillis, now });
 * health.start();
 */
export async function createHealthMonitor(deps: HealthMonitorDeps): Promise<HealthMonitor> {
  const recorder = new GaugeRecorder({
    writer: deps.writer,
    scrubber: deps.scrubber,
    project: deps.project,
    environment: deps.config.environment,
    host: hostname(),
    now: deps.now,
  });
  const onError = (what: string) => (error: unknown) => deps.log.warn({ err: error }, what);
  const sampler = new SystemSampler({
    dataDir: deps.dataDir,
    mounts: deps.config.mounts,
    intervalMillis: deps.config.sampleIntervalMillis,
    emit: (readings) => recorder.record('vigil', readings),
    onError: onError('host sampler failed'),
    now: deps.now,
  });
  const scheduler = new HealthScheduler({
    store: deps.store,
    recordGauges: (service, readings) => recorder.record(service, readings),
    retentionMillis: deps.retentionMillis,
    now: deps.now,
    onError: onError('health check bookkeeping failed'),
    ...(deps.createProbe === undefined ? {} : { createProbe: deps.createProbe }),
  });
  for (const check of deps.config.checks) await deps.store.putHealthCheck(check);
  await scheduler.load();
  return {
    sampler,
    scheduler,
    recorder,
    start() {
      sampler.start();
      scheduler.start();
    },
    async stop() {
      await sampler.stop();
      await scheduler.stop();
    },
  };
}
