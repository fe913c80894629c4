import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertChange, AlertEventRecord, AlertRecord, NewOutboxEntry } from '../../src/store/alert-records.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import type { Store } from '../../src/store/store.js';
import { PG_TEST_URL } from './pg-test-url.js';
import { loadAdapters, type OpenedStore } from './store-adapters.js';
import { MINUTE, T0 } from './store-fixtures.js';

const ADAPTERS = await loadAdapters();

const alertOf = (id: string, over: Partial<AlertRecord> = {}): AlertRecord => ({
  id,
  project: 'portal',
  ruleId: 'cpu-high',
  fingerprint: `cpu-high{host="${id}"}`,
  title: 'CPU usage above 80 %',
  type: 'system',
  severity: 'high',
  status: 'firing',
  labels: { host: id },
  value: 91.25,
  threshold: 80,
  pendingSince: T0,
  firedAt: T0,
  resolvedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  dismissedAt: null,
  incidentId: null,
  escalationStep: 0,
  notified: [],
  held: false,
  digestedAt: null,
  updatedAt: T0,
  ...over,
});

const eventOf = (alertId: string, ts: number, type: string, data: Record<string, unknown> | null = null) =>
  ({ alertId, ts, type, actor: 'system', message: `${type} at ${ts}`, data }) satisfies AlertEventRecord;

const outboxOf = (dedupeKey: string, destination: string, alertId: string | null, createdAt = T0): NewOutboxEntry => ({
  dedupeKey,
  destination,
  alertId,
  kind: 'firing',
  payload: { version: 1, id: dedupeKey, alerts: [{ id: alertId }] },
  createdAt,
});

const change = (alert: AlertRecord, events: AlertEventRecord[] = [], outbox: NewOutboxEntry[] = []): AlertChange => ({
  alert,
  events,
  outbox,
});

