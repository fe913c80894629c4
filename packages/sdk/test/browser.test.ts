// @vitest-environment jsdom
import type { VigilEvent } from '@vigil/schema';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApplicationMonitor, close, flush, getStats, init } from '../src/browser.js';
import { FakeCollector, until } from './support/fake-collector.js';

type Entry = Record<string, unknown>;
type EventCtor = new (type: string, init?: Record<string, unknown>) => object;
interface StorageLike {
  getItem(k: string): string | null;
  clear(): void;
}
/** jsdom's globals, typed loosely: the root tsconfig has no DOM library. */
const dom = globalThis as unknown as {
  window: { dispatchEvent(e: object): boolean };
  document: { dispatchEvent(e: object): boolean };
  navigator: object;
  sessionStorage: StorageLike;
  localStorage: StorageLike;
  ErrorEvent: EventCtor;
  XMLHttpRequest: new () => {
    open(m: string, u: string): void;
    send(): void;
    addEventListener(t: string, f: () => void): void;
  };
};
const { window, document, navigator, sessionStorage, localStorage } = dom;
/** A PerformanceObserver stand-in: jsdom has none, so the test feeds entries by type. */
const observers = new Map<string, (list: { getEntries(): Entry[] }) => void>();
class FakeObserver {
  static supportedEntryTypes = ['paint', 'largest-contentful-paint', 'layout-shift', 'event', 'first-input'];
  constructor(private readonly cb: (list: { getEntries(): Entry[] }) => void) {}
  observe(o: { type: string }): void {
    observers.set(o.type, this.cb);
  }
}
const feed = (type: string, entries: Entry[]): void => observers.get(type)?.({ getEntries: () => entries });

let collector: FakeCollector;
let online = true;
const beacons: Array<{ url: string; body: string }> = [];
const pageFetch = vi.fn(async (input: unknown, _init?: unknown) => {
  const url = String(input);
  if (url.startsWith(collector.url)) return globalThis.nodeFetch(url, _init as RequestInit);
  return new Response('{}', { status: url.includes('missing') ? 404 : 200 });
});

declare global {
  var nodeFetch: typeof fetch;
}

beforeAll(async () => {
  collector = await new FakeCollector().start();
  globalThis.nodeFetch = globalThis.fetch;
  Object.assign(globalThis, { PerformanceObserver: FakeObserver, fetch: pageFetch });
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
  Object.assign(navigator, {
    sendBeacon: (url: string, body: string) => {
      beacons.push({ url, body });
      return online;
    },
  });
});

afterAll(async () => {
  close();
  await collector.close();
});

beforeEach(() => {
  close();
  collector.stored.clear();
  collector.requests.length = 0;
  beacons.length = 0;
  online = true;
});

function start(extra: Record<string, unknown> = {}): void {
  init({ endpoint: collector.url, key: 'vk_browser', service: 'portal-web', flushIntervalMillis: 20, ...extra });
}
const of = (type: string): VigilEvent[] => collector.events.filter((e) => e.type === type);

