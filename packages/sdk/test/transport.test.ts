import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApplicationMonitor, close, type Diagnostic, flush, getStats, init } from '../src/index.js';
import { FakeCollector, until } from './support/fake-collector.js';

let collector: FakeCollector;
let diags: Diagnostic[];

beforeEach(async () => {
  collector = await new FakeCollector().start();
  diags = [];
});

afterEach(async () => {
  close();
  await collector.close();
});

function start(extra: Record<string, unknown> = {}): void {
  init({
    endpoint: collector.url,
    key: 'vk_test',
    service: 'portal-api',
    release: '1.0.0',
    environment: 'test',
    flushIntervalMillis: 50,
    retryBaseMillis: 50,
    onDiagnostic: (d) => diags.push(d),
    ...extra,
  });
}

const monitor = ApplicationMonitor.getInstance();
const droppedBy = (reason: string): number =>
  diags.reduce((n, d) => n + (d.type === 'dropped' && d.reason === reason ? d.count : 0), 0);

describe('transport', () => {
  it('batches on size and time, with the key in Authorization and valid batches', async () => {
    start({ maxBatchSize: 10 });
    for (let i = 0; i < 25; i++) monitor.recordAPIResponse(100 + i);
    expect(await flush(5000)).toBe(true);
    const posts = collector.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.batch?.events.length)).toEqual([10, 10, 5]);
    expect(posts[0]?.headers.authorization).toBe('Bearer vk_test');
    expect(posts[0]?.url).toBe('/api/v1/events');
    expect(collector.events).toHaveLength(25);
    expect(collector.rejected).toBe(0);
    expect(getStats()).toMatchObject({ queued: 25, delivered: 25, dropped: 0, batches: 3 });
  });

  it.each([429, 503])('honours %i + Retry-After and retries with the same batchId', async (status) => {
    collector.answer = (_r, n) => (n === 0 ? { status, headers: { 'retry-after': '1' }, body: {} } : undefined);
    start();
    monitor.recordAPIResponse(150);
    expect(await flush(5000)).toBe(true);
    const posts = collector.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1]?.batch?.batchId).toBe(posts[0]?.batch?.batchId);
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(collector.events).toHaveLength(1);
    expect(diags.find((d) => d.type === 'retry')).toMatchObject({ status, attempt: 1 });
  });

  it('backs off on 500 and network failure, keeping the batchId, and stores a replay once', async () => {
    collector.answer = (_r, n) => (n < 2 ? { status: 500, body: {} } : undefined);
    start();
    monitor.recordAPIResponse(1);
    expect(await flush(5000)).toBe(true);
    const ids = collector.requests.map((r) => r.batch?.batchId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    expect(collector.stored.size).toBe(1);
  });

  it('does not retry a 400 and counts its events as dropped', async () => {
    collector.answer = () => ({ status: 400, body: { error: { code: 'VIGIL_ERR_INVALID_BATCH', message: 'x' } } });
    start();
    monitor.recordAPIResponse(1);
    monitor.recordAPIResponse(2);
    expect(await flush(3000)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(collector.requests).toHaveLength(1);
    expect(droppedBy('client_error')).toBe(2);
    expect(getStats().dropped).toBe(2);
  });

  it('drops past maxQueueEvents and reports the count', async () => {
    collector.answer = () => ({ status: 503, headers: { 'retry-after': '30' }, body: {} });
    start({ maxQueueEvents: 10, maxBatchSize: 5 });
    for (let i = 0; i < 15; i++) monitor.recordAPIResponse(i);
    await until(() => droppedBy('queue_full') > 0);
    expect(droppedBy('queue_full')).toBe(5);
    expect(getStats()).toMatchObject({ queued: 10, dropped: 5 });
  });

  it('bounds the queue in bytes as well as events', async () => {
    collector.answer = () => ({ status: 503, headers: { 'retry-after': '30' }, body: {} });
    start({ maxQueueBytes: 10_000, flushIntervalMillis: 60_000 });
    for (let i = 0; i < 1000; i++) monitor.recordAuthEvent('login', 'user-1', { note: 'x'.repeat(50) });
    const { queued, dropped } = getStats();
    expect(queued + dropped).toBe(1000);
    expect(queued).toBeLessThan(100);
    expect(queued).toBeGreaterThan(20);
  });

  it('delivers a burst of 10,000 events in one tick, or counts every drop', async () => {
    start({ maxBatchSize: 1000 });
    for (let i = 0; i < 10_000; i++) monitor.recordAPIResponse(i % 500);
    expect(await flush(20_000)).toBe(true);
    const dropped = droppedBy('queue_full');
    expect(collector.events.length + dropped).toBe(10_000);
    expect(getStats().delivered).toBe(collector.events.length);
    expect(collector.rejected).toBe(0);
  });

  it('delivers all 10,000 when the queue is sized for the burst', async () => {
    start({ maxBatchSize: 1000, maxQueueBytes: 4 * 1024 * 1024 });
    for (let i = 0; i < 10_000; i++) monitor.recordAPIResponse(i % 500);
    expect(await flush(20_000)).toBe(true);
    expect(collector.events).toHaveLength(10_000);
    expect(droppedBy('queue_full')).toBe(0);
  });

  it('gives up after maxRetries and counts the drop', async () => {
    collector.answer = () => ({ status: 500, body: {} });
    start({ maxRetries: 2, retryBaseMillis: 10 });
    monitor.recordAPIResponse(1);
    await until(() => droppedBy('retries_exhausted') === 1);
    expect(collector.requests).toHaveLength(3);
  });

  it('survives a collector that is down, then delivers without duplicates', async () => {
    const url = collector.url;
    await collector.close();
    init({
      endpoint: url,
      key: 'k',
      service: 's',
      flushIntervalMillis: 20,
      retryBaseMillis: 100,
      onDiagnostic: (d) => diags.push(d),
    });
    for (let i = 0; i < 50; i++) monitor.recordAPIResponse(i);
    await until(() => diags.filter((d) => d.type === 'retry').length >= 2);
    collector = await new FakeCollector().start(Number(new URL(url).port));
    expect(await flush(10_000)).toBe(true);
    expect(collector.events).toHaveLength(50);
    expect(new Set(collector.requests.map((r) => r.batch?.batchId)).size).toBe(collector.stored.size);
  });

  it('never throws into the host when hooks throw', async () => {
    start({
      beforeSend: () => {
        throw new Error('boom');
      },
      onDiagnostic: () => {
        throw new Error('boom too');
      },
    });
    expect(() => monitor.recordAPIResponse(1)).not.toThrow();
    expect(await flush(3000)).toBe(true);
    expect(collector.events).toHaveLength(1);
  });

  it('lets beforeSend rewrite or drop events', async () => {
    start({ beforeSend: (e: { type: string }) => (e.type === 'api' ? null : e) });
    monitor.recordAPIResponse(1);
    monitor.recordAuthEvent('login');
    expect(await flush(3000)).toBe(true);
    expect(collector.events.map((e) => e.type)).toEqual(['action']);
    expect(getStats().filtered).toBe(1);
  });
});