for (const adapter of ADAPTERS) {
  describe.skipIf(adapter.skipReason !== null)(`Alert store conformance: ${adapter.name}`, () => {
    let opened: OpenedStore | undefined;
    let store: Store;

    beforeEach(async () => {
      opened = await adapter.open(() => T0);
      store = opened.store;
    });
    afterEach(async () => {
      await opened?.dispose();
    });

    it('stores rule and channel documents by kind and id, replacing and deleting them', async () => {
      await store.alerts.putDoc('rule', { id: 'b', doc: { threshold: 80, labels: { x: 'y' } } }, T0);
      await store.alerts.putDoc('rule', { id: 'a', doc: { threshold: 70 } }, T0);
      await store.alerts.putDoc('channel', { id: 'a', doc: { type: 'browser' } }, T0);
      await store.alerts.putDoc('rule', { id: 'b', doc: { threshold: 90 } }, T0 + MINUTE);
      expect(await store.alerts.listDocs('rule')).toEqual([
        { id: 'a', doc: { threshold: 70 } },
        { id: 'b', doc: { threshold: 90 } },
      ]);
      expect(await store.alerts.listDocs('channel')).toEqual([{ id: 'a', doc: { type: 'browser' } }]);
      expect(await store.alerts.deleteDoc('rule', 'a')).toBe(true);
      expect(await store.alerts.deleteDoc('rule', 'a')).toBe(false);
      expect(await store.alerts.deleteDoc('rule', 'nope')).toBe(false);
      expect((await store.alerts.listDocs('rule')).map((d) => d.id)).toEqual(['b']);
      expect(await store.alerts.listDocs('channel')).toHaveLength(1);
    });

    it('stores alerting settings, replacing a value', async () => {
      expect(await store.alerts.getSetting('escalation')).toBeNull();
      await store.alerts.putSetting('escalation', '{"a":1}');
      await store.alerts.putSetting('escalation', '{"a":2}');
      expect(await store.alerts.getSetting('escalation')).toBe('{"a":2}');
    });

    it('round-trips every alert field, nulls and fractions included, and upserts by id', async () => {
      const full = alertOf('h1', {
        status: 'resolved',
        severity: 'critical',
        value: null,
        threshold: 0.125,
        resolvedAt: T0 + 5 * MINUTE,
        acknowledgedAt: T0 + MINUTE,
        acknowledgedBy: 'user:ada',
        dismissedAt: T0 + 2 * MINUTE,
        incidentId: 'inc-1',
        escalationStep: 2,
        notified: ['hook', 'mail'],
        held: true,
        digestedAt: T0 + 60 * MINUTE,
        labels: { host: 'h1', service: 'api' },
        updatedAt: T0 + 61 * MINUTE,
      });
      await store.alerts.saveAlerts([change(full)]);
      expect(await store.alerts.getAlert('h1')).toEqual(full);
      const replaced = { ...full, status: 'firing' as const, resolvedAt: null, held: false, value: 99.5 };
      await store.alerts.saveAlerts([change(replaced)]);
      expect(await store.alerts.getAlert('h1')).toEqual(replaced);
      expect(await store.alerts.getAlert('nope')).toBeNull();
    });

    it('writes alerts, history and outbox rows in one transaction; a failure writes none of them', async () => {
      await store.alerts.saveAlerts([
        change(alertOf('a1'), [eventOf('a1', T0, 'firing')], [outboxOf('k1', 'hook', 'a1')]),
      ]);
      // Same fingerprint, still unresolved: the unique index refuses the second alert.
      const clash = alertOf('a2', { fingerprint: 'cpu-high{host="a1"}' });
      await expect(
        store.alerts.saveAlerts([
          change(alertOf('a3'), [eventOf('a3', T0, 'firing')], [outboxOf('k3', 'hook', 'a3')]),
          change(clash, [eventOf('a2', T0, 'firing')], [outboxOf('k2', 'hook', 'a2')]),
        ]),
      ).rejects.toThrow();
      expect(await store.alerts.getAlert('a3')).toBeNull();
      expect(await store.alerts.getAlert('a2')).toBeNull();
      expect(await store.alerts.listAlertEvents('a3')).toEqual([]);
      expect((await store.alerts.listOutbox({ limit: 10 })).map((o) => o.dedupeKey)).toEqual(['k1']);
      // Once the first is resolved, the same fingerprint may open again.
      await store.alerts.saveAlerts([change(alertOf('a1', { status: 'resolved', resolvedAt: T0 + MINUTE }))]);
      await store.alerts.saveAlerts([change(clash)]);
      expect((await store.alerts.listActiveAlerts('portal')).map((a) => a.id)).toEqual(['a2']);
    });

    it('skips outbox rows whose dedupe key exists and keeps the first row untouched', async () => {
      await store.alerts.saveAlerts([change(alertOf('a1'), [], [outboxOf('k1', 'hook', 'a1')])]);
      const [first] = await store.alerts.listOutbox({ limit: 10 });
      await store.alerts.updateOutbox(first?.id ?? 0, {
        status: 'sent',
        attempts: 1,
        nextAttemptAt: T0,
        lastError: null,
        sentAt: T0 + 1,
      });
      await store.alerts.saveAlerts([
        change(alertOf('a1'), [], [{ ...outboxOf('k1', 'other', 'a1', T0 + MINUTE) }, outboxOf('k2', 'hook', 'a1')]),
      ]);
      const rows = await store.alerts.listOutbox({ limit: 10 });
      expect(rows.map((o) => [o.dedupeKey, o.destination, o.status, o.attempts, o.sentAt])).toEqual([
        ['k2', 'hook', 'pending', 0, null],
        ['k1', 'hook', 'sent', 1, T0 + 1],
      ]);
      expect(rows[1]).toEqual({
        id: first?.id,
        dedupeKey: 'k1',
        destination: 'hook',
        alertId: 'a1',
        kind: 'firing',
        payload: { version: 1, id: 'k1', alerts: [{ id: 'a1' }] },
        status: 'sent',
        attempts: 1,
        nextAttemptAt: T0,
        lastError: null,
        createdAt: T0,
        sentAt: T0 + 1,
      });
    });

    it('lists active alerts oldest first and never a resolved one', async () => {
      await store.alerts.saveAlerts([
        change(alertOf('c', { pendingSince: T0 + 2 * MINUTE })),
        change(alertOf('a', { pendingSince: T0 + MINUTE, status: 'pending', firedAt: null })),
        change(alertOf('b', { pendingSince: T0 + MINUTE, status: 'dismissed', dismissedAt: T0 + 3 * MINUTE })),
        change(alertOf('d', { status: 'resolved', resolvedAt: T0 + MINUTE })),
        change(alertOf('e', { project: 'other' })),
      ]);
      expect((await store.alerts.listActiveAlerts('portal')).map((a) => [a.id, a.status])).toEqual([
        ['a', 'pending'],
        ['b', 'dismissed'],
        ['c', 'firing'],
      ]);
    });

    it('lists alerts overlapping [from, to), newest first, by every filter and the limit', async () => {
      await store.alerts.saveAlerts([
        change(alertOf('old', { pendingSince: T0 - 10 * MINUTE, status: 'resolved', resolvedAt: T0 - 5 * MINUTE })),
        change(alertOf('spans', { pendingSince: T0 - 10 * MINUTE, status: 'resolved', resolvedAt: T0 + MINUTE })),
        change(alertOf('open', { pendingSince: T0 - 20 * MINUTE })),
        change(alertOf('in', { pendingSince: T0 + MINUTE, severity: 'low', type: 'error', ruleId: 'errors' })),
        change(alertOf('late', { pendingSince: T0 + 10 * MINUTE })),
      ]);
      const list = (q: Partial<Parameters<Store['alerts']['listAlerts']>[0]> = {}) =>
        store.alerts
          .listAlerts({ project: 'portal', from: T0, to: T0 + 10 * MINUTE, limit: 100, ...q })
          .then((r) => r.map((a) => a.id));
      expect(await list()).toEqual(['in', 'spans', 'open']);
      expect(await list({ status: 'resolved' })).toEqual(['spans']);
      expect(await list({ severity: 'low' })).toEqual(['in']);
      expect(await list({ type: 'error' })).toEqual(['in']);
      expect(await list({ ruleId: 'cpu-high' })).toEqual(['spans', 'open']);
      expect(await list({ limit: 2 })).toEqual(['in', 'spans']);
      expect(await list({ project: 'other' })).toEqual([]);
    });

    it('lists low alerts fired before a time and never digested, oldest first', async () => {
      await store.alerts.saveAlerts([
        change(alertOf('l2', { severity: 'low', firedAt: T0 + 2 * MINUTE })),
        change(
          alertOf('l1', { severity: 'low', firedAt: T0 + MINUTE, status: 'resolved', resolvedAt: T0 + 3 * MINUTE }),
        ),
        change(alertOf('late', { severity: 'low', firedAt: T0 + 60 * MINUTE })),
        change(alertOf('done', { severity: 'low', firedAt: T0, digestedAt: T0 + MINUTE })),
        change(alertOf('pend', { severity: 'low', status: 'pending', firedAt: null })),
        change(alertOf('dis', { severity: 'low', status: 'dismissed', dismissedAt: T0 + MINUTE })),
        change(alertOf('high', { severity: 'high' })),
      ]);
      expect((await store.alerts.listUndigested('portal', T0 + 60 * MINUTE)).map((a) => a.id)).toEqual(['l1', 'l2']);
      expect(await store.alerts.listUndigested('other', T0 + 60 * MINUTE)).toEqual([]);
    });

    it('keeps an alert history in time order, appended by saves and by appendAlertEvents', async () => {
      await store.alerts.saveAlerts([
        change(alertOf('a1'), [eventOf('a1', T0, 'pending'), eventOf('a1', T0, 'firing', { value: 91.25 })]),
      ]);
      await store.alerts.appendAlertEvents([eventOf('a1', T0 + 2 * MINUTE, 'delivered', { attempts: 3 })]);
      await store.alerts.appendAlertEvents([eventOf('a1', T0 + MINUTE, 'note')]);
      await store.alerts.appendAlertEvents([]);
      expect(await store.alerts.listAlertEvents('a1')).toEqual([
        eventOf('a1', T0, 'pending'),
        eventOf('a1', T0, 'firing', { value: 91.25 }),
        eventOf('a1', T0 + MINUTE, 'note'),
        eventOf('a1', T0 + 2 * MINUTE, 'delivered', { attempts: 3 }),
      ]);
      expect(await store.alerts.listAlertEvents('nope')).toEqual([]);
    });

    it('hands out due pending outbox rows oldest first up to the limit; updates and filters by status', async () => {
      await store.alerts.saveAlerts([
        change(
          alertOf('a1'),
          [],
          [outboxOf('k1', 'hook', 'a1'), outboxOf('k2', 'mail', 'a1'), outboxOf('k3', 'hook', null, T0 + MINUTE)],
        ),
      ]);
      const due = await store.alerts.dueOutbox(T0, 10);
      expect(due.map((o) => [o.dedupeKey, o.status, o.attempts, o.nextAttemptAt])).toEqual([
        ['k1', 'pending', 0, T0],
        ['k2', 'pending', 0, T0],
      ]);
      expect((await store.alerts.dueOutbox(T0 + MINUTE, 2)).map((o) => o.dedupeKey)).toEqual(['k1', 'k2']);
      const [k1, k2] = due;
      await store.alerts.updateOutbox(k1?.id ?? 0, {
        status: 'pending',
        attempts: 1,
        nextAttemptAt: T0 + 5 * MINUTE,
        lastError: 'hook answered HTTP 503',
        sentAt: null,
      });
      await store.alerts.updateOutbox(k2?.id ?? 0, {
        status: 'failed',
        attempts: 12,
        nextAttemptAt: T0,
        lastError: 'mail: SMTP server answered 550',
        sentAt: null,
      });
      expect((await store.alerts.dueOutbox(T0 + MINUTE, 10)).map((o) => o.dedupeKey)).toEqual(['k3']);
      expect((await store.alerts.dueOutbox(T0 + 5 * MINUTE, 10)).map((o) => o.dedupeKey)).toEqual(['k1', 'k3']);
      expect(
        (await store.alerts.listOutbox({ status: 'failed', limit: 10 })).map((o) => [o.dedupeKey, o.lastError]),
      ).toEqual([['k2', 'mail: SMTP server answered 550']]);
      expect((await store.alerts.listOutbox({ status: 'pending', limit: 1 })).map((o) => o.dedupeKey)).toEqual(['k3']);
      expect((await store.alerts.listOutbox({ status: 'sent', limit: 10 })).length).toBe(0);
    });

    it('hands the alerting duty to one store instance at a time', async () => {
      const sibling = opened?.openSibling() as Store;
      expect(await store.tryAcquireLeadership('alerting')).toBe(true);
      expect(await store.tryAcquireLeadership('alerting')).toBe(true);
      // Another duty is independent.
      expect(await sibling.tryAcquireLeadership('reports')).toBe(true);
      if (!store.supportsConcurrentWriters) {
        // One node per SQLite file: it always leads.
        expect(await sibling.tryAcquireLeadership('alerting')).toBe(true);
        return;
      }
      expect(await sibling.tryAcquireLeadership('alerting')).toBe(false);
      await store.releaseLeadership('alerting');
      expect(await sibling.tryAcquireLeadership('alerting')).toBe(true);
      expect(await store.tryAcquireLeadership('alerting')).toBe(false);
      await sibling.releaseLeadership('alerting');
      // Closing the store ends the lock's session: the duty passes on without a release.
      const third = new PostgresStore({ connectionString: PG_TEST_URL, schema: schemaOf(opened as OpenedStore) });
      expect(await third.tryAcquireLeadership('alerting')).toBe(true);
      expect(await store.tryAcquireLeadership('alerting')).toBe(false);
      await third.close();
      expect(await store.tryAcquireLeadership('alerting')).toBe(true);
    });
  });
}

