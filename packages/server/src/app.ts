import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { type AccessServices, createAccessServices } from './access/access-services.js';
import { hashCredential, newCredential, newId } from './access/credentials.js';
import { type AlertingRuntime, createAlerting } from './alerting/alerting-runtime.js';
import { IncidentDetector } from './analytics/incident-detector.js';
import type { VigilConfig } from './config.js';
import { createHealthMonitor, type HealthMonitor } from './health/health-monitor.js';
import { installAccessHook } from './http/access-hook.js';
import { accessRoutes } from './http/access-routes.js';
import { alertRoutes } from './http/alert-routes.js';
import { analyticsRoutes } from './http/analytics-routes.js';
import { installErrorHandling } from './http/error-handler.js';
import { exportRoutes } from './http/export-routes.js';
import { healthRoutes } from './http/health-routes.js';
import { incidentRoutes } from './http/incident-routes.js';
import { ingestRoutes } from './http/ingest-routes.js';
import { opsRoutes } from './http/ops-routes.js';
import { readRoutes } from './http/read-routes.js';
import { reportRoutes } from './http/report-routes.js';
import { setSecurityHeaders } from './http/security-headers.js';
import { spaFallback, staticRoutes } from './http/static-routes.js';
import { Collector } from './ingest/collector.js';
import { JournalWriter } from './ingest/journal-writer.js';
import { KeyRing } from './ingest/key-ring.js';
import { RateLimiter } from './ingest/rate-limiter.js';
import { Scrubber } from './ingest/scrubber.js';
import { RetentionJob } from './maintenance/retention-job.js';
import { SelfMetrics } from './metrics/self-metrics.js';
import { Pipeline } from './pipeline/pipeline.js';
import type { PipelineRunner } from './pipeline/pipeline-runner.js';
import { WorkerPipeline } from './pipeline/worker-pipeline.js';
import { ReportArchive } from './reports/report-archive.js';
import { ReportScheduler } from './reports/report-scheduler.js';
import { ReportService } from './reports/report-service.js';
import { createStore } from './store/create-store.js';
import type { Store } from './store/store.js';

/** One registered route and who may call it. */
export interface RouteEntry {
  method: string;
  url: string;
  access: string;
}

/** Options for tests and embedding; `main` passes only the config. */
export interface BuildOptions {
  /** Use this store instead of creating one from the config (the app still migrates it). */
  store?: Store;
  now?: () => number;
  /**
   * Start the background work — the pipeline's and the retention job's timers (default true).
   * Tests may drive them with `pipeline.drain()` and `retention.run()`.
   */
  startPipeline?: boolean;
  /** scrypt cost as log2(N) for user passwords (default 17, OWASP); tests lower it for speed. */
  passwordHashLogN?: number;
}

/** What `buildApp` returns: the Fastify app (not listening) and the parts tests reach into. */
export interface VigilApp {
  app: FastifyInstance;
  store: Store;
  pipeline: PipelineRunner;
  retention: RetentionJob;
  metrics: SelfMetrics;
  /** The incident detector; tests call `detector.runOnce(now)`. */
  detector: IncidentDetector;
  /** Rules, alerts, escalation and the notification outbox; tests call `alerting.engine.evaluate()` and `alerting.dispatcher.deliverDue()`. */
  alerting: AlertingRuntime;
  /** Host sampler and service checks; tests drive them with `sampler.tick()` and `scheduler.runOnce()`. */
  health: HealthMonitor;
  /** Users, sessions, audit log and retention settings. */
  access: AccessServices;
  /** Report generation, scheduled reports (tests call `reports.scheduler.runDue(now)`) and their archive. */
  reports: { service: ReportService; scheduler: ReportScheduler; archive: ReportArchive };
  /** The `admin` user's password when this start generated it (first run), otherwise undefined. */
  createdAdminPassword: string | undefined;
  /** Every route with the access level it declares (`public`, `ingest`, `admin`). */
  routes: RouteEntry[];
  /** The default project's ingest key (stored in settings so it can be printed at every start). */
  ingestKey: string;
  /** The admin token when this start created it (first run), otherwise undefined. */
  createdAdminToken: string | undefined;
  /** Stops the pipeline, drains the journal writer, closes the server and the store. */
  close(): Promise<void>;
}

