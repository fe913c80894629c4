import { existsSync, readdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { PortalSimulator } from '@vigil/simulator';
import { build } from 'vite';
import type { VigilApp } from '../../../server/src/app.js';
import { ADMIN_TOKEN, batch, INGEST_KEY, testApp } from '../../../server/test/helpers/test-app.js';

export const ADMIN_PASSWORD = 'admin-password-for-e2e-1';
export const OPERATOR = { name: 'olga', password: 'operator-password-e2e-1' };
export const VIEWER = { name: 'victor', password: 'viewer-password-e2e-1' };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The newest modification time of the dashboard's sources. */
function newestSource(): number {
  const dirs = [`${ROOT}src`];
  let newest = Math.max(statSync(`${ROOT}index.html`).mtimeMs, statSync(`${ROOT}vite.config.ts`).mtimeMs);
  for (const dir of dirs) for (const f of readdirSync(dir)) newest = Math.max(newest, statSync(`${dir}/${f}`).mtimeMs);
  return newest;
}

/** Builds the dashboard into dist/ when it is missing or older than its sources (CI builds it first). */
export async function ensureBuilt(): Promise<void> {
  const index = `${ROOT}dist/index.html`;
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource()) return;
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: ROOT, configFile: `${ROOT}vite.config.ts`, logLevel: 'warn', mode: 'production' });
  } finally {
    if (env === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = env;
  }
}

/** A listening Vigil filled with an hour of learning-portal traffic, with users and a health check. */
export interface DashboardServer {
  vigil: VigilApp;
  url: string;
  /** Reports disk usage of 96 % now, folds it and evaluates the rules: "Disk usage above 85 %" fires. */
  breachDisk(): Promise<void>;
  close(): Promise<void>;
}

async function call(vigil: VigilApp, method: 'POST' | 'PUT', url: string, payload: unknown, auth = ADMIN_TOKEN) {
  const res = await vigil.app.inject({
    method,
    url,
    payload: payload as object,
    headers: { authorization: `Bearer ${auth}` },
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res;
}

/**
 * Starts the real server on a free port (background timers off; the test drives the pipeline,
 * health checks and rule evaluation so nothing depends on sleeping).
 *
 * @example
 * const server = await startDashboardServer();
 */
export async function startDashboardServer(): Promise<DashboardServer> {
  const vigil = await testApp({ adminPassword: ADMIN_PASSWORD }, { passwordHashLogN: 10 });
  await vigil.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(vigil.app.server.address() as AddressInfo).port}`;

  const sim = new PortalSimulator({ seed: 11, users: 400, scenario: 'normal' });
  const now = Date.now();
  // An error burst in the middle of the hour gives the Errors tab groups and trends.
  for (const [from, to, mode] of [
    [now - 3_600_000, now - 1_800_000, 'normal'],
    [now - 1_800_000, now - 1_500_000, 'error-burst'],
    [now - 1_500_000, now - 1_000, 'normal'],
  ] as const) {
    sim.setMode(mode);
    for (const b of sim.batchesFor(from, to, { eventsPerSecond: 15, followLoadCurve: false })) {
      await call(vigil, 'POST', '/api/v1/events', b, INGEST_KEY);
    }
  }
  await vigil.pipeline.drain();

  await call(vigil, 'POST', '/api/v1/users', { name: OPERATOR.name, role: 'operator', password: OPERATOR.password });
  await call(vigil, 'POST', '/api/v1/users', { name: VIEWER.name, role: 'viewer', password: VIEWER.password });
  await call(vigil, 'POST', '/api/v1/health/checks', {
    name: 'vigil-self',
    kind: 'http',
    target: `${url}/healthz`,
    intervalMillis: 30_000,
  });
  for (let i = 0; i < 3; i++) await vigil.health.scheduler.runOnce();
  await vigil.health.sampler.tick();
  await vigil.pipeline.drain();
  await vigil.detector.runOnce(Date.now());
  await vigil.alerting.engine.evaluate();

  return {
    vigil,
    url,
    async breachDisk() {
      const event = { type: 'gauge', ts: Date.now(), name: 'disk.percent', value: 96, unit: 'percent', host: 'api-1' };
      await call(
        vigil,
        'POST',
        '/api/v1/events',
        batch([event], {
          source: { service: 'portal-api', environment: 'production', platform: 'node', sdk: 'test/1.0.0' },
        }),
        INGEST_KEY,
      );
      await vigil.pipeline.drain();
      await vigil.alerting.engine.evaluate();
    },
    close: () => vigil.close(),
  };
}
