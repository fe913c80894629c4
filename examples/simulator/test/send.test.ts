import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Batch, validateBatch } from '@vigil/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { IngestAuthError, parseRetryAfter, runSimulator } from '../src/send.js';

interface Received {
  batch: Batch;
  authorization: string | undefined;
  contentType: string | undefined;
  path: string | undefined;
}

type Handler = (received: Received, n: number, res: ServerResponse) => void;

let server: Server | undefined;

/** A tiny collector: parses and validates each batch, records it, lets `handler` answer. */
async function collector(handler: Handler): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const batch = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Batch;
      const r: Received = {
        batch,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        path: req.url,
      };
      received.push(r);
      handler(r, received.length, res);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received };
}

function accept(r: Received, res: ServerResponse): void {
  const { events, rejected } = validateBatch(r.batch, Date.now());
  res.writeHead(202, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ accepted: events.length, rejected }));
}

function fail(res: ServerResponse, status: number, code: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { code, message: code } }));
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('runSimulator', () => {
  it('resends the same batch after a 503 with Retry-After: 0 and counts it once', async () => {
    const { url, received } = await collector((r, n, res) => {
      if (n === 1) fail(res, 503, 'VIGIL_ERR_OVERLOADED', { 'retry-after': '0' });
      else accept(r, res);
    });
    const stats = await runSimulator({
      url,
      key: 'vk_test',
      eventsPerSecond: 20_000,
      batchSize: 50,
      totalEvents: 300,
      seed: 1,
    });
    const ids = received.map((r) => r.batch.batchId);
    const distinct = new Set(ids);
    expect(ids.filter((id) => id === ids[0]).length).toBe(2);
    expect(received.length).toBe(distinct.size + 1);
    expect(stats).toEqual({
      sentBatches: distinct.size,
      acceptedEvents: 300,
      rejectedEvents: 0,
      retries: 1,
      failedBatches: 0,
    });
    for (const r of received) {
      expect(r.authorization).toBe('Bearer vk_test');
      expect(r.contentType).toBe('application/json');
      expect(r.path).toBe('/api/v1/events');
    }
  });

  it('backs off on 429 without Retry-After and retries the same batch', async () => {
    const { url, received } = await collector((r, n, res) => {
      if (n <= 2) fail(res, 429, 'VIGIL_ERR_RATE_LIMITED');
      else accept(r, res);
    });
    const stats = await runSimulator({
      url,
      key: 'k',
      eventsPerSecond: 20_000,
      batchSize: 40,
      totalEvents: 40,
      seed: 2,
      maxInFlight: 1,
      maxRetryDelayMillis: 5,
    });
    expect(received.length).toBe(stats.sentBatches + 2);
    expect(received[1]?.batch.batchId).toBe(received[0]?.batch.batchId);
    expect(stats.retries).toBe(2);
    expect(stats.acceptedEvents).toBe(40);
    expect(stats.failedBatches).toBe(0);
  });

  it('never retries a 400 and counts the batch as failed', async () => {
    const { url, received } = await collector((_r, _n, res) => fail(res, 400, 'VIGIL_ERR_INVALID_BATCH'));
    const outcomes: string[] = [];
    const stats = await runSimulator({
      url,
      key: 'k',
      eventsPerSecond: 20_000,
      batchSize: 25,
      totalEvents: 100,
      seed: 3,
      onBatch: (b) => outcomes.push(`${b.ok}:${b.status}:${b.attempts}:${b.error}`),
    });
    expect(new Set(received.map((r) => r.batch.batchId)).size).toBe(received.length);
    expect(stats).toEqual({
      sentBatches: 0,
      acceptedEvents: 0,
      rejectedEvents: 0,
      retries: 0,
      failedBatches: received.length,
    });
    expect(new Set(outcomes)).toEqual(new Set(['false:400:1:VIGIL_ERR_INVALID_BATCH']));
  });

  it('counts events the collector rejects one by one', async () => {
    const { url } = await collector((r, _n, res) => {
      res.writeHead(202, { 'content-type': 'application/json' });
      const rejected = [{ index: 0, code: 'VIGIL_ERR_EVENT_TIMESTAMP', message: 'ts is outside the accepted window' }];
      res.end(JSON.stringify({ accepted: r.batch.events.length - 1, rejected }));
    });
    const stats = await runSimulator({
      url,
      key: 'k',
      eventsPerSecond: 20_000,
      batchSize: 60,
      totalEvents: 60,
      seed: 4,
    });
    expect(stats.acceptedEvents + stats.rejectedEvents).toBe(60);
    expect(stats.rejectedEvents).toBe(stats.sentBatches);
  });

  it('stops with an IngestAuthError on 401', async () => {
    const { url } = await collector((_r, _n, res) => fail(res, 401, 'VIGIL_ERR_INVALID_KEY'));
    const run = runSimulator({
      url,
      key: 'wrong',
      eventsPerSecond: 1_000,
      batchSize: 10,
      durationMillis: 60_000,
      seed: 5,
    });
    await expect(run).rejects.toBeInstanceOf(IngestAuthError);
    await expect(run).rejects.toMatchObject({ status: 401, code: 'VIGIL_ERR_INVALID_KEY' });
  });

  it('gives a batch up after maxAttempts network errors', async () => {
    const { url } = await collector(() => undefined);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    const stats = await runSimulator({
      url,
      key: 'k',
      eventsPerSecond: 20_000,
      batchSize: 30,
      totalEvents: 30,
      seed: 6,
      maxAttempts: 3,
      maxRetryDelayMillis: 5,
    });
    expect(stats.sentBatches).toBe(0);
    expect(stats.failedBatches).toBeGreaterThan(0);
    expect(stats.retries).toBe(stats.failedBatches * 2);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { url, received } = await collector((r, _n, res) => accept(r, res));
    const stats = await runSimulator({ url, key: 'k', eventsPerSecond: 100, signal: AbortSignal.abort(), seed: 7 });
    expect(received.length).toBe(0);
    expect(stats).toEqual({ sentBatches: 0, acceptedEvents: 0, rejectedEvents: 0, retries: 0, failedBatches: 0 });
  });

  it('stops when the duration has passed', async () => {
    const { url, received } = await collector((r, _n, res) => accept(r, res));
    const stats = await runSimulator({ url, key: 'k', eventsPerSecond: 500, durationMillis: 1_000, seed: 8 });
    expect(stats.sentBatches).toBe(received.length);
    expect(stats.sentBatches).toBeGreaterThan(1);
    expect(stats.acceptedEvents).toBe(received.reduce((n, r) => n + r.batch.events.length, 0));
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('0', 0)).toBe(0);
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter('1.5', 0)).toBe(1500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', Date.UTC(2025, 0, 1))).toBe(10_000);
    expect(parseRetryAfter('soon', 0)).toBe(undefined);
    expect(parseRetryAfter(null, 0)).toBe(undefined);
  });
});
