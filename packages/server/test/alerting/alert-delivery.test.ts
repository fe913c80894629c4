import { afterEach, describe, expect, it } from 'vitest';
import { alertApp, api, clock, ingestGauges, ruleOf, T0 } from './alert-flow.js';
import { SmtpReceiver, WebhookReceiver } from './receivers.js';

const MIN = 60_000;
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function receivers() {
  const hook = new WebhookReceiver();
  const lead = new WebhookReceiver();
  const team = new WebhookReceiver();
  const smtp = new SmtpReceiver();
  const urls = { hook: await hook.start(), lead: await lead.start(), team: await team.start() };
  const port = await smtp.start();
  stops.push(
    () => hook.stop(),
    () => lead.stop(),
    () => team.stop(),
    () => smtp.stop(),
  );
  const channels = [
    {
      name: 'hook',
      type: 'webhook' as const,
      url: urls.hook,
      secret: 'hook-secret-0123456789',
      format: 'vigil' as const,
    },
    { name: 'lead-hook', type: 'webhook' as const, url: urls.lead, secret: null, format: 'vigil' as const },
    { name: 'team-hook', type: 'webhook' as const, url: urls.team, secret: null, format: 'alertmanager' as const },
    {
      name: 'oncall-mail',
      type: 'email' as const,
      host: '127.0.0.1',
      port,
      secure: false,
      username: null,
      password: null,
      from: 'vigil@example.com',
      to: ['oncall@example.com'],
    },
  ];
  const contacts = [
    { name: 'ada', roles: ['on-call'], channels: ['hook', 'oncall-mail'] },
    { name: 'lee', roles: ['team-lead'], channels: ['lead-hook'] },
    { name: 'sam', roles: ['team'], channels: ['team-hook'] },
  ];
  return { hook, lead, team, smtp, channels, contacts };
}

describe('alert delivery end to end (real SMTP and webhook receivers)', () => {
  it('CPU breach → webhook and email; ack stops escalation; recovery → resolved notice', async () => {
    const r = await receivers();
    const c = clock();
    const vigil = await alertApp(c, {
      channels: r.channels,
      contacts: r.contacts,
      rules: [ruleOf('cpu-high', { severity: 'critical', forMillis: 0 })],
    });
    stops.push(() => vigil.close());

    await ingestGauges(vigil, c.t, { 'cpu.percent': 95 });
    const run = await vigil.alerting.engine.evaluate();
    expect(run.changed.map((a) => [a.ruleId, a.status])).toEqual([['cpu-high', 'firing']]);
    await vigil.alerting.dispatcher.deliverDue();
    expect(r.hook.bodies.map((b) => b.kind)).toEqual(['firing']);
    expect(r.hook.bodies[0]?.version).toBe(1);
    expect(String(r.hook.headers[0]?.['x-vigil-signature'])).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(r.smtp.mails).toHaveLength(1);
    expect(r.smtp.mails[0]?.to).toEqual(['oncall@example.com']);
    expect(r.smtp.mails[0]?.raw).toContain('Subject: [FIRING critical] CPU usage above 80 %');
    const alertId = String((r.hook.bodies[0]?.alerts as Array<{ id: string }> | undefined)?.[0]?.id);

    const acked = await api(vigil, 'POST', `/api/v1/alerts/${alertId}/ack`);
    expect(acked.status).toBe(200);
    expect((acked.body?.alert as { acknowledgedBy: string } | undefined)?.acknowledgedBy).toMatch(/^token:/);
    await vigil.alerting.dispatcher.deliverDue();
    expect(r.hook.bodies.map((b) => b.kind)).toEqual(['firing', 'acknowledged']);

    // Past the 15 min team-lead step, still breaching: acknowledged, so no escalation.
    c.t = T0 + 16 * MIN;
    await ingestGauges(vigil, c.t, { 'cpu.percent': 96 });
    await vigil.alerting.engine.evaluate();
    await vigil.alerting.dispatcher.deliverDue();
    expect(r.lead.bodies).toHaveLength(0);

    c.t = T0 + 19 * MIN;
    await ingestGauges(vigil, c.t, { 'cpu.percent': 12 });
    const resolved = await vigil.alerting.engine.evaluate();
    expect(resolved.changed.map((a) => a.status)).toEqual(['resolved']);
    await vigil.alerting.dispatcher.deliverDue();
    expect(r.hook.bodies.map((b) => b.kind)).toEqual(['firing', 'acknowledged', 'resolved']);
    expect(r.smtp.mails).toHaveLength(3);
    expect(r.smtp.mails[2]?.raw).toContain('Subject: [RESOLVED critical] CPU usage above 80 %');

    const detail = await api(vigil, 'GET', `/api/v1/alerts/${alertId}`);
    const alert = detail.body?.alert as { incidentId: string; status: string };
    expect(alert.status).toBe('resolved');
    const incident = await vigil.store.getIncident(alert.incidentId);
    expect([incident?.source, incident?.status, incident?.acknowledgedAt, incident?.resolvedAt]).toEqual([
      'alert',
      'resolved',
      T0,
      T0 + 19 * MIN,
    ]);
  });

  it('an unacknowledged high alert escalates to the team lead at 5 min, not before', async () => {
    const r = await receivers();
    const c = clock();
    const vigil = await alertApp(c, {
      channels: r.channels,
      contacts: r.contacts,
      rules: [ruleOf('memory-high', { forMillis: 0 })],
    });
    stops.push(() => vigil.close());
    await ingestGauges(vigil, c.t, { 'memory.percent': 91 });
    await vigil.alerting.engine.evaluate();
    c.t = T0 + 5 * MIN - 1;
    await ingestGauges(vigil, c.t, { 'memory.percent': 92 });
    await vigil.alerting.engine.evaluate();
    await vigil.alerting.dispatcher.deliverDue();
    expect(r.lead.bodies).toHaveLength(0);
    c.t = T0 + 5 * MIN;
    await vigil.alerting.engine.evaluate();
    await vigil.alerting.dispatcher.deliverDue();
    expect(r.lead.bodies.map((b) => [b.kind, b.step])).toEqual([['firing', 0]]);
    expect(r.hook.bodies).toHaveLength(0);
  });

  it('low alerts arrive as one hourly digest', async () => {
    const r = await receivers();
    const c = clock();
    const rules = [
      ruleOf('disk-high', { severity: 'low' }),
      { ...ruleOf('cpu-high', { forMillis: 0 }), id: 'cpu-low', severity: 'low' as const },
    ];
    const vigil = await alertApp(c, { channels: r.channels, contacts: r.contacts, rules });
    stops.push(() => vigil.close());
    await ingestGauges(vigil, c.t, { 'disk.percent': 90, 'cpu.percent': 90 });
    await vigil.alerting.engine.evaluate();
    await vigil.alerting.dispatcher.deliverDue();
    expect(r.team.bodies).toHaveLength(0);
    c.t = Math.ceil(T0 / 3_600_000) * 3_600_000 + 1_000;
    await vigil.alerting.engine.evaluate();
    await vigil.alerting.engine.evaluate();
    await vigil.alerting.dispatcher.deliverDue();
    expect(r.team.bodies).toHaveLength(1);
    const digest = r.team.bodies[0] as { version: string; alerts: Array<{ labels: { alertname: string } }> };
    expect(digest.version).toBe('4');
    expect(digest.alerts.map((a) => a.labels.alertname).sort()).toEqual(['cpu-low', 'disk-high']);
    expect(r.hook.bodies.length + r.lead.bodies.length + r.smtp.mails.length).toBe(0);
  });
});