const postgres = ADAPTERS.find((a) => a.name === 'postgres');
describe.skipIf(postgres?.skipReason !== null)('Alerting leadership on PostgreSQL: a lost connection', () => {
  it('loses the lock with its connection, and takes it again once the other holder is gone', async () => {
    const opened = await (postgres as NonNullable<typeof postgres>).open(() => T0);
    const admin = new pg.Client({ connectionString: PG_TEST_URL });
    await admin.connect();
    try {
      const a = opened.store;
      const b = opened.openSibling();
      expect(await a.tryAcquireLeadership('alerting')).toBe(true);
      expect(await b.tryAcquireLeadership('alerting')).toBe(false);
      // Kill the session that holds the advisory lock (a network cut, a server restart).
      const killed = await admin.query(
        `SELECT l.pid, pg_terminate_backend(l.pid) AS ok FROM pg_locks l JOIN pg_stat_activity s USING (pid)
          WHERE l.locktype = 'advisory' AND s.application_name = $1`,
        [`vigil-leader:${schemaOf(opened)}`],
      );
      expect(killed.rowCount).toBe(1);
      // pg_terminate_backend only signals the backend: wait (bounded) until it is gone and its
      // advisory lock with it, as a peer would find it after a real connection loss.
      for (let i = 0; i < 250; i++) {
        const alive = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [killed.rows[0].pid]);
        if (alive.rowCount === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await b.tryAcquireLeadership('alerting')).toBe(true);
      // A learns at its next check that it no longer leads, and cannot take it while B holds it.
      expect(await a.tryAcquireLeadership('alerting')).toBe(false);
      await b.releaseLeadership('alerting');
      // ...and re-acquires it on a new connection once B let go.
      expect(await a.tryAcquireLeadership('alerting')).toBe(true);
      expect(await b.tryAcquireLeadership('alerting')).toBe(false);
    } finally {
      await admin.end();
      await opened.dispose();
    }
  });
});

/** The schema a PostgreSQL test store lives in (its search_path). */
function schemaOf(opened: OpenedStore): string {
  return (opened.store as unknown as { schema: string }).schema;
}
