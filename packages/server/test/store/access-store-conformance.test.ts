import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/store/access-store.js';
import type { Store } from '../../src/store/store.js';
import { loadAdapters, type OpenedStore } from './store-adapters.js';
import { errorDelta, journalEntry, occurrence, pipelineCommit, T0 } from './store-fixtures.js';

const ADAPTERS = await loadAdapters();

const entry = (overrides: Partial<AuditRecord> = {}): Omit<AuditRecord, 'id'> => ({
  ts: T0,
  actor: 'user:ada',
  role: 'admin',
  action: 'POST /api/v1/users',
  target: 'user:bob',
  result: 'pending',
  status: 0,
  ip: '10.0.0.1',
  userAgent: 'test',
  ...overrides,
});

for (const adapter of ADAPTERS) {
  describe.skipIf(adapter.skipReason !== null)(`AccessStore conformance: ${adapter.name}`, () => {
    let clock = T0;
    let opened: OpenedStore | undefined;
    let store: Store;
    beforeEach(async () => {
      clock = T0;
      opened = await adapter.open(() => clock);
      store = opened.store;
    });
    afterEach(async () => {
      await opened?.dispose();
    });

    it('creates, finds, lists (allow-listed sorts) and updates users', async () => {
      await store.access.createUser({ id: 'u2', name: 'zoe', role: 'viewer', passwordHash: 'h2' });
      clock += 1;
      await store.access.createUser({ id: 'u1', name: 'ada', role: 'admin', passwordHash: 'h1' });
      await expect(
        store.access.createUser({ id: 'u3', name: 'ada', role: 'viewer', passwordHash: 'h' }),
      ).rejects.toThrow();
      expect(await store.access.findUserByName('ada')).toEqual({
        id: 'u1',
        name: 'ada',
        role: 'admin',
        passwordHash: 'h1',
        createdAt: T0 + 1,
        disabledAt: null,
      });
      expect((await store.access.listUsers('name')).map((u) => u.name)).toEqual(['ada', 'zoe']);
      expect((await store.access.listUsers('created')).map((u) => u.name)).toEqual(['zoe', 'ada']);
      expect((await store.access.listUsers('role')).map((u) => u.name)).toEqual(['ada', 'zoe']);
      await expect(store.access.listUsers('name; DROP TABLE users' as 'name')).rejects.toThrow('unknown user sort');
      expect(await store.access.updateUser('u2', { role: 'operator', disabledAt: T0 + 5 })).toBe(true);
      expect(await store.access.updateUser('u2', { passwordHash: 'h9' })).toBe(true);
      expect(await store.access.getUser('u2')).toMatchObject({
        role: 'operator',
        passwordHash: 'h9',
        disabledAt: T0 + 5,
      });
      await store.access.updateUser('u2', { disabledAt: null });
      expect((await store.access.getUser('u2'))?.disabledAt).toBeNull();
      expect(await store.access.updateUser('nobody', { role: 'admin' })).toBe(false);
    });

    it('stores sessions by hash, touches, ends one, all of a user, and expired ones', async () => {
      const s = (idHash: string, userId: string, createdAt: number, lastSeenAt: number) => ({
        idHash,
        userId,
        createdAt,
        lastSeenAt,
      });
      await store.access.createSession(s('a', 'u1', T0, T0));
      await store.access.createSession(s('b', 'u1', T0, T0));
      await store.access.createSession(s('c', 'u2', T0 - 1000, T0 + 500));
      await store.access.touchSession('a', T0 + 100);
      expect(await store.access.getSession('a')).toEqual(s('a', 'u1', T0, T0 + 100));
      await store.access.deleteSession('a');
      expect(await store.access.getSession('a')).toBeNull();
      expect(await store.access.deleteUserSessions('u1')).toBe(1);
      expect(await store.access.deleteExpiredSessions(T0, T0 - 500)).toBe(1);
      expect(await store.access.getSession('c')).toBeNull();
    });

    it('creates, finds, lists and revokes API tokens with owners', async () => {
      await store.access.createApiToken({ id: 't1', tokenHash: 'th1', userId: 'u1', label: 'ci', role: 'viewer' });
      clock += 1;
      await store.access.createApiToken({ id: 't2', tokenHash: 'th2', userId: null, label: 'config', role: 'admin' });
      expect(await store.access.findApiToken('th1')).toEqual({
        id: 't1',
        tokenHash: 'th1',
        userId: 'u1',
        label: 'ci',
        role: 'viewer',
        createdAt: T0,
        revokedAt: null,
      });
      expect((await store.access.listApiTokens(null)).map((t) => t.id)).toEqual(['t2', 't1']);
      expect((await store.access.listApiTokens('u1')).map((t) => t.id)).toEqual(['t1']);
      expect(await store.access.revokeApiToken('t1', T0 + 9)).toBe(true);
      expect(await store.access.revokeApiToken('t1', T0 + 10)).toBe(false);
      expect(await store.access.findApiToken('th1')).toBeNull();
      expect((await store.access.getApiToken('t1'))?.revokedAt).toBe(T0 + 9);
    });

    it('lists every ingest key without hashes and revokes one', async () => {
      await store.upsertProject({ name: 'portal', allowedOrigins: ['*'] });
      await store.createIngestKey({ id: 'k1', project: 'portal', keyHash: 'kh1', environment: 'prod', label: 'web' });
      expect(await store.access.revokeIngestKey('k1', T0 + 1)).toBe(true);
      expect(await store.access.revokeIngestKey('k1', T0 + 2)).toBe(false);
      expect(await store.access.listAllIngestKeys()).toEqual([
        { id: 'k1', project: 'portal', environment: 'prod', label: 'web', createdAt: T0, revokedAt: T0 + 1 },
      ]);
      expect(await store.listIngestKeys()).toEqual([]);
    });

    it('puts settings over existing values', async () => {
      await store.initSetting('x', '1');
      await store.access.putSetting('x', '2');
      await store.access.putSetting('y', '3');
      expect([await store.getSetting('x'), await store.getSetting('y')]).toEqual(['2', '3']);
    });

    it('appends audit records, settles only pending ones, filters and orders', async () => {
      const a = await store.access.appendAudit(entry());
      const b = await store.access.appendAudit(entry({ ts: T0 + 1, actor: 'token:t1', result: 'denied', status: 403 }));
      const c = await store.access.appendAudit(entry({ ts: T0 + 2, action: 'DELETE /api/v1/keys/:id' }));
      expect(b).toBeGreaterThan(a);
      await store.access.finishAudit(a, { result: 'ok', status: 201, target: 'user:bob2', actor: 'user:ada' });
      await store.access.finishAudit(b, { result: 'ok', status: 200 });
      const all = await store.access.queryAudit({ from: 0, to: T0 + 10, limit: 10, order: 'asc' });
      expect(all.map((r) => [r.id, r.result, r.status, r.target])).toEqual([
        [a, 'ok', 201, 'user:bob2'],
        [b, 'denied', 403, 'user:bob'],
        [c, 'pending', 0, 'user:bob'],
      ]);
      expect(
        (await store.access.queryAudit({ from: 0, to: T0 + 10, limit: 2, order: 'desc' })).map((r) => r.id),
      ).toEqual([c, b]);
      expect(
        (await store.access.queryAudit({ from: 0, to: T0 + 10, limit: 9, order: 'asc', actor: 'token:t1' })).map(
          (r) => r.id,
        ),
      ).toEqual([b]);
      expect(
        (await store.access.queryAudit({ from: 0, to: T0 + 10, limit: 9, order: 'asc', result: 'pending' })).map(
          (r) => r.id,
        ),
      ).toEqual([c]);
      expect(
        (
          await store.access.queryAudit({
            from: T0 + 1,
            to: T0 + 2,
            limit: 9,
            order: 'asc',
            action: 'POST /api/v1/users',
          })
        ).map((r) => r.id),
      ).toEqual([b]);
      expect(
        await store.access.queryAudit({ from: 0, to: T0 + 10, limit: 9, order: 'asc', actor: "' OR '1'='1" }),
      ).toEqual([]);
    });

    it('erases the error samples of one pseudonymous user only', async () => {
      await store.appendBatches([journalEntry('e1')]);
      const seqs = (await store.readJournal(10)).map((r) => r.seq);
      const samples = [
        occurrence(T0, { userHash: 'u_a' }),
        occurrence(T0 + 1, { userHash: 'u_b' }),
        occurrence(T0 + 2, { userHash: 'u_a' }),
      ];
      await store.commitPipeline(pipelineCommit({ seqs, errors: [errorDelta('fp', [[T0, 3]], { samples })] }));
      expect(await store.access.eraseUserData('u_a')).toEqual({ occurrences: 2 });
      const left = await store.listOccurrences({ project: 'portal', fingerprint: 'fp', limit: 10 });
      expect(left.map((o) => o.userHash)).toEqual(['u_b']);
    });
  });
}