describe('browser entry (jsdom)', () => {
  it('sends with ?key= and text/plain, one session id per tab, a session start once', async () => {
    sessionStorage.clear();
    start();
    ApplicationMonitor.getInstance().recordAuthEvent('login');
    expect(await flush(3000)).toBe(true);
    const post = collector.requests.find((r) => r.method === 'POST');
    expect(post?.url).toBe('/api/v1/events?key=vk_browser');
    expect(post?.headers['content-type']).toBe('text/plain;charset=UTF-8');
    expect(post?.headers.authorization).toBeUndefined();
    expect(post?.batch?.source.platform).toBe('browser');
    const sid = JSON.parse(sessionStorage.getItem('vigil.session') ?? '{}').id as string;
    expect(collector.events.map((e) => [e.type, e.sessionId])).toEqual([
      ['session', sid],
      ['action', sid],
    ]);
    start(); // a second init in the same tab keeps the session and sends no new start
    ApplicationMonitor.getInstance().recordAuthEvent('logout');
    expect(await flush(3000)).toBe(true);
    expect(of('session')).toHaveLength(1);
    expect(collector.rejected).toBe(0);
  });

  it('captures window errors and unhandled rejections', async () => {
    start();
    window.dispatchEvent(
      new dom.ErrorEvent('error', { error: new TypeError('x is undefined'), message: 'x is undefined' }),
    );
    const rejection = new Event('unhandledrejection') as Event & { reason?: unknown };
    rejection.reason = new Error('promise failed for bob@example.com');
    window.dispatchEvent(rejection);
    expect(await flush(3000)).toBe(true);
    expect(of('error').map((e) => e.type === 'error' && [e.kind, e.name, e.message, e.context?.mechanism])).toEqual([
      ['javascript', 'TypeError', 'x is undefined', 'onerror'],
      ['javascript', 'Error', 'promise failed for [email]', 'unhandledrejection'],
    ]);
  });

  it("times fetch and XHR calls with templated routes, and never records the SDK's own requests", async () => {
    start();
    await fetch('https://api.example.com/api/courses/123?tab=2');
    await fetch('/api/missing/4f9a2c1e8b7d', { method: 'post' });
    const xhr = new dom.XMLHttpRequest();
    xhr.open('GET', `${collector.url.replace('127.0.0.1', 'localhost')}/api/lessons/77`);
    await new Promise<void>((resolve) => {
      xhr.addEventListener('loadend', () => resolve());
      xhr.send();
    });
    expect(await flush(3000)).toBe(true);
    expect(await flush(3000)).toBe(true);
    const api = of('api').map((e) => e.type === 'api' && [e.method, e.route, e.status]);
    expect(api).toEqual([
      ['GET', '/api/courses/:id', 200],
      ['POST', '/api/missing/:id', 404],
      ['GET', '/api/lessons/:id', 404],
    ]);
    expect(pageFetch.mock.calls.some(([u]) => String(u).includes('/api/v1/events'))).toBe(true);
  });

  it('reports web vitals: FCP at once, LCP at first input, CLS and INP when hidden, with a beacon flush', async () => {
    start({ flushIntervalMillis: 60_000 });
    feed('paint', [{ name: 'first-contentful-paint', startTime: 812.4, entryType: 'paint', duration: 0 }]);
    feed('largest-contentful-paint', [
      { startTime: 1500, entryType: 'largest-contentful-paint', name: '', duration: 0 },
    ]);
    feed('layout-shift', [
      { value: 0.05, startTime: 100, hadRecentInput: false },
      { value: 0.04, startTime: 400, hadRecentInput: false },
      { value: 0.5, startTime: 500, hadRecentInput: true },
      { value: 0.01, startTime: 3000, hadRecentInput: false },
    ]);
    feed('event', [
      { interactionId: 1, duration: 120, startTime: 2000 },
      { interactionId: 1, duration: 80, startTime: 2000 },
      { interactionId: 2, duration: 240, startTime: 2500 },
    ]);
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    expect(beacons.length).toBeGreaterThan(0);
    expect(beacons[0]?.url).toBe(`${collector.url}/api/v1/events?key=vk_browser`);
    const sent = beacons.flatMap((b) => (JSON.parse(b.body) as { events: VigilEvent[] }).events);
    const vitals = Object.fromEntries(sent.flatMap((e) => (e.type === 'vital' ? [[e.name, e.value]] : [])));
    expect(vitals).toEqual({ FCP: 812, LCP: 1500, CLS: 0.09, INP: 240 });
    expect(sent.find((e) => e.type === 'vital')).toMatchObject({ page: '/' });
    expect(getStats().delivered).toBe(sent.length);
  });

  it('persists a bounded offline queue at page hide and sends it when back online, same batch ids', async () => {
    start({ flushIntervalMillis: 60_000 });
    online = false;
    for (let i = 0; i < 30; i++) ApplicationMonitor.getInstance().recordAPIResponse(i);
    window.dispatchEvent(new Event('pagehide'));
    expect(beacons).toHaveLength(0);
    const stored = JSON.parse(localStorage.getItem('vigil.outbox') ?? '[]') as Array<{
      batchId: string;
      count: number;
    }>;
    expect(stored.reduce((n, b) => n + b.count, 0)).toBe(30);
    online = true;
    window.dispatchEvent(new Event('online'));
    await until(() => collector.events.length === 30);
    expect(localStorage.getItem('vigil.outbox')).toBeNull();
    expect([...collector.stored.keys()]).toEqual(stored.map((b) => b.batchId));
  });

  it('restores a persisted queue on the next page load (init)', async () => {
    online = false;
    start({ flushIntervalMillis: 60_000 });
    ApplicationMonitor.getInstance().recordAPIResponse(5);
    window.dispatchEvent(new Event('pagehide'));
    close();
    online = true;
    start();
    expect(await flush(3000)).toBe(true);
    expect(of('api')).toHaveLength(1);
  });

  it('drops what does not fit the persisted bound and counts it', async () => {
    const diags: Array<{ type: string; reason?: string; count?: number }> = [];
    start({ flushIntervalMillis: 60_000, maxPersistChars: 2000, onDiagnostic: (d: never) => diags.push(d) });
    online = false;
    for (let i = 0; i < 200; i++) ApplicationMonitor.getInstance().recordAuthEvent('login', `user-${i}`);
    window.dispatchEvent(new Event('pagehide'));
    const kept = (JSON.parse(localStorage.getItem('vigil.outbox') ?? '[]') as Array<{ count: number }>).reduce(
      (n, b) => n + b.count,
      0,
    );
    const lost = diags.filter((d) => d.reason === 'persist_full').reduce((n, d) => n + (d.count ?? 0), 0);
    expect(kept + lost).toBe(200);
    expect(lost).toBeGreaterThan(0);
    localStorage.clear();
  });

  it('records nothing in a session sampled out', async () => {
    sessionStorage.clear();
    start({ sampleRate: 0 });
    ApplicationMonitor.getInstance().recordAuthEvent('login');
    expect(await flush(500)).toBe(true);
    expect(getStats().queued).toBe(0);
    sessionStorage.clear();
  });
});
