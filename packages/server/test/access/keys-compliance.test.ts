import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { VigilApp } from '../../src/app.js';
import { openApiDocument } from '../../src/http/openapi.js';
import { KeyRing } from '../../src/ingest/key-ring.js';
import { batch, INGEST_KEY, SOURCE, testApp } from '../helpers/test-app.js';
import { ADMIN, allAudit, asAdmin, settle, TEST_HASH_LOG_N } from './access-helpers.js';

const DAY = 86_400_000;

describe('ingest keys, erasure, retention, audit guarantees, injection', () => {
  let vigil: VigilApp | undefined;
  let t = Date.now();
  const open = async () => {
    t = Date.now();
    vigil = await testApp({}, { passwordHashLogN: TEST_HASH_LOG_N, now: () => t });
    return vigil;
  };
  afterEach(async () => {
    await vigil?.close();
    vigil = undefined;
  });
  const ingest = (v: VigilApp, key: string, events: unknown[], extra: Record<string, unknown> = {}, origin?: string) =>
    v.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(origin ? { origin } : {}) },
      payload: JSON.stringify(batch(events, extra)),
    });

  it('creates keys per project and environment, shows them once, revokes them at once here and within 5 s elsewhere', async () => {
    const v = await open();
    const otherNode = new KeyRing(v.store, 5_000, () => t);
    const made = await asAdmin(v, 'POST', '/api/v1/keys', {
      project: 'portal-staging',
      environment: 'staging',
      label: 'staging web',
      allowedOrigins: ['https://staging.portal.example'],
    });
    expect(made.statusCode).toBe(201);
    const { key, id } = made.json();
    expect(key).toMatch(/^vk_/);
    const staging = { project: 'portal-staging', source: { ...SOURCE, environment: 'staging' } };
    const event = { type: 'action', ts: t, phase: 'auth', name: 'login' };
    expect((await ingest(v, key, [event], staging)).statusCode).toBe(202);
    expect((await ingest(v, key, [event], { project: 'portal-staging' })).json().error.code).toBe(
      'VIGIL_ERR_KEY_SCOPE',
    );
    expect((await ingest(v, key, [event], staging, 'https://evil.example')).json().error.code).toBe(
      'VIGIL_ERR_ORIGIN_NOT_ALLOWED',
    );
    expect((await ingest(v, key, [event], staging, 'https://staging.portal.example')).statusCode).toBe(202);
    expect(await otherNode.lookup(key)).not.toBeNull();

    const listed = await asAdmin(v, 'GET', '/api/v1/keys');
    expect(listed.body).not.toContain(key);
    expect(listed.json().keys.map((k: { label: string; revokedAt: null }) => [k.label, k.revokedAt])).toEqual([
      ['default', null],
      ['staging web', null],
    ]);
    expect((await asAdmin(v, 'DELETE', `/api/v1/keys/${id}`)).statusCode).toBe(204);
    expect((await ingest(v, key, [event], staging)).json().error.code).toBe('VIGIL_ERR_INVALID_KEY');
    t += 4_000;
    expect(await otherNode.lookup(key)).not.toBeNull();
    t += 1_001;
    expect(await otherNode.lookup(key)).toBeNull();
    expect((await asAdmin(v, 'DELETE', `/api/v1/keys/${id}`)).statusCode).toBe(404);
  });

  it('an ingest key reads nothing: every GET route refuses it', async () => {
    const v = await open();
    const reads = v.routes.filter((r) => r.method === 'GET' && r.access !== 'public');
    const statuses = new Set<number>();
    for (const r of reads) {
      const res = await v.app.inject({
        method: 'GET',
        url: r.url.replace(/:[A-Za-z]+/g, 'x'),
        headers: { authorization: `Bearer ${INGEST_KEY}` },
      });
      statuses.add(res.statusCode);
    }
    expect(reads.length).toBeGreaterThan(20);
    expect([...statuses]).toEqual([401]);
  });

  it('erases one user’s error samples by raw id, audited under the pseudonym only', async () => {
    const v = await open();
    const error = (userId: string, i: number) => ({
      type: 'error',
      ts: t - i,
      kind: 'javascript',
      name: 'TypeError',
      message: 'quiz failed',
      stack: 'TypeError: quiz failed\n    at submit (https://portal.example/app.js:1:1)',
      userId,
    });
    expect(
      (await ingest(v, INGEST_KEY, [error('student-42', 1), error('student-42', 2), error('student-43', 3)]))
        .statusCode,
    ).toBe(202);
    const erased = await asAdmin(v, 'POST', '/api/v1/erasure', { userId: 'student-42' });
    expect(erased.json()).toEqual({ userHash: expect.stringMatching(/^u_[0-9a-f]{24}$/), removed: { occurrences: 2 } });
    const group = (await asAdmin(v, 'GET', '/api/v1/errors')).json().groups[0];
    const left = (await asAdmin(v, 'GET', `/api/v1/errors/${group.fingerprint}`)).json().occurrences;
    expect(left.map((o: { userHash: string }) => o.userHash)).toEqual([
      expect.not.stringMatching(erased.json().userHash),
    ]);
    await settle();
    const record = (await allAudit(v)).find((r) => r.action === 'POST /api/v1/erasure');
    expect([record?.target, record?.result]).toEqual([`pseudonym:${erased.json().userHash}`, 'ok']);
    expect(JSON.stringify(await allAudit(v))).not.toContain('student-42');
  });

  it('shows the retention defaults, persists an override, and the job enforces it and reports', async () => {
    const v = await open();
    const first = await asAdmin(v, 'GET', '/api/v1/retention');
    expect(first.json()).toEqual({
      detailedDays: 90,
      aggregatedDays: 365,
      defaults: { detailedDays: 90, aggregatedDays: 365 },
      lastReport: null,
    });
    await ingest(v, INGEST_KEY, [{ type: 'error', ts: t, kind: 'javascript', message: 'old', userId: 'u1' }]);
    await v.pipeline.drain();
    t += 40 * DAY;
    const bad = await asAdmin(v, 'PUT', '/api/v1/retention', { detailedDays: 400, aggregatedDays: 365 });
    expect(bad.json().error.code).toBe('VIGIL_ERR_INVALID_INPUT');
    const set = await asAdmin(v, 'PUT', '/api/v1/retention', { detailedDays: 30, aggregatedDays: 180, runNow: true });
    expect([set.json().detailedDays, set.json().aggregatedDays, set.json().lastReport.occurrences]).toEqual([
      30, 180, 1,
    ]);
    expect(set.json().lastReport.minuteRollups).toBeGreaterThan(0);
    expect(JSON.parse((await v.store.getSetting('retention_days')) as string)).toEqual({
      detailedDays: 30,
      aggregatedDays: 180,
    });
    expect((await asAdmin(v, 'GET', '/api/v1/retention')).json().lastReport.at).toBe(t);
  });

  it('fails the action when its audit record cannot be written', async () => {
    const v = await open();
    const append = v.store.access.appendAudit.bind(v.store.access);
    v.store.access.appendAudit = async () => {
      throw new Error('disk full');
    };
    const res = await asAdmin(v, 'POST', '/api/v1/users', {
      name: 'mallory',
      role: 'admin',
      password: 'long enough password',
    });
    expect([res.statusCode, res.json().error.code, res.headers['retry-after']]).toEqual([
      503,
      'VIGIL_ERR_AUDIT_UNAVAILABLE',
      '5',
    ]);
    expect(await v.store.access.findUserByName('mallory')).toBeNull();
    v.store.access.appendAudit = append;
    expect((await asAdmin(v, 'POST', '/api/v1/users', { name: 'mallory', role: 'viewer' })).statusCode).toBe(201);
  });

  it('the audit log is append-only in the database', async () => {
    const v = await open();
    await asAdmin(v, 'POST', '/api/v1/tokens', { label: 'x' });
    await settle();
    const [record] = await allAudit(v);
    await expect(
      v.store.access.finishAudit(record!.id, { result: 'ok', status: 200, target: 'forged' }),
    ).resolves.toBeUndefined();
    expect((await allAudit(v))[0]?.target).toBe(record?.target);
    // Even direct SQL cannot rewrite or delete a settled record: triggers refuse it.
    const db = new Database(path.join((v as VigilApp & { dataDir: string }).dataDir, 'vigil.db'));
    try {
      expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow('the audit log is append-only');
      expect(() => db.prepare("UPDATE audit_log SET actor = 'someone else'").run()).toThrow(
        'the audit log is append-only',
      );
    } finally {
      db.close();
    }
  });

  it('keeps SQL injection in every documented query and path parameter inert', async () => {
    const v = await open();
    const payloads = [
      "' OR '1'='1",
      "x'; DROP TABLE users; --",
      'name; DELETE FROM audit_log',
      '1) OR (1=1',
      'ts DESC, (SELECT 1)',
    ];
    const paths = openApiDocument().paths as Record<
      string,
      Record<string, { parameters?: Array<{ name: string; in: string }> }>
    >;
    await ingest(v, INGEST_KEY, [
      { type: 'api', ts: t - 60_000, route: '/api/courses', method: 'GET', status: 500, durationMs: 30 },
      { type: 'error', ts: t - 60_000, kind: 'javascript', message: 'boom', userId: 'u1' },
    ]);
    await v.pipeline.drain();
    const usersBefore = (await v.store.access.listUsers('name')).length;
    let requests = 0;
    const bad: string[] = [];
    for (const [path, methods] of Object.entries(paths)) {
      const get = methods.get;
      if (get === undefined) continue;
      for (const p of get.parameters ?? []) {
        for (const payload of payloads) {
          const at = (value: string) =>
            p.in === 'path'
              ? path.replace(`{${p.name}}`, encodeURIComponent(value))
              : `${path.replace(/\{[^}]+\}/g, 'x')}?${p.name}=${encodeURIComponent(value)}`;
          const res = await v.app.inject({ method: 'GET', url: at(payload), headers: ADMIN });
          requests++;
          if (![200, 400, 404].includes(res.statusCode)) bad.push(`${at(payload)} → ${res.statusCode}`);
          if (res.statusCode === 200 && !path.includes('audit')) {
            // An injected value must match exactly what a plain non-matching value matches.
            const benign = await v.app.inject({ method: 'GET', url: at('no-such-value'), headers: ADMIN });
            const echoed = res.body.replaceAll(JSON.stringify(payload).slice(1, -1), 'no-such-value');
            if (benign.statusCode !== 200 || echoed !== benign.body) bad.push(`${at(payload)} matched rows`);
          }
        }
      }
    }
    expect(bad).toEqual([]);
    expect(requests).toBeGreaterThan(100);
    expect((await v.store.access.listUsers('name')).length).toBe(usersBefore);
    const sorted = await asAdmin(v, 'GET', '/api/v1/users?sort=name%3B%20DROP%20TABLE%20users');
    expect([sorted.statusCode, sorted.json().error.code]).toEqual([400, 'VIGIL_ERR_INVALID_QUERY']);
    const filtered = await asAdmin(v, 'GET', `/api/v1/audit?actor=${encodeURIComponent("' OR '1'='1")}`);
    expect(filtered.json().records).toEqual([]);
  });
});
