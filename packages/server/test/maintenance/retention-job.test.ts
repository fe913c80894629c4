import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VigilApp } from '../../src/app.js';
import { ADMIN_TOKEN, batch, INGEST_KEY, testApp } from '../helpers/test-app.js';

const DAY = 86_400_000;

describe('retention job', () => {
  let vigil: VigilApp;
  const t0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
  let clock = t0 + 2 * 3_600_000;

  beforeAll(async () => {
    vigil = await testApp({}, { now: () => clock });
    const events = [
      { type: 'api', ts: t0 + 60_000, route: '/api/courses', method: 'GET', status: 200, durationMs: 40 },
      { type: 'api', ts: t0 + 120_000, route: '/api/courses', method: 'GET', status: 200, durationMs: 60 },
      { type: 'error', ts: t0 + 60_000, kind: 'system', message: 'disk full' },
    ];
    const res = await vigil.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      payload: JSON.stringify(batch(events)),
      headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(202);
    await vigil.pipeline.drain();
  });
  afterAll(async () => vigil.close());

  const series = (step: number) =>
    vigil.app
      .inject({
        method: 'GET',
        url: `/api/v1/series?metric=api&from=${t0}&to=${t0 + 3_600_000}&step=${step}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
      .then((r) => r.json().buckets.reduce((n: number, b: { count: number }) => n + b.count, 0));

  it('keeps everything inside the detailed period', async () => {
    const report = await vigil.retention.run();
    expect(report).toEqual({
      minuteRollups: 0,
      hourRollups: 0,
      occurrences: 0,
      errorMinutes: 0,
      sessionMinutes: 0,
      sessionHours: 0,
      batchIds: 0,
    });
    expect(await series(60_000)).toBe(2);
  });

  it('after 91 days removes minute detail but keeps the hourly aggregate; after 366 days removes that too', async () => {
    clock = t0 + 91 * DAY;
    const report = await vigil.retention.run();
    expect(report).toEqual({
      minuteRollups: 3,
      hourRollups: 0,
      occurrences: 1,
      errorMinutes: 1,
      sessionMinutes: 0,
      sessionHours: 0,
      batchIds: 1,
    });
    expect(await series(3_600_000)).toBe(2);
    clock = t0 + 366 * DAY;
    const later = await vigil.retention.run();
    expect(later?.hourRollups).toBe(2);
    expect(await series(3_600_000)).toBe(0);
  });
});
