import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VigilApp } from '../../src/app.js';
import { defaultConfig } from '../../src/config.js';
import { createStore } from '../../src/store/create-store.js';
import type { Store } from '../../src/store/store.js';
import { batch, INGEST_KEY, testApp } from '../helpers/test-app.js';

const action = () => ({ type: 'action', ts: Date.now(), phase: 'auth', name: 'login' });

describe('backpressure answers carry Retry-After and store nothing', () => {
  let vigil: VigilApp | undefined;
  afterEach(async () => {
    await vigil?.close();
    vigil = undefined;
  });

  const post = (v: VigilApp, body: unknown) =>
    v.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      payload: JSON.stringify(body),
      headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' },
    });

  it('429 VIGIL_ERR_RATE_LIMITED past the per-project event rate', async () => {
    const v = await testApp({
      ingest: { ...defaultConfig().ingest, rateLimitEventsPerSecond: 5, rateLimitBurstEvents: 5 },
    });
    vigil = v;
    const ok = await post(v, batch([action(), action(), action(), action(), action()]));
    expect(ok.statusCode).toBe(202);
    const limited = await post(v, batch([action(), action()]));
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('VIGIL_ERR_RATE_LIMITED');
    expect(limited.headers['retry-after']).toBe('1');
  });

  it('503 VIGIL_ERR_STORE_UNAVAILABLE when the store fails, and 202 again once it is back', async () => {
    let broken = false;
    const real = createStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'vigil-503-')), durability: 'normal' });
    // The one fault a real SQLite file cannot be made to show on demand: a failing commit.
    const store = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'appendBatches' && broken)
          return async () => Promise.reject(new Error('disk I/O error (injected)'));
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Store;
    const v = await testApp({}, { store });
    vigil = v;
    broken = true;
    const failed = await post(v, batch([action()]));
    expect(failed.statusCode).toBe(503);
    expect(failed.json()).toEqual({
      error: {
        code: 'VIGIL_ERR_STORE_UNAVAILABLE',
        message: 'The store is unavailable; nothing was acknowledged. Retry after the given delay.',
      },
    });
    expect(failed.headers['retry-after']).toBe('2');
    broken = false;
    const retried = await post(v, batch([action()]));
    expect(retried.statusCode).toBe(202);
  });
});
