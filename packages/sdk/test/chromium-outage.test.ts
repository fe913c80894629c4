import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../../bench/lib/server-process.js';
import {
  launchChromium,
  type PageSdk,
  type PortalSite,
  RUN_CHROMIUM,
  servePortal,
  until,
} from './support/chromium-page.js';

const KEY = 'vk_outage_test_key_000001';
const ADMIN = 'vt_outage_test_admin_00001';
const OUTAGE_MILLIS = 30_000;
const PROBE = { phase: 'content', name: 'outage_probe' };

/** A port free right now, fixed for both server runs so the page's endpoint stays valid. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

let port: number;
let dataDir: string;
let server: ServerProcess | undefined;
let site: PortalSite;
let browser: Browser;

function startVigil(): Promise<ServerProcess> {
  return startServer('packages/server/src/main.ts', {
    PORT: String(port),
    VIGIL_HOST: '127.0.0.1',
    VIGIL_DATA_DIR: dataDir,
    VIGIL_INGEST_KEY: KEY,
    VIGIL_ADMIN_TOKEN: ADMIN,
  });
}

/** The probe actions the server has stored (read API, all minutes since `from`), and its journal backlog. */
async function storedProbes(from: number): Promise<{ count: number; backlog: number }> {
  const base = `http://127.0.0.1:${port}`;
  const q = new URLSearchParams({ metric: 'action', ...PROBE, from: String(from), to: String(Date.now() + 60_000) });
  const series = await fetch(`${base}/api/v1/series?${q}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  expect(series.status).toBe(200);
  const { buckets } = (await series.json()) as { buckets: Array<{ count: number }> };
  const ready = (await (await fetch(`${base}/readyz`)).json()) as { journalBacklog: number };
  return { count: buckets.reduce((n, b) => n + b.count, 0), backlog: ready.journalBacklog };
}

/** The page's SDK counters, and whether it still holds anything after a short flush. */
function sdkState(page: Page): Promise<{ recorded: number; empty: boolean; dropped: number; retries: number }> {
  return page.evaluate(async () => {
    const g = globalThis as unknown as { Vigil: PageSdk; recorded: number };
    const empty = await g.Vigil.flush(500);
    const { dropped, retries } = g.Vigil.getStats();
    return { recorded: g.recorded, empty, dropped, retries };
  });
}

describe.skipIf(!RUN_CHROMIUM)('real Chromium against a real Vigil server process that goes down', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-sdk-outage-'));
    port = await freePort();
    [server, site, browser] = await Promise.all([startVigil(), servePortal(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await server?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the collector down for 30 s then back: nothing lost, nothing duplicated', { timeout: 88_000 }, async () => {
    const from = Date.now() - 120_000;
    const page = await browser.newPage();
    await page.goto(site.pageUrl);
    // Default retry settings, as a portal would ship them; a short flush interval keeps
    // batches small and frequent, so one is likely in flight when the server dies.
    await page.evaluate(
      ([endpoint, key, name]) => {
        const g = globalThis as unknown as { Vigil: PageSdk; recorded: number; recorder: unknown };
        g.Vigil.init({ endpoint, key, service: 'portal-web', release: '1.0.0', flushIntervalMillis: 200 });
        g.recorded = 0;
        g.recorder = setInterval(() => {
          g.recorded++;
          g.Vigil.ApplicationMonitor.getInstance().recordContentEvent(name);
        }, 50);
      },
      [`http://127.0.0.1:${port}`, KEY, PROBE.name] as const,
    );
    // The path works before the outage: some probes are stored.
    await until(async () => (await storedProbes(from)).count > 0, 20_000);

    const beforeOutage = await page.evaluate(() => (globalThis as unknown as { recorded: number }).recorded);
    // Killed, as a crash would: a batch in flight may be stored without its answer reaching the page.
    await server?.stop('SIGKILL');
    server = undefined;
    await page.waitForTimeout(OUTAGE_MILLIS);
    const recorded = await page.evaluate(() => {
      const g = globalThis as unknown as { recorded: number; recorder: Parameters<typeof clearInterval>[0] };
      clearInterval(g.recorder);
      return g.recorded;
    });
    const during = await sdkState(page);
    expect(during.empty).toBe(false); // the SDK really held events through the outage
    expect(during.retries).toBeGreaterThan(0);

    server = await startVigil();
    // The SDK's backoff is capped at 30 s, so everything is acknowledged within that after restart.
    let last = during;
    await until(
      async () => {
        last = await sdkState(page);
        return last.empty;
      },
      45_000,
      () => JSON.stringify(last),
    );
    expect(last.dropped).toBe(0);
    let seen = { count: 0, backlog: -1 };
    await until(
      async () => {
        seen = await storedProbes(from);
        return seen.count >= recorded && seen.backlog === 0;
      },
      15_000,
      () => `stored ${JSON.stringify(seen)}, recorded ${recorded}`,
    );
    expect(recorded).toBeGreaterThan(beforeOutage);
    expect(seen.count).toBe(recorded);
    await page.close();
  });
});
