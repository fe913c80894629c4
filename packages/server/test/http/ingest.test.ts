import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashCredential } from '../../src/access/credentials.js';
import type { VigilApp } from '../../src/app.js';
import { ADMIN_TOKEN, batch, INGEST_KEY, testApp } from '../helpers/test-app.js';

const now = () => Date.now();
const action = (name = 'login') => ({ type: 'action', ts: now(), phase: 'auth', name });

describe('POST /api/v1/events: bad inputs get exact statuses and codes, and the server keeps serving', () => {
  let vigil: VigilApp;
  const OTHER_KEY = 'vk_other_project_key_0001';

  beforeAll(async () => {
    vigil = await testApp();
    await vigil.store.upsertProject({ name: 'other-project', allowedOrigins: ['*'] });
    await vigil.store.createIngestKey({
      id: 'other',
      project: 'other-project',
      keyHash: hashCredential(OTHER_KEY),
      environment: null,
      label: 'other',
    });
  });
  afterAll(async () => vigil.close());

  const post = (payload: string | Buffer, headers: Record<string, string> = {}, url = '/api/v1/events') =>
    vigil.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json', ...headers },
    });
  const json = (body: unknown) => JSON.stringify(body);

  let deep = '"leaf"';
  for (let i = 0; i < 10_000; i++) deep = `{"d":${deep}}`;
  const invalidUtf8 = Buffer.concat([
    Buffer.from(json(batch([{ ...action(), name: 'x' }])).slice(0, -3)),
    Buffer.from([0xc3, 0x28]),
    Buffer.from(']}'),
  ]);

  const cases: Array<{
    name: string;
    send: () => ReturnType<typeof post>;
    status: number;
    code?: string;
    rejected?: string[];
  }> = [
    { name: 'malformed JSON', send: () => post('{"batchId": '), status: 400, code: 'VIGIL_ERR_MALFORMED_JSON' },
    { name: 'empty body', send: () => post(''), status: 400, code: 'VIGIL_ERR_MALFORMED_JSON' },
    {
      name: 'body over 1 MiB',
      send: () => post('x'.repeat(1024 * 1024 + 1)),
      status: 413,
      code: 'VIGIL_ERR_BODY_TOO_LARGE',
    },
    {
      name: 'gzip bomb (64 MiB of zeros)',
      send: () => post(gzipSync(Buffer.alloc(64 * 1024 * 1024)), { 'content-encoding': 'gzip' }),
      status: 413,
      code: 'VIGIL_ERR_BODY_TOO_LARGE',
    },
    {
      name: 'broken gzip',
      send: () => post(Buffer.from('not gzip'), { 'content-encoding': 'gzip' }),
      status: 400,
      code: 'VIGIL_ERR_BAD_GZIP',
    },
    {
      name: 'brotli encoding',
      send: () => post(json(batch([])), { 'content-encoding': 'br' }),
      status: 415,
      code: 'VIGIL_ERR_UNSUPPORTED_ENCODING',
    },
    {
      name: 'form body',
      send: () => post('a=1', { 'content-type': 'application/x-www-form-urlencoded' }),
      status: 415,
      code: 'VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE',
    },
    {
      name: 'latin-1 charset',
      send: () => post(json(batch([])), { 'content-type': 'application/json; charset=iso-8859-1' }),
      status: 415,
      code: 'VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE',
    },
    {
      name: 'events of the wrong type',
      send: () => post(json({ ...batch([]), events: 'many' })),
      status: 400,
      code: 'VIGIL_ERR_INVALID_BATCH',
    },
    {
      name: 'sentAt of the wrong type',
      send: () => post(json({ ...batch([]), sentAt: 'now' })),
      status: 400,
      code: 'VIGIL_ERR_INVALID_BATCH',
    },
    {
      name: 'unknown envelope field',
      send: () => post(json({ ...batch([]), extra: 1 })),
      status: 400,
      code: 'VIGIL_ERR_INVALID_BATCH',
    },
    {
      name: '1,001 events',
      send: () => post(json(batch(Array.from({ length: 1001 }, () => action())))),
      status: 413,
      code: 'VIGIL_ERR_BATCH_TOO_LARGE',
    },
    {
      name: '10,000-deep nesting in attrs',
      send: () =>
        post(
          `{"batchId":"deep-nesting-1","sentAt":1,"source":${json(batch([]).source)},"events":[{"type":"action","ts":${now()},"phase":"ui","name":"x","attrs":${deep}}]}`,
        ),
      status: 202,
      rejected: ['VIGIL_ERR_EVENT_ATTRS'],
    },
    { name: 'invalid UTF-8', send: () => post(invalidUtf8), status: 400, code: 'VIGIL_ERR_INVALID_UTF8' },
    {
      name: 'unknown event type and unknown event field, with a valid sibling',
      send: () => post(json(batch([{ type: 'clickstream', ts: now() }, { ...action(), color: 'red' }, action()]))),
      status: 202,
      rejected: ['VIGIL_ERR_EVENT_UNKNOWN_TYPE', 'VIGIL_ERR_EVENT_UNKNOWN_FIELD'],
    },
    {
      name: 'wrong key',
      send: () => post(json(batch([action()])), { authorization: 'Bearer vk_nope_nope_nope' }),
      status: 401,
      code: 'VIGIL_ERR_INVALID_KEY',
    },
    {
      name: 'missing key',
      send: () =>
        vigil.app.inject({
          method: 'POST',
          url: '/api/v1/events',
          payload: json(batch([action()])),
          headers: { 'content-type': 'application/json' },
        }),
      status: 401,
      code: 'VIGIL_ERR_MISSING_KEY',
    },
    {
      name: 'key of another project',
      send: () =>
        post(json(batch([action()], { project: 'learning-portal' })), { authorization: `Bearer ${OTHER_KEY}` }),
      status: 403,
      code: 'VIGIL_ERR_KEY_SCOPE',
    },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code ?? (c.rejected ?? []).join(',')}`, async () => {
      const res = await c.send();
      expect(res.statusCode).toBe(c.status);
      const body = res.json();
      if (c.code) {
        expect(body.error.code).toBe(c.code);
        expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+|Error:|SyntaxError|stack/);
      }
      if (c.rejected) expect(body.rejected.map((r: { code: string }) => r.code)).toEqual(c.rejected);
      const health = await vigil.app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      const ok = await post(json(batch([action()])));
      expect(ok.statusCode).toBe(202);
    });
  }

  it('a 1 MB string and NUL characters are trimmed and cleaned, not rejected', async () => {
    const big = batch([
      { type: 'error', ts: now(), kind: 'javascript', message: `${'m'.repeat(1_000_000)}`, name: 'Nul\u0000Error' },
    ]);
    const res = await post(json(big));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 1, rejected: [] });
    await vigil.pipeline.drain();
    const groups = await vigil.store.listErrorGroups({
      project: 'learning-portal',
      from: 0,
      to: now() + 60_000,
      limit: 10,
    });
    const group = groups.find((g) => g.errorName === 'NulError');
    expect(group).toBeDefined();
    const [occurrence] = await vigil.store.listOccurrences({
      project: 'learning-portal',
      fingerprint: group!.fingerprint,
      limit: 1,
    });
    expect(occurrence?.message).toBe('m'.repeat(2048));
  });

  it('a replayed batch is stored once and gets the first answer', async () => {
    const before = await countAll(vigil);
    const b = batch([action(), action(), { type: 'nope', ts: now() }]);
    const first = await post(json(b));
    const second = await post(json(b));
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({
      accepted: 2,
      rejected: [
        {
          index: 2,
          code: 'VIGIL_ERR_EVENT_UNKNOWN_TYPE',
          message: 'type must be one of action, timing, api, error, vital, gauge, rating, session',
        },
      ],
    });
    expect(second.statusCode).toBe(202);
    expect(second.json()).toEqual({ ...first.json(), duplicate: true });
    expect((await countAll(vigil)) - before).toBe(2);
  });

  it('accepts text/plain with the key in the query (navigator.sendBeacon) and gzip bodies', async () => {
    const beacon = await vigil.app.inject({
      method: 'POST',
      url: `/api/v1/events?key=${INGEST_KEY}`,
      payload: json(batch([action()])),
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });
    expect(beacon.statusCode).toBe(202);
    const gz = await post(gzipSync(Buffer.from(json(batch([action(), action()])))), { 'content-encoding': 'gzip' });
    expect(gz.statusCode).toBe(202);
    expect(gz.json()).toEqual({ accepted: 2, rejected: [] });
  });
});

describe('CORS per project allow-list', () => {
  let vigil: VigilApp;
  beforeAll(async () => {
    vigil = await testApp({ allowedOrigins: ['https://portal.example'] });
  });
  afterAll(async () => vigil.close());

  it('answers preflights for allowed origins only', async () => {
    const ok = await vigil.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/events',
      headers: { origin: 'https://portal.example' },
    });
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://portal.example');
    expect(ok.headers['access-control-allow-headers']).toBe('authorization, content-type, content-encoding');
    const evil = await vigil.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/events',
      headers: { origin: 'https://evil.example' },
    });
    expect(evil.statusCode).toBe(204);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a batch from an origin outside the list and accepts one from inside', async () => {
    const send = (origin: string) =>
      vigil.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        payload: JSON.stringify(batch([action()])),
        headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json', origin },
      });
    const evil = await send('https://evil.example');
    expect([evil.statusCode, evil.json().error.code]).toEqual([403, 'VIGIL_ERR_ORIGIN_NOT_ALLOWED']);
    const ok = await send('https://portal.example');
    expect(ok.statusCode).toBe(202);
    expect(ok.headers['access-control-allow-origin']).toBe('https://portal.example');
  });
});

/** Events stored in rollups after the pipeline has consumed the whole journal. */
async function countAll(vigil: VigilApp): Promise<number> {
  await vigil.pipeline.drain();
  expect((await vigil.store.journalBacklog()).rows).toBe(0);
  return vigil.store.countEvents({ project: 'learning-portal', from: 0, to: Date.now() + 3_600_000 });
}

describe('read routes need the admin token', () => {
  let vigil: VigilApp;
  beforeAll(async () => {
    vigil = await testApp();
  });
  afterAll(async () => vigil.close());

  it('refuses anonymous and ingest-key callers, accepts the admin token', async () => {
    for (const url of ['/api/v1/series?metric=api', '/api/v1/errors', '/metrics']) {
      const anonymous = await vigil.app.inject({ method: 'GET', url });
      expect([url, anonymous.statusCode, anonymous.json().error.code]).toEqual([url, 401, 'VIGIL_ERR_UNAUTHENTICATED']);
      const ingest = await vigil.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${INGEST_KEY}` } });
      expect([url, ingest.statusCode]).toEqual([url, 401]);
      const admin = await vigil.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect([url, admin.statusCode]).toEqual([url, 200]);
    }
  });
});