async function bootstrapCredentials(
  store: Store,
  config: VigilConfig,
): Promise<{ ingestKey: string; adminToken?: string }> {
  await store.upsertProject({ name: config.defaultProject, allowedOrigins: config.allowedOrigins });
  const keys = await store.listIngestKeys();
  const wanted = config.ingestKey ?? (await store.getSetting('default_ingest_key')) ?? newCredential('vk');
  if (!keys.some((k) => k.keyHash === hashCredential(wanted))) {
    await store.createIngestKey({
      id: newId(),
      project: config.defaultProject,
      keyHash: hashCredential(wanted),
      environment: null,
      label: 'default',
    });
  }
  const ingestKey = config.ingestKey ?? (await store.initSetting('default_ingest_key', wanted));
  let adminToken: string | undefined;
  if (config.adminToken !== undefined) {
    if ((await store.findToken(hashCredential(config.adminToken))) === null) {
      await store.createToken({
        id: newId(),
        tokenHash: hashCredential(config.adminToken),
        label: 'VIGIL_ADMIN_TOKEN',
        role: 'admin',
      });
      adminToken = config.adminToken;
    }
  } else if ((await store.countTokens()) === 0) {
    adminToken = newCredential('vt');
    await store.createToken({ id: newId(), tokenHash: hashCredential(adminToken), label: 'first run', role: 'admin' });
  }
  return adminToken === undefined ? { ingestKey } : { ingestKey, adminToken };
}

/**
 * Builds the whole server without listening: store (migrated), collector, pipeline and routes.
 * `main` parses config and listens; tests call this and use `app.inject()`.
 *
 * @example
 * const vigil = await buildApp(loadConfig(process.env));
 * await vigil.app.listen({ port: 4600 });
 */
