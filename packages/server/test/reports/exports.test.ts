import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VigilApp } from '../../src/app.js';
import { EXPORT_COLUMNS } from '../../src/reports/export-stream.js';
import { ADMIN_TOKEN, testApp } from '../helpers/test-app.js';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('maintenance exports', () => {
  let vigil: VigilApp;

  beforeAll(async () => {
    vigil = await testApp({}, { now: () => T0 + 365 * DAY });
    // 2,500 audit records over a year (more than two store pages), and three incidents.
    for (let i = 0; i < 2_500; i++) {
      await vigil.store.access.appendAudit({
        ts: T0 + i * 12_000_000,
        actor: `user:u${i}`,
        role: 'admin',
        action: 'POST /api/v1/x',
        target: `t,"${i}"`,
        result: 'ok',
        status: 200,
        ip: '127.0.0.1',
        userAgent: 'test',
      });
    }
    for (const [id, day] of [
      ['i1', 10],
      ['i2', 200],
      ['i3', 400],
    ] as const) {
      await vigil.store.createIncident(
        {
          id,
          project: 'learning-portal',
          title: `Incident ${id}`,
          severity: 'high',
          source: 'manual',
          signal: `s-${id}`,
          openedAt: T0 + day * DAY,
          evidence: { n: 1 },
        },
        'opened',
      );
    }
  }, 60_000);
  afterAll(async () => vigil?.close());

  const get = (url: string) => vigil.app.inject({ method: 'GET', url, headers: auth });

  it('streams a year of the audit log as CSV that a standard parser reads back row for row', async () => {
    const res = await get(`/api/v1/exports/audit?from=${T0}&to=${T0 + 365 * DAY}&format=csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="vigil-audit-2026-01-01-2027-01-01.csv"');
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual(EXPORT_COLUMNS.audit);
    // Rows in the year only (12,000 s apart: 2,628 fit in 365 days, all 2,500 here), in time order.
    expect(rows.length).toBe(2_500);
    expect(rows[1_234]).toMatchObject({ ts: String(T0 + 1_234 * 12_000_000), actor: 'user:u1234', target: 't,"1234"' });
    expect(rows.every((r, i) => r.actor === `user:u${i}`)).toBe(true);
  });

  it('exports incidents opened in the range as versioned JSON', async () => {
    const res = await get(`/api/v1/exports/incidents?from=${T0}&to=${T0 + 365 * DAY}`);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = res.json();
    expect(body).toMatchObject({
      version: 1,
      what: 'incidents',
      project: 'learning-portal',
      from: T0,
      to: T0 + 365 * DAY,
    });
    expect(body.rows.map((r: { id: string; evidence: unknown }) => [r.id, r.evidence])).toEqual([
      ['i1', { n: 1 }],
      ['i2', { n: 1 }],
    ]);
  });

  it('exports an empty alert list as valid JSON and CSV', async () => {
    expect((await get(`/api/v1/exports/alerts?from=${T0}&to=${T0 + DAY}`)).json().rows).toEqual([]);
    const csv = await get(`/api/v1/exports/alerts?from=${T0}&to=${T0 + DAY}&format=csv`);
    expect(csv.body).toBe(`${EXPORT_COLUMNS.alerts.join(',')}\r\n`);
  });

  it('refuses unknown exports, bad formats and callers without a token', async () => {
    expect((await get('/api/v1/exports/users')).statusCode).toBe(404);
    expect((await get('/api/v1/exports/audit?format=pdf')).statusCode).toBe(400);
    expect((await vigil.app.inject({ url: '/api/v1/exports/audit' })).statusCode).toBe(401);
  });
});
