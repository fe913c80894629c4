import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelInvalid, validateChannel } from '../../src/notify/channel-config.js';
import { createChannel } from '../../src/notify/create-channel.js';
import type { NotificationChannel, SendResult } from '../../src/notify/notification.js';
import { OutboxDispatcher } from '../../src/notify/outbox-dispatcher.js';
import type { AlertRecord } from '../../src/store/alert-records.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { HANG_TIMEOUT, HARNESSES, type Harness, notification, T0, TIMEOUT } from './channel-harnesses.js';

/**
 * The shared channel test kit (after Alertmanager's notify/test): every channel adapter, each
 * with a real local receiver, must say whether a retry can help, stop at its timeout, and never
 * leak its secret. A new channel adds one harness to HARNESSES.
 */

/** The forms a leaked secret could take. */
const leakForms = (secret: string) => [secret, Buffer.from(secret).toString('base64')];

for (const make of HARNESSES) {
  const probe = make();
  describe(`channel kit: ${probe.type}`, () => {
    let h: Harness;
    let channel: NotificationChannel;
    beforeEach(async () => {
      h = make();
      // Built as the server builds it: from a configuration that passed the schema.
      channel = createChannel(validateChannel(await h.start()), { allowPrivateTargets: true, bus: h.bus });
      h.attach?.(channel);
    });
    afterEach(async () => {
      await h.stop();
    });

    it('delivers: { ok: true } and the receiver got the notification once', async () => {
      expect(await channel.send(notification, { timeoutMillis: TIMEOUT })).toEqual({ ok: true });
      expect(await h.deliveredIds()).toEqual([notification.id]);
    });

    for (const scenario of ['transient', 'throttled', 'permanent', 'auth', 'hang'] as const) {
      if (probe.arrange[scenario] === undefined) continue;
      // For a hang, the test's own time limit bounds how long the channel may take to give up.
      const limit = scenario === 'hang' ? HANG_TIMEOUT * 4 : TIMEOUT * 2;
      it(`${scenario}: answers exactly what a retry can do`, { timeout: limit }, async () => {
        const expected = (h.arrange[scenario] as () => SendResult)();
        const timeoutMillis = scenario === 'hang' ? HANG_TIMEOUT : TIMEOUT;
        const result = await channel.send(notification, { timeoutMillis });
        expect(result).toEqual(expected);
        if (h.secret !== null) expect(JSON.stringify(result)).not.toContain(h.secret);
        // A hang was cut by the channel's own deadline: the receiver took the request and never answered.
        if (scenario === 'hang') expect(h.hanging()).toBe(1);
        if (scenario !== 'permanent' || h.type !== 'browser') {
          h.accept();
          expect(await channel.send(notification, { timeoutMillis: TIMEOUT })).toEqual({ ok: true });
        }
      });
    }

    it('rejects bad configurations naming the field', () => {
      for (const [raw, field, message] of h.badConfigs) {
        let error: unknown;
        try {
          validateChannel(raw);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ChannelInvalid);
        expect([(error as ChannelInvalid).field, (error as ChannelInvalid).message]).toEqual([
          field,
          `${field} ${message}`,
        ]);
        if (h.secret !== null) expect((error as Error).message).not.toContain(h.secret);
      }
      expect(() => validateChannel({ name: 'Bad Name', type: h.type })).toThrow('name must match [a-z0-9][a-z0-9._-]*');
      expect(() => validateChannel({ name: 'x', type: 'pager' })).toThrow('type must be webhook, email or browser');
    });

    if (probe.secret !== null) {
      it('never puts its secret in a result, a log line, the outbox, the history or the payload', async () => {
        await secretsStayHidden(h, channel);
      });
    }
  });
}

/** Runs success and every failure through the real dispatcher (give-up after one attempt) and looks for the secret everywhere. */
async function secretsStayHidden(h: Harness, channel: NotificationChannel): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-kit-'));
  const store = new SqliteStore({ file: join(dir, 'vigil.db'), durability: 'normal', now: () => T0 });
  let logText = '';
  const log = pino(
    { level: 'trace' },
    new Writable({
      write(chunk, _enc, cb) {
        logText += String(chunk);
        cb();
      },
    }),
  ) as unknown as FastifyBaseLogger;
  try {
    await store.migrate();
    const alert = alertRecord();
    const dispatcher = new OutboxDispatcher(
      store,
      () => new Map([[h.name, channel]]),
      { timeoutMillis: TIMEOUT, baseBackoffMillis: 10, maxBackoffMillis: 10, maxAttempts: 1, pollMillis: 50 },
      log,
      () => T0,
    );
    const results: SendResult[] = [await channel.send(notification, { timeoutMillis: TIMEOUT })];
    h.secretUsed();
    const scenarios = (['transient', 'permanent', 'auth'] as const).filter((s) => h.arrange[s] !== undefined);
    for (const [i, scenario] of scenarios.entries()) {
      (h.arrange[scenario] as () => SendResult)();
      results.push(await channel.send(notification, { timeoutMillis: TIMEOUT }));
      const dedupeKey = `${notification.id}:${scenario}`;
      await store.alerts.saveAlerts([
        {
          alert: { ...alert, updatedAt: T0 + i },
          events: [],
          outbox: [
            {
              dedupeKey,
              destination: h.name,
              alertId: alert.id,
              kind: 'firing',
              payload: { ...notification, id: dedupeKey } as unknown as Record<string, unknown>,
              createdAt: T0,
            },
          ],
        },
      ]);
      await dispatcher.deliverDue();
    }
    const outbox = await store.alerts.listOutbox({ limit: 100 });
    expect(outbox.map((o) => [o.status, o.attempts])).toEqual(scenarios.map(() => ['failed', 1]));
    const history = await store.alerts.listAlertEvents(alert.id);
    expect(history.map((e) => e.type)).toEqual(scenarios.map(() => 'delivery_failed'));
    expect(logText).toContain('notification given up');
    const places = {
      results: JSON.stringify(results),
      logs: logText,
      outbox: JSON.stringify(outbox),
      history: JSON.stringify(history),
      payload: h.seen(),
    };
    for (const [place, text] of Object.entries(places)) {
      for (const form of leakForms(h.secret as string)) expect([place, text.includes(form)]).toEqual([place, false]);
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function alertRecord(): AlertRecord {
  return {
    id: 'a1',
    project: 'learning-portal',
    ruleId: 'cpu-high',
    fingerprint: 'cpu-high{}',
    title: 'CPU usage above 80 %',
    type: 'system',
    severity: 'critical',
    status: 'firing',
    labels: {},
    value: 93.5,
    threshold: 80,
    pendingSince: T0,
    firedAt: T0,
    resolvedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    dismissedAt: null,
    incidentId: null,
    escalationStep: 1,
    notified: [],
    held: false,
    digestedAt: null,
    updatedAt: T0,
  };
}
