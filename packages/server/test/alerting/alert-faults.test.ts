import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../helpers/test-app.js';
import { alertApp, api, clock, ingestGauges, ruleOf, T0 } from './alert-flow.js';
import { WebhookReceiver } from './receivers.js';

const MIN = 60_000;
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const hookOf = (name: string, url: string) => ({
  name,
  type: 'webhook' as const,
  url,
  secret: null,
  format: 'vigil' as const,
});

describe('alert delivery under faults', () => {
  it('503 for a while then 200: every transition delivered, none more than twice', async () => {
    const hook = new WebhookReceiver();
    const url = await hook.start();
    stops.push(() => hook.stop());
    const c = clock();
    const vigil = await alertApp(c, {
      channels: [hookOf('hook', url)],
      contacts: [{ name: 'ada', roles: ['on-call'], channels: ['hook'] }],
      rules: [ruleOf('cpu-high', { severity: 'critical', forMillis: 0 })],
    });
    stops.push(() => vigil.close());
    hook.failures = 3;
    await ingestGauges(vigil, c.t, { 'cpu.percent': 95 });
    await vigil.alerting.engine.evaluate();
    await vigil.alerting.dispatcher.deliverDue();
    const [alert] = ((await api(vigil, 'GET', '/api/v1/alerts')).body?.alerts ?? []) as Array<{ id: string }>;
    expect((await api(vigil, 'POST', `/api/v1/alerts/${alert?.id}/ack`)).status).toBe(200);
    c.t = T0 + 3 * MIN;
    await ingestGauges(vigil, c.t, { 'cpu.percent': 10 });
    await vigil.alerting.engine.evaluate();
    // Retry-After 2 s beats the 1 s backoff; advance the clock past each wait.
    for (let i = 0; i < 6; i++) {
      await vigil.alerting.dispatcher.deliverDue();
      c.t += 10_000;
    }
    expect(hook.bodies.map((b) => b.kind)).toEqual(['firing', 'acknowledged', 'resolved']);
    const counts = new Map<string, number>();
    for (const id of hook.ids()) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.values()].every((n) => n <= 2)).toBe(true);
    const outbox = (await api(vigil, 'GET', '/api/v1/outbox')).body?.notifications as Array<{
      status: string;
      attempts: number;
    }>;
    expect(outbox.map((o) => [o.status, o.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
      ['sent', 4],
    ]);
  });

  it('a hanging receiver holds up only its own queue; its timeout is recorded in the outbox', async () => {
    const slow = new WebhookReceiver();
    const fast = new WebhookReceiver();
    slow.hang = true;
    const channels = [hookOf('slow', await slow.start()), hookOf('fast', await fast.start())];
    stops.push(
      () => slow.stop(),
      () => fast.stop(),
    );
    const c = clock();
    const vigil = await alertApp(c, {
      channels,
      contacts: [{ name: 'ada', roles: ['on-call'], channels: ['slow', 'fast'] }],
      rules: [ruleOf('cpu-high', { severity: 'critical', forMillis: 0 })],
    });
    stops.push(() => vigil.close());
    await ingestGauges(vigil, c.t, { 'cpu.percent': 95 });
    await vigil.alerting.engine.evaluate();
    const delivering = vigil.alerting.dispatcher.deliverDue();
    await fast.waitFor(1);
    expect(slow.bodies).toHaveLength(0);
    await delivering;
    const outbox = (await api(vigil, 'GET', '/api/v1/outbox')).body?.notifications as Array<{
      destination: string;
      status: string;
      lastError: string | null;
    }>;
    const slowRow = outbox.find((o) => o.destination === 'slow');
    expect([slowRow?.status, slowRow?.lastError]).toEqual(['pending', 'slow: no answer within 1000 ms']);
    expect(outbox.find((o) => o.destination === 'fast')?.status).toBe('sent');
  });

  it('refuses loopback webhook targets unless alerting.allowPrivateTargets', async () => {
    const hook = new WebhookReceiver();
    const url = await hook.start();
    stops.push(() => hook.stop());
    const c = clock();
    const vigil = await alertApp(c, {
      channels: [hookOf('hook', url)],
      contacts: [{ name: 'ada', roles: ['on-call'], channels: ['hook'] }],
      rules: [ruleOf('cpu-high', { severity: 'critical', forMillis: 0 })],
    });
    stops.push(() => vigil.close());
    const { WebhookChannel } = await import('../../src/notify/webhook-channel.js');
    const guarded = new WebhookChannel(hookOf('hook', url), { allowPrivateTargets: false });
    const result = await guarded.send(
      { version: 1, id: 'x', kind: 'firing', project: 'p', createdAt: 0, step: 0, alerts: [] },
      { timeoutMillis: 1000 },
    );
    expect(result).toEqual({
      ok: false,
      retryable: false,
      error:
        'hook: 127.0.0.1 resolves to a private or local address (127.0.0.1); set alerting.allowPrivateTargets to allow it',
    });
    expect(hook.bodies).toHaveLength(0);
  });

  it('a kill between fired and sent: a new app on the same data sends after restart', async () => {
    const hook = new WebhookReceiver();
    const url = await hook.start();
    stops.push(() => hook.stop());
    const c = clock();
    const setup = {
      channels: [hookOf('hook', url)],
      contacts: [{ name: 'ada', roles: ['on-call'], channels: ['hook'] }],
      rules: [ruleOf('cpu-high', { severity: 'critical', forMillis: 0 })],
    };
    const first = await alertApp(c, setup);
    await ingestGauges(first, c.t, { 'cpu.percent': 95 });
    const run = await first.alerting.engine.evaluate();
    expect(run.queued).toBe(1);
    // "Kill": close without delivering (the app was never started, nothing sends on close).
    const dataDir = first.dataDir;
    await first.alerting.stop();
    await first.store.close();
    expect(hook.bodies).toHaveLength(0);
    const second = await buildApp(
      testConfig(dataDir, {
        alerting: (await alertConfig(setup)).alerting,
        pipeline: { worker: false, intervalMillis: 1000, rowsPerStep: 200, maxNamesPerMetric: 1000 },
      }),
      { now: c.now, startPipeline: false },
    );
    stops.push(() => second.close());
    await second.alerting.dispatcher.deliverDue();
    expect(hook.bodies.map((b) => b.kind)).toEqual(['firing']);
    expect((await second.store.alerts.listActiveAlerts('learning-portal')).map((a) => a.status)).toEqual(['firing']);
  });
});

async function alertConfig(setup: Parameters<typeof alertApp>[1]) {
  const { defaultAlertingConfig } = await import('../../src/alerting/alerting-config.js');
  const { defaultEscalation } = await import('../../src/alerting/escalation.js');
  return {
    alerting: {
      ...defaultAlertingConfig(),
      allowPrivateTargets: true,
      channels: setup.channels,
      rules: setup.rules ?? [],
      escalation: { ...defaultEscalation(), contacts: setup.contacts },
    },
  };
}
