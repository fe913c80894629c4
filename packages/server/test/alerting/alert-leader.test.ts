import { afterEach, describe, expect, it } from 'vitest';
import { defaultAlertingConfig } from '../../src/alerting/alerting-config.js';
import { defaultEscalation } from '../../src/alerting/escalation.js';
import { appDatabases, testApp } from '../helpers/test-app.js';
import { dropSchema, PG_TEST_URL, uniqueSchemaName } from '../store/pg-test-url.js';
import { clock, ingestGauges, ruleOf } from './alert-flow.js';
import { WebhookReceiver } from './receivers.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** Waits for a condition the nodes' own timers make true (no sleeping for a fixed time). */
async function until(what: string, condition: () => boolean, limitMillis = 15_000): Promise<void> {
  const deadline = Date.now() + limitMillis;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const postgres = (await appDatabases()).find((d) => d.name === 'postgres');

describe.skipIf(postgres?.skipReason !== null)('one alert evaluator across nodes (PostgreSQL advisory lock)', () => {
  it('two apps on one schema: only one evaluates and delivers; the other takes over when it stops', async () => {
    const hook = new WebhookReceiver();
    const url = await hook.start();
    stops.push(() => hook.stop());
    const schema = uniqueSchemaName('leader');
    stops.push(() => dropSchema(schema));
    const c = clock();
    const config = {
      databaseUrl: PG_TEST_URL,
      databaseSchema: schema,
      pipeline: { worker: false, intervalMillis: 1000, rowsPerStep: 200, maxNamesPerMetric: 1000 },
      alerting: {
        ...defaultAlertingConfig(),
        intervalMillis: 100,
        allowPrivateTargets: true,
        channels: [{ name: 'hook', type: 'webhook' as const, url, secret: null, format: 'vigil' as const }],
        rules: [ruleOf('cpu-high', { severity: 'critical', forMillis: 0 })],
        escalation: { ...defaultEscalation(), contacts: [{ name: 'ada', roles: ['on-call'], channels: ['hook'] }] },
        delivery: {
          timeoutMillis: 1_000,
          baseBackoffMillis: 1_000,
          maxBackoffMillis: 8_000,
          maxAttempts: 5,
          pollMillis: 100,
        },
      },
    };
    const first = await testApp(config, { now: c.now });
    const second = await testApp(config, { now: c.now });
    const closed = new Set<unknown>();
    stops.push(async () => {
      for (const app of [second, first]) if (!closed.has(app)) await app.close();
    });
    await ingestGauges(first, c.t, { 'cpu.percent': 95 });
    first.alerting.start();
    second.alerting.start();
    const nodes = [first.alerting, second.alerting];
    await until('both nodes ran 5 evaluation rounds between them', () => nodes.some((n) => n.evaluations >= 5));
    await hook.waitFor(1);

    const leaders = nodes.filter((n) => n.leader);
    const followers = nodes.filter((n) => !n.leader);
    expect([leaders.length, followers.length]).toEqual([1, 1]);
    expect(followers[0]?.evaluations).toBe(0);
    expect((await first.store.alerts.listActiveAlerts('learning-portal')).map((a) => [a.ruleId, a.status])).toEqual([
      ['cpu-high', 'firing'],
    ]);
    expect(hook.bodies.map((b) => b.kind)).toEqual(['firing']);

    // The leader stops: the other node's next tick takes the lock and evaluates from then on.
    const leaderApp = leaders[0] === first.alerting ? first : second;
    const otherApp = leaderApp === first ? second : first;
    await leaderApp.close();
    closed.add(leaderApp);
    await until('the other node leads', () => otherApp.alerting.leader && otherApp.alerting.evaluations >= 2);
    expect(otherApp.alerting.leader).toBe(true);
    // Same firing alert, nothing sent twice.
    expect(hook.bodies.map((b) => b.kind)).toEqual(['firing']);
  });
});
