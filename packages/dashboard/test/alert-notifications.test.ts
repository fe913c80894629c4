import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, batch, INGEST_KEY } from '../../server/test/helpers/test-app.js';
import { launchChromium, login, RUN_CHROMIUM } from './support/browser.js';
import { ADMIN_PASSWORD, type DashboardServer, ensureBuilt, startDashboardServer } from './support/dashboard-server.js';

/**
 * Runs before the app: wraps `Notification` and `AudioContext` so the test sees every call while
 * the real ones still run. The context grants the permission up front (headless Chromium cannot
 * show a prompt), so the wrapper reports `default` until the page asks — as for a first visit —
 * which lets the test tell whether the app asks at load or only on the user's tick.
 */
const RECORDER = `(() => {
  const calls = { titles: [], permissionRequests: 0, oscillators: 0 };
  window.__vigilCalls = calls;
  const RealNotification = window.Notification;
  let asked = false;
  class RecordedNotification extends RealNotification {
    constructor(title, options) {
      calls.titles.push(title);
      super(title, options);
    }
    static get permission() {
      return asked ? RealNotification.permission : 'default';
    }
    static requestPermission(...args) {
      calls.permissionRequests++;
      asked = true;
      return RealNotification.requestPermission(...args);
    }
  }
  window.Notification = RecordedNotification;
  const RealAudioContext = window.AudioContext;
  window.AudioContext = class RecordedAudioContext extends RealAudioContext {
    createOscillator() {
      calls.oscillators++;
      return super.createOscillator();
    }
  };
})();`;

interface Calls {
  titles: string[];
  permissionRequests: number;
  oscillators: number;
}

const calls = (page: Page) => page.evaluate(() => (window as unknown as { __vigilCalls: Calls }).__vigilCalls);

/** One chime is two tones, so one oscillator pair per sound played. */
const TONES_PER_CHIME = 2;

const RULES = [
  { id: 'test-critical', name: 'Test queue depth critical', severity: 'critical', gauge: 'test.queue_critical' },
  { id: 'test-medium', name: 'Test queue depth medium', severity: 'medium', gauge: 'test.queue_medium' },
  { id: 'test-low', name: 'Test queue depth low', severity: 'low', gauge: 'test.queue_low' },
  { id: 'test-critical-2', name: 'Test backlog critical', severity: 'critical', gauge: 'test.backlog_critical' },
] as const;

async function call(server: DashboardServer, url: string, payload: object, auth: string): Promise<void> {
  const res = await server.vigil.app.inject({
    method: 'POST',
    url,
    payload,
    headers: { authorization: `Bearer ${auth}` },
  });
  if (res.statusCode >= 300) throw new Error(`POST ${url}: ${res.statusCode} ${res.body}`);
}

/** Reports 99 for the rule's gauge, folds it and evaluates the rules: the rule fires. */
async function breach(server: DashboardServer, rule: (typeof RULES)[number]): Promise<void> {
  const event = { type: 'gauge', ts: Date.now(), name: rule.gauge, value: 99, host: 'api-1' };
  await call(server, '/api/v1/events', batch([event]), INGEST_KEY);
  await server.vigil.pipeline.drain();
  await server.vigil.alerting.engine.evaluate();
}

describe.skipIf(!RUN_CHROMIUM)('alert notifications and sound in Chromium', () => {
  let server: DashboardServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;

  /** Waits until the alert is listed and its arrival was announced (the signal effect has run). */
  async function arrives(rule: (typeof RULES)[number]): Promise<void> {
    await breach(server, rule);
    await page.locator('[data-testid="alert-list"] li', { hasText: rule.name }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: `New alert: ${rule.severity} ${rule.name}` })
      .waitFor();
  }

  beforeAll(async () => {
    await ensureBuilt();
    server = await startDashboardServer();
    // Only this test's rules may fire, so every notification is one the test caused.
    const engine = server.vigil.alerting.engine;
    for (const r of [...engine.rules.values()]) await engine.putRule({ ...r, enabled: false });
    for (const r of RULES) {
      const rule = {
        id: r.id,
        name: r.name,
        type: 'system',
        severity: r.severity,
        query: { metric: 'gauge', name: r.gauge, aggregation: 'max', windowMillis: 120_000 },
        comparator: '>',
        threshold: 50,
        forMillis: 0,
      };
      await call(server, '/api/v1/rules', rule, ADMIN_TOKEN);
    }
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await ctx.grantPermissions(['notifications'], { origin: server.url });
    await ctx.addInitScript(RECORDER);
    page = await ctx.newPage();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks for permission only on the tick, notifies and chimes once per critical alert, and stops when switched off', async () => {
    await login(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.getByText('Live stream: connected').waitFor();
    const notifications = page.getByRole('checkbox', { name: 'Browser notifications' });
    const sound = page.getByRole('checkbox', { name: 'Sound for critical and high' });
    expect([await notifications.isChecked(), await sound.isChecked()]).toEqual([false, false]);
    expect(await calls(page)).toEqual({ titles: [], permissionRequests: 0, oscillators: 0 });

    await notifications.click();
    await expect.poll(() => notifications.isChecked()).toBe(true);
    await sound.click();
    expect(await sound.isChecked()).toBe(true);
    expect(await calls(page)).toEqual({ titles: [], permissionRequests: 1, oscillators: 0 });

    await arrives(RULES[0]);
    expect(await calls(page)).toEqual({
      titles: ['CRITICAL: Test queue depth critical'],
      permissionRequests: 1,
      oscillators: TONES_PER_CHIME,
    });

    await arrives(RULES[1]);
    await arrives(RULES[2]);
    expect(await calls(page)).toEqual({
      titles: ['CRITICAL: Test queue depth critical'],
      permissionRequests: 1,
      oscillators: TONES_PER_CHIME,
    });

    await notifications.click();
    await sound.click();
    expect([await notifications.isChecked(), await sound.isChecked()]).toEqual([false, false]);
    await arrives(RULES[3]);
    expect(await calls(page)).toEqual({
      titles: ['CRITICAL: Test queue depth critical'],
      permissionRequests: 1,
      oscillators: TONES_PER_CHIME,
    });

    // The switch is remembered; a reload shows it on without asking again at load.
    await notifications.click();
    await expect.poll(() => notifications.isChecked()).toBe(true);
    await page.reload();
    await page.getByText('Live stream: connected').waitFor();
    expect([await notifications.isChecked(), (await calls(page)).permissionRequests]).toEqual([true, 0]);
  });
});
