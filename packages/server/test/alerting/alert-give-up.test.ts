import { afterEach, describe, expect, it } from 'vitest';
import { alertApp, api, clock, ingestGauges, ruleOf, T0 } from './alert-flow.js';
import { WebhookReceiver } from './receivers.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

interface OutboxRow {
  dedupeKey: string;
  destination: string;
  kind: string;
  status: string;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

async function refusedApp(failStatus: number) {
  const hook = new WebhookReceiver();
  const url = await hook.start();
  stops.push(() => hook.stop());
  hook.failures = 1_000;
  hook.failStatus = failStatus;
  const c = clock();
  // alertApp: maxAttempts 5, backoff 1 s doubling to 8 s; the receiver answers Retry-After: 2.
  const vigil = await alertApp(c, {
    channels: [{ name: 'hook', type: 'webhook', url, secret: null, format: 'vigil' }],
    contacts: [{ name: 'ada', roles: ['on-call'], channels: ['hook'] }],
    rules: [ruleOf('cpu-high', { severity: 'critical', forMillis: 0 })],
  });
  stops.push(() => vigil.close());
  await ingestGauges(vigil, c.t, { 'cpu.percent': 95 });
  await vigil.alerting.engine.evaluate();
  const outbox = async () => (await api(vigil, 'GET', '/api/v1/outbox')).body?.notifications as OutboxRow[];
  return { hook, c, vigil, outbox };
}

describe('give-ups are recorded and visible', () => {
  it('a receiver that keeps answering 503 is given up after maxAttempts, with backoff and Retry-After between', async () => {
    const { hook, c, vigil, outbox } = await refusedApp(503);
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      await vigil.alerting.dispatcher.deliverDue();
      const [row] = await outbox();
      if (row?.status !== 'pending') break;
      waits.push(row.nextAttemptAt - c.t);
      // One millisecond early: not due yet, nothing is attempted.
      c.t = row.nextAttemptAt - 1;
      await vigil.alerting.dispatcher.deliverDue();
      expect((await outbox())[0]?.attempts).toBe(attempt);
      c.t = row.nextAttemptAt;
    }
    // Retry-After 2 s beats 1 s and equals 2 s; then 4 s and 8 s (the cap) win.
    expect(waits).toEqual([2_000, 2_000, 4_000, 8_000]);
    const rows = await outbox();
    const key = rows[0]?.dedupeKey as string;
    expect(rows.map(({ nextAttemptAt: _n, ...r }) => r)).toEqual([
      {
        dedupeKey: key,
        destination: 'hook',
        kind: 'firing',
        status: 'failed',
        attempts: 5,
        lastError: 'hook answered HTTP 503',
        alertId: expect.any(String),
        id: expect.any(Number),
        createdAt: T0,
        sentAt: null,
      },
    ]);
    expect((await api(vigil, 'GET', '/api/v1/outbox?status=failed')).body?.notifications).toHaveLength(1);
    expect((await api(vigil, 'GET', '/api/v1/outbox?status=pending')).body?.notifications).toEqual([]);

    const alertId = key.split(':')[0] as string;
    const detail = await api(vigil, 'GET', `/api/v1/alerts/${alertId}`);
    const history = detail.body?.history as Array<{
      ts: number;
      type: string;
      actor: string;
      message: string;
      data: unknown;
    }>;
    expect(history.filter((e) => e.type === 'delivery_failed')).toEqual([
      {
        alertId,
        ts: c.t,
        type: 'delivery_failed',
        actor: 'system',
        message: 'Gave up firing notice to hook: hook answered HTTP 503',
        data: { attempts: 5, dedupeKey: key },
      },
    ]);

    // Given up is final: the receiver recovering later does not resurrect it...
    hook.failures = 0;
    c.t += 60_000;
    await vigil.alerting.dispatcher.deliverDue();
    expect(hook.bodies).toEqual([]);
    // ...and it does not hold up the destination's later notices.
    expect((await api(vigil, 'POST', `/api/v1/alerts/${alertId}/ack`)).status).toBe(200);
    await vigil.alerting.dispatcher.deliverDue();
    expect(hook.bodies.map((b) => b.kind)).toEqual(['acknowledged']);
  });

  it('a receiver answering 400 is given up at once: a retry cannot help', async () => {
    const { vigil, outbox } = await refusedApp(400);
    await vigil.alerting.dispatcher.deliverDue();
    expect((await outbox()).map((r) => [r.status, r.attempts, r.lastError])).toEqual([
      ['failed', 1, 'hook answered HTTP 400'],
    ]);
  });
});
