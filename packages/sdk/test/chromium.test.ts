import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { VigilEvent } from '@vigil/schema';
import { buildApp, defaultConfig, type VigilApp } from '@vigil/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  type PageSdk,
  type PortalSite,
  RUN_CHROMIUM,
  servePortal,
  until,
} from './support/chromium-page.js';

const KEY = 'vk_chromium_test_key_0001';

let vigil: VigilApp;
let dataDir: string;
let collectorUrl: string;
let site: PortalSite;
let browser: Browser;

/** Every event the real collector journaled (the pipeline is off, so the journal keeps them all). */
async function stored(): Promise<VigilEvent[]> {
  const rows = await vigil.store.readJournal(100_000);
  return rows.flatMap((r) => (JSON.parse(r.payload) as { events: VigilEvent[] }).events);
}

describe.skipIf(!RUN_CHROMIUM)('real Chromium against a real Vigil server', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-sdk-chromium-'));
    vigil = await buildApp(
      {
        ...defaultConfig(),
        dataDir,
        port: 0,
        ingestKey: KEY,
        logLevel: 'silent',
        pipeline: { ...defaultConfig().pipeline, worker: false },
      },
      { startPipeline: false },
    );
    // Stopped, the pipeline leaves every acknowledged batch in the journal for the test to count.
    await vigil.pipeline.stop();
    await vigil.app.listen({ port: 0, host: '127.0.0.1' });
    collectorUrl = `http://127.0.0.1:${(vigil.app.server.address() as AddressInfo).port}`;
    site = await servePortal();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await vigil?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function open(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(site.pageUrl);
    await page.evaluate(
      ([endpoint, key]) =>
        (globalThis as unknown as { Vigil: PageSdk }).Vigil.init({
          endpoint,
          key,
          service: 'portal-web',
          release: '1.0.0',
          flushIntervalMillis: 200,
        }),
      [collectorUrl, KEY] as const,
    );
    return page;
  }

  it('page errors, a failing fetch, web vitals and a pagehide flush all arrive, counted exactly', async () => {
    const page = await open();
    await page.evaluate(async () => {
      setTimeout(() => {
        throw new Error('page boom');
      }, 0);
      void Promise.reject(new Error('rejected in page'));
      await fetch('/api/courses/42/lessons/7');
    });
    await page.mouse.click(10, 10); // finalises LCP
    await page.waitForTimeout(300);
    // Events recorded right before leaving go out with the pagehide beacon.
    await page.evaluate(() => {
      const v = (globalThis as unknown as { Vigil: PageSdk }).Vigil;
      for (let i = 0; i < 3; i++) v.ApplicationMonitor.getInstance().recordAuthEvent('logout');
    });
    await page.goto('about:blank');
    await until(async () => (await stored()).filter((e) => e.type === 'action').length === 3);
    const events = await stored();
    const count = (pred: (e: VigilEvent) => boolean): number => events.filter(pred).length;
    expect(count((e) => e.type === 'error' && e.message === 'page boom')).toBe(1);
    expect(count((e) => e.type === 'error' && e.message === 'rejected in page')).toBe(1);
    expect(events.filter((e) => e.type === 'api').map((e) => e.type === 'api' && [e.route, e.status])).toEqual([
      ['/api/courses/:id/lessons/:id', 500],
    ]);
    const vitals = new Set(events.flatMap((e) => (e.type === 'vital' ? [e.name] : [])));
    expect([...vitals].sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
    expect(count((e) => e.type === 'vital')).toBe(5);
    expect(count((e) => e.type === 'timing' && e.name === 'page_load')).toBe(1);
    expect(count((e) => e.type === 'session')).toBe(1);
    expect(count((e) => e.type === 'action')).toBe(3);
    await page.close();
  });

  it('an offline period: events wait, then arrive once when the browser is back online', async () => {
    const page = await open();
    await page.context().setOffline(true);
    await page.evaluate(() => {
      const v = (globalThis as unknown as { Vigil: PageSdk }).Vigil;
      for (let i = 0; i < 25; i++) v.ApplicationMonitor.getInstance().recordAPIResponse(100 + i);
    });
    await page.waitForTimeout(1000);
    expect((await stored()).filter((e) => e.type === 'api' && e.route === '/*')).toHaveLength(0);
    await page.context().setOffline(false);
    await until(async () => (await stored()).filter((e) => e.type === 'api' && e.route === '/*').length === 25);
    await page.waitForTimeout(500);
    expect((await stored()).filter((e) => e.type === 'api' && e.route === '/*')).toHaveLength(25);
    await page.close();
  });
});
