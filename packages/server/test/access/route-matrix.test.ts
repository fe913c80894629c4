import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VigilApp } from '../../src/app.js';
import { INGEST_KEY, testApp } from '../helpers/test-app.js';
import { ADMIN, allAudit, settle, TEST_HASH_LOG_N, tokenWithRole } from './access-helpers.js';

type Caller = 'anonymous' | 'ingest key' | 'viewer' | 'operator' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'ingest key', 'viewer', 'operator', 'admin'];
const RANK: Record<string, number> = { viewer: 0, operator: 1, admin: 2 };
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * What an anonymous caller may reach: ingest (the collector then wants a key), its CORS
 * preflight, login, health probes, and static documents (the OpenAPI document, assets).
 */
const ANONYMOUS_ALLOWED = [
  /^OPTIONS \/api\/v1\/events$/,
  /^POST \/api\/v1\/session$/,
  /^GET \/(healthz|readyz)$/,
  /^GET \/api\/openapi\.json$/,
  /^GET \/(assets|static)\//,
  /^GET \/$/,
];

describe('route-by-role matrix, generated from vigil.routes', () => {
  let vigil: VigilApp;
  const headers: Record<Caller, Record<string, string>> = {
    anonymous: {},
    'ingest key': { authorization: `Bearer ${INGEST_KEY}` },
    viewer: {},
    operator: {},
    admin: ADMIN,
  };

  beforeAll(async () => {
    vigil = await testApp({}, { passwordHashLogN: TEST_HASH_LOG_N });
    headers.viewer = { authorization: `Bearer ${await tokenWithRole(vigil, 'viewer')}` };
    headers.operator = { authorization: `Bearer ${await tokenWithRole(vigil, 'operator')}` };
  });
  afterAll(async () => {
    await vigil?.close();
  });

  /**
   * One request; the body is read only for refusals, so that a streaming route (server-sent
   * events) answers with its status instead of holding the test open.
   */
  const call = async (method: string, url: string, caller: Caller) => {
    const res = await request(method, url, caller, true);
    const stream = res.stream();
    let body = '';
    if (res.statusCode === 401 || res.statusCode === 403) for await (const chunk of stream) body += String(chunk);
    stream.destroy();
    return { statusCode: res.statusCode, json: () => JSON.parse(body) };
  };
  const request = (method: string, url: string, caller: Caller, payloadAsStream: boolean) => {
    const path = url.replace(/:[A-Za-z]+/g, 'zz-missing');
    // The CSRF header is sent so that this matrix measures access control alone.
    const base = { ...headers[caller], 'x-vigil-csrf': '1' };
    return vigil.app.inject({
      method: method as 'GET',
      url: path,
      headers: base,
      ...(READS.has(method) || method === 'DELETE' ? {} : { payload: {} }),
      payloadAsStream,
    });
  };

  it('every route declares an access level', () => {
    expect(vigil.routes.filter((r) => !['public', 'ingest', 'viewer', 'operator', 'admin'].includes(r.access))).toEqual(
      [],
    );
  });

  it('only ingest, login, health and static documents are public', () => {
    const open = vigil.routes
      .filter((r) => r.access === 'public')
      .map((r) => `${r.method} ${r.url}`)
      .filter((r) => !ANONYMOUS_ALLOWED.some((p) => p.test(r)));
    expect(open).toEqual([]);
  });

  it('answers every route × caller with the exact expected status, auditing each mutation once', async () => {
    const before = (await allAudit(vigil)).length;
    let mutations = 0;
    const rows: string[] = [];
    const expected: string[] = [];
    for (const route of vigil.routes) {
      const got: Partial<Record<Caller, number>> = {};
      // Admin first: its answer is what every permitted caller must get.
      for (const caller of [...CALLERS].reverse()) {
        const res = await call(route.method, route.url, caller);
        got[caller] = res.statusCode;
        if (res.statusCode === 401 || res.statusCode === 403) {
          expect(res.json().error.code).toMatch(
            /^VIGIL_ERR_(UNAUTHENTICATED|FORBIDDEN|MISSING_KEY|INVALID_KEY|LOGIN_FAILED)$/,
          );
        }
        if (!READS.has(route.method) && route.access !== 'ingest') mutations++;
      }
      const admin = got.admin as number;
      const want: Record<Caller, number> = { anonymous: 0, 'ingest key': 0, viewer: 0, operator: 0, admin: 0 };
      for (const caller of CALLERS) {
        if (route.access === 'public') want[caller] = admin;
        else if (route.access === 'ingest')
          want[caller] = caller === 'ingest key' ? (got['ingest key'] as number) : 401;
        else if (caller === 'anonymous' || caller === 'ingest key') want[caller] = 401;
        else want[caller] = RANK[caller]! >= RANK[route.access]! ? admin : 403;
      }
      if (route.access === 'ingest') expect([route.url, got['ingest key']]).not.toEqual([route.url, 401]);
      if (route.access in RANK) expect([route.method, route.url, admin]).not.toContain(401);
      rows.push(`${route.method} ${route.url} [${route.access}] ${CALLERS.map((c) => got[c]).join(' ')}`);
      expected.push(`${route.method} ${route.url} [${route.access}] ${CALLERS.map((c) => want[c]).join(' ')}`);
    }
    if (process.env.VIGIL_PRINT_MATRIX) console.log(rows.join('\n'));
    expect(rows).toEqual(expected);
    await settle();
    const records = (await allAudit(vigil)).slice(before);
    expect(records.length).toBe(mutations);
    expect(records.filter((r) => r.result === 'pending')).toEqual([]);
  });

  it('a role route answers 403 to a token whose scope is below it, 401 to an ingest key', async () => {
    const keys = await call('GET', '/api/v1/keys', 'operator');
    expect([keys.statusCode, keys.json().error.code]).toEqual([403, 'VIGIL_ERR_FORBIDDEN']);
    const read = await call('GET', '/api/v1/errors', 'ingest key');
    expect([read.statusCode, read.json().error.code]).toEqual([401, 'VIGIL_ERR_UNAUTHENTICATED']);
  });
});
