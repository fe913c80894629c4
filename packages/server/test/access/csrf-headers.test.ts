import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VigilApp } from '../../src/app.js';
import { batch, INGEST_KEY, testApp } from '../helpers/test-app.js';
import {
  ADMIN,
  allAudit,
  asAdmin,
  createUser,
  login,
  sessionCookie,
  settle,
  TEST_HASH_LOG_N,
} from './access-helpers.js';

const PASSWORD = 'correct horse battery';
const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>';

describe('CSRF, media types, security headers, inert payloads', () => {
  let vigil: VigilApp;
  let cookie: string;
  beforeAll(async () => {
    vigil = await testApp({}, { passwordHashLogN: TEST_HASH_LOG_N });
    await createUser(vigil, 'ada', 'operator', PASSWORD);
    cookie = sessionCookie(await login(vigil, 'ada', PASSWORD)) as string;
  });
  afterAll(async () => {
    await vigil?.close();
  });
  const createToken = (headers: Record<string, string>, payload: unknown = { label: 'x' }, contentType?: string) =>
    vigil.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { host: 'vigil.example:4600', ...headers, ...(contentType ? { 'content-type': contentType } : {}) },
      payload: payload as string,
    });

  it('refuses cookie-authenticated writes from a foreign or unknown origin, accepts same origin or the custom header', async () => {
    const answers = [
      await createToken({ cookie, origin: 'https://evil.example' }),
      await createToken({ cookie, referer: 'https://evil.example/page' }),
      await createToken({ cookie }),
      await createToken({ cookie, origin: 'null' }),
      await createToken({ cookie, origin: 'http://vigil.example:4600' }),
      await createToken({ cookie, referer: 'http://vigil.example:4600/dashboard' }),
      await createToken({ cookie, 'x-vigil-csrf': '1', origin: 'https://evil.example' }),
      await createToken({ ...ADMIN, origin: 'https://evil.example' }),
    ];
    expect(answers.map((r) => [r.statusCode, r.statusCode === 403 ? r.json().error.code : 'ok'])).toEqual([
      [403, 'VIGIL_ERR_CROSS_SITE'],
      [403, 'VIGIL_ERR_CROSS_SITE'],
      [403, 'VIGIL_ERR_CROSS_SITE'],
      [403, 'VIGIL_ERR_CROSS_SITE'],
      [201, 'ok'],
      [201, 'ok'],
      [201, 'ok'],
      [201, 'ok'],
    ]);
    const login = await vigil.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { origin: 'https://evil.example' },
      payload: { username: 'ada', password: PASSWORD },
    });
    expect([login.statusCode, login.headers['set-cookie']]).toEqual([403, undefined]);
  });

  it('refuses form and text/plain bodies on JSON routes with 415', async () => {
    const form = await createToken({ cookie, 'x-vigil-csrf': '1' }, 'label=x', 'application/x-www-form-urlencoded');
    const text = await createToken({ cookie, 'x-vigil-csrf': '1' }, '{"label":"x"}', 'text/plain');
    const multipart = await createToken(ADMIN, '--b\r\n\r\nx\r\n--b--', 'multipart/form-data; boundary=b');
    expect([form, text, multipart].map((r) => [r.statusCode, r.json().error.code])).toEqual([
      [415, 'VIGIL_ERR_JSON_REQUIRED'],
      [415, 'VIGIL_ERR_JSON_REQUIRED'],
      [415, 'VIGIL_ERR_JSON_REQUIRED'],
    ]);
    await settle();
    const refused = (await allAudit(vigil)).filter((r) => r.status === 415);
    expect(refused.map((r) => [r.action, r.result])).toEqual([
      ['POST /api/v1/tokens', 'refused'],
      ['POST /api/v1/tokens', 'refused'],
      ['POST /api/v1/tokens', 'refused'],
    ]);
  });

  it('sends the security headers on every answer, HSTS only over TLS', async () => {
    for (const url of ['/healthz', '/api/v1/session', '/api/v1/nowhere']) {
      const res = await vigil.app.inject({ method: 'GET', url });
      expect([
        url,
        res.headers['x-content-type-options'],
        res.headers['referrer-policy'],
        res.headers['x-frame-options'],
        res.headers['content-security-policy'],
        res.headers['strict-transport-security'],
      ]).toEqual([
        url,
        'nosniff',
        'no-referrer',
        'DENY',
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        undefined,
      ]);
    }
    const me = await vigil.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
    expect(me.headers['cache-control']).toBe('no-store');
  });

  it('stores XSS payloads in error messages, token labels and rule names verbatim; returns them only as JSON', async () => {
    const made = await createToken(ADMIN, { label: XSS, role: 'viewer' });
    expect(made.statusCode).toBe(201);
    const list = await asAdmin(vigil, 'GET', '/api/v1/tokens');
    expect(list.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(list.json().tokens.map((t: { label: string }) => t.label)).toContain(XSS);
    const ingest = await vigil.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' },
      payload: JSON.stringify(batch([{ type: 'error', ts: Date.now(), kind: 'javascript', message: XSS, stack: XSS }])),
    });
    expect(ingest.statusCode).toBe(202);
    await vigil.pipeline.drain();
    const groups = await asAdmin(vigil, 'GET', '/api/v1/errors');
    const group = groups.json().groups[0];
    const detail = await asAdmin(vigil, 'GET', `/api/v1/errors/${group.fingerprint}`);
    expect([
      detail.headers['content-type'],
      detail.headers['content-security-policy']?.startsWith("default-src 'none'"),
    ]).toEqual(['application/json; charset=utf-8', true]);
    expect(detail.json().occurrences[0].message).toBe(XSS);
    const rule = await asAdmin(vigil, 'POST', '/api/v1/rules', {
      id: 'xss-rule',
      name: XSS,
      type: 'system',
      severity: 'high',
      query: { metric: 'gauge', name: 'cpu.percent', aggregation: 'avg', windowMillis: 120_000 },
      comparator: '>',
      threshold: 80,
      forMillis: 60_000,
      labels: {},
      enabled: true,
    });
    expect(rule.statusCode).toBe(201);
    const rules = await asAdmin(vigil, 'GET', '/api/v1/rules');
    expect([rules.headers['content-type'], rules.headers['x-content-type-options']]).toEqual([
      'application/json; charset=utf-8',
      'nosniff',
    ]);
    expect(rules.json().rules.find((r: { id: string }) => r.id === 'xss-rule').name).toBe(XSS);
    // JSON escaping keeps the payload data: no raw '<script' outside a JSON string in an HTML context.
    expect(rules.body).toContain('"<script>alert(\\"x\\")</script>');
  });

  it('exports the audit log as CSV with formula cells neutralised', async () => {
    await createToken({ ...ADMIN, 'user-agent': '=HYPERLINK("http://evil")' }, { label: 'csv' });
    await asAdmin(vigil, 'POST', '/api/v1/users', { name: 'bob', role: 'viewer' });
    await settle();
    const res = await asAdmin(vigil, 'GET', '/api/v1/audit?format=csv&action=POST%20/api/v1/users&order=asc');
    expect([res.statusCode, res.headers['content-type'], res.headers['content-disposition']]).toEqual([
      200,
      'text/csv; charset=utf-8',
      'attachment; filename="vigil-audit.csv"',
    ]);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('time,id,ts,actor,role,action,target,result,status,ip,userAgent');
    expect(lines.slice(1).map((l) => l.split(',').slice(4, 9))).toEqual([
      ['admin', 'POST /api/v1/users', 'user:ada', 'ok', '201'],
      ['admin', 'POST /api/v1/users', 'user:bob', 'ok', '201'],
    ]);
    const csvEscaped = await asAdmin(vigil, 'GET', '/api/v1/audit?format=csv&action=POST%20/api/v1/tokens');
    expect(csvEscaped.body).toContain(`,"'=HYPERLINK(""http://evil"")"\r\n`);
  });
});