export async function buildApp(config: VigilConfig, options: BuildOptions = {}): Promise<VigilApp> {
  const now = options.now ?? Date.now;
  const app = Fastify({
    logger: { level: config.logLevel },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    trustProxy: config.trustProxy,
    // Large ingest bursts queue in the collector, not in Fastify's socket handling.
    keepAliveTimeout: 65_000,
  });
  const storeOptions = {
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
    dataDir: config.dataDir,
    durability: config.durability,
  };
  const store = options.store ?? createStore(storeOptions);
  try {
    await store.migrate();
  } catch (e) {
    await store.close().catch(() => {});
    throw new Error(`The store could not be opened or migrated (${store.name})`, { cause: e });
  }
  const secret = await store.initSetting('pseudonym_secret', randomBytes(32).toString('hex'));
  const { ingestKey, adminToken } = await bootstrapCredentials(store, config);

  const metrics = new SelfMetrics();
  // The worker opens its own connection, so it needs the store's options, not an injected store.
  const pipeline: PipelineRunner =
    config.pipeline.worker !== false && options.store === undefined
      ? new WorkerPipeline(storeOptions, config.pipeline, metrics, app.log, config.logLevel)
      : new Pipeline(store, metrics, app.log, config.pipeline, now);
  const writer = new JournalWriter(store, config.ingest.maxBatchesPerCommit, config.ingest.maxPendingBatches);
  writer.onCommit = (stored) => {
    if (stored > 0) pipeline.kick();
  };
  const keyRing = new KeyRing(store, 5_000, now);
  await keyRing.refresh();
  const scrubber = new Scrubber(secret, config.pii);
  const collector = new Collector({
    keyRing,
    writer,
    scrubber,
    rateLimiter: new RateLimiter(config.ingest.rateLimitEventsPerSecond, config.ingest.rateLimitBurstEvents),
    metrics,
    backlogRows: () => pipeline.backlogRows,
    maxBacklogRows: config.ingest.maxJournalBacklogRows,
    now,
  });
  const retention = new RetentionJob(store, app.log, config.retention, 3_600_000, now);
  const access = await createAccessServices({
    store,
    retention,
    defaults: config.retention,
    adminPassword: config.adminPassword,
    ...(options.passwordHashLogN !== undefined ? { passwordHashLogN: options.passwordHashLogN } : {}),
    now,
  });
  const detector = new IncidentDetector(store, config.defaultProject, app.log, { intervalMillis: 60_000 }, now);
  const alerting = await createAlerting({
    store,
    config: config.alerting,
    project: config.defaultProject,
    log: app.log,
    now,
  });
  // Rules see new data as soon as the pipeline has folded it, not at the next interval.
  pipeline.onRun = () => alerting.kick();
  const health = await createHealthMonitor({
    store,
    writer,
    scrubber,
    log: app.log,
    config: config.health,
    project: config.defaultProject,
    dataDir: config.dataDir,
    retentionMillis: config.retention.detailedDays * 86_400_000,
    now,
  });

  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = (route.config as { access?: string } | undefined)?.access ?? 'undeclared';
    for (const method of methods) if (method !== 'HEAD') routes.push({ method, url: route.url, access });
  });
  installErrorHandling(app, (request, reply) => spaFallback(request, reply));
  installAccessHook(app, { authenticator: access.authenticator, audit: access.audit, trustProxy: config.trustProxy });
  app.addHook('onSend', async (request, reply) => setSecurityHeaders(request, reply, config.trustProxy));
  await app.register(ingestRoutes, { collector, keyRing, metrics });
  await app.register(readRoutes, {
    store,
    defaultProject: config.defaultProject,
    detailedMillis: config.retention.detailedDays * 86_400_000,
    now,
  });
  const analyticsOptions = {
    store,
    defaultProject: config.defaultProject,
    detailedMillis: config.retention.detailedDays * 86_400_000,
    now,
  };
  await app.register(analyticsRoutes, analyticsOptions);
  await app.register(incidentRoutes, analyticsOptions);
  const reports = new ReportService({
    store,
    sla: config.reports.sla,
    detailedMillis: analyticsOptions.detailedMillis,
    now,
  });
  const reportArchive = new ReportArchive(path.join(config.dataDir, 'reports'));
  const reportScheduler = new ReportScheduler({
    schedules: config.reports.schedules,
    reports,
    archive: reportArchive,
    store,
    audit: access.audit,
    project: config.defaultProject,
    log: app.log,
    now,
  });
  await app.register(reportRoutes, { reports, archive: reportArchive, defaultProject: config.defaultProject, now });
  await app.register(exportRoutes, { store, defaultProject: config.defaultProject, now });
  await app.register(opsRoutes, { store, metrics, pipelineBacklog: () => pipeline.backlogRows });
  await app.register(accessRoutes, {
    access,
    store,
    keyRing,
    scrubber,
    pipeline,
    retention,
    trustProxy: config.trustProxy,
    now,
  });
  await app.register(healthRoutes, { store, scheduler: health.scheduler, sampler: health.sampler, now });
  await app.register(alertRoutes, { store, alerting, defaultProject: config.defaultProject, now });
  await app.register(staticRoutes);
  await app.ready();
  if (options.startPipeline !== false) {
    pipeline.start();
    retention.start();
    health.start();
    detector.start();
    alerting.start();
    reportScheduler.start();
  } else if (pipeline instanceof WorkerPipeline) {
    // Tests drive the pipeline with drain(); the worker must exist to answer.
    pipeline.start();
  }

  let closed = false;
  return {
    app,
    store,
    pipeline,
    retention,
    detector,
    alerting,
    health,
    metrics,
    routes,
    ingestKey,
    createdAdminToken: adminToken,
    access,
    reports: { service: reports, scheduler: reportScheduler, archive: reportArchive },
    createdAdminPassword: access.createdAdminPassword,
    async close() {
      if (closed) return;
      closed = true;
      // Health records gauges through the journal writer, so it stops before the writer drains.
      await health.stop();
      await app.close();
      await writer.drain();
      await pipeline.stop();
      await retention.stop();
      await detector.stop();
      await reportScheduler.stop();
      await alerting.stop();
      await store.close();
    },
  };
}
