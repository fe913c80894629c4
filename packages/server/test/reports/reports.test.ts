import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VigilApp } from '../../src/app.js';
import { formatValue, REPORT_KINDS, type Report } from '../../src/reports/report-model.js';
import { ADMIN_TOKEN, appDatabases, testApp } from '../helpers/test-app.js';
import { HOUR, loadPortal } from './report-fixture.js';

const END = Math.floor(Date.now() / HOUR) * HOUR;
const FROM = END - 6 * HOUR;
const ARTIFACTS = path.resolve('artifacts/reports');
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** pdftotext's words, whitespace-normalised, so numbers can be looked up. */
function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-pdf-'));
  try {
    writeFileSync(path.join(dir, 'r.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      ' ',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const db of await appDatabases())
  describe.skipIf(db.skipReason !== null)(
    `reports from simulator traffic (${db.name}${db.skipReason ? `: ${db.skipReason}` : ''})`,
    () => {
      let vigil: VigilApp;
      const json = new Map<string, Report>();
      const dbConfig = db.config();
      // The PDFs and their pages are kept from the SQLite run.
      const keep = db.name === 'sqlite';

      beforeAll(async () => {
        vigil = await testApp(dbConfig, { now: () => END });
        await loadPortal(vigil.store, 'learning-portal', END, 6);
        mkdirSync(ARTIFACTS, { recursive: true });
      }, 120_000);
      afterAll(async () => {
        await vigil?.close();
        await db.cleanup(dbConfig);
      });

      const get = (kind: string, query: string) =>
        vigil.app.inject({
          method: 'GET',
          url: `/api/v1/reports/${kind}?from=${FROM}&to=${END}&${query}`,
          headers: auth,
        });

      for (const kind of REPORT_KINDS) {
        it(`${kind}: JSON has the versioned shape and the API's numbers`, async () => {
          const res = await get(kind, 'format=json');
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
          expect(res.headers['content-disposition']).toMatch(
            /^attachment; filename="vigil-[a-z-]+-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.json"$/,
          );
          const r = res.json() as Report;
          expect(r).toMatchObject({
            version: 1,
            kind,
            project: 'learning-portal',
            range: { from: FROM, to: END, resolution: 'minute' },
            generatedAt: END,
          });
          const kpis = (await vigil.app.inject({ url: `/api/v1/kpis?from=${FROM}&to=${END}`, headers: auth })).json();
          expect(r.summary.kpis).toEqual([...kpis.operational, ...kpis.business]);
          const score = (await vigil.app.inject({ url: `/api/v1/score?from=${FROM}&to=${END}`, headers: auth })).json();
          expect(r.summary.score).toBe(score.score);
          expect(r.summary.score).not.toBeNull();
          json.set(kind, r);
        });

        it(`${kind}: CSV zip has one parseable file per table, and &table= gives one`, async () => {
          const r = json.get(kind) as Report;
          const res = await get(kind, 'format=csv');
          expect(res.headers['content-type']).toBe('application/zip');
          const files = unzipSync(res.rawPayload);
          expect(Object.keys(files).sort()).toEqual(
            Object.keys(r.tables)
              .map((t) => `${kind}-${t}.csv`)
              .sort(),
          );
          for (const [name, t] of Object.entries(r.tables)) {
            const rows = parse(strFromU8(files[`${kind}-${name}.csv`] as Uint8Array), { columns: true }) as Record<
              string,
              string
            >[];
            expect(rows.length).toBe(t.rows.length);
            rows.forEach((row, i) => {
              for (const c of t.columns) expect(row[c.key]).toBe(String(t.rows[i]?.[c.key] ?? ''));
            });
          }
          const one = await get(kind, 'format=csv&table=kpis');
          expect(one.headers['content-type']).toBe('text/csv; charset=utf-8');
          expect((parse(one.body, { columns: true }) as unknown[]).length).toBe(10);
        });

        it(`${kind}: the PDF carries every number of the JSON`, async () => {
          const r = json.get(kind) as Report;
          const res = await get(kind, 'format=pdf');
          expect(res.headers['content-type']).toBe('application/pdf');
          const pdf = res.rawPayload;
          if (keep) {
            // Pages of an earlier, longer run would linger beside this run's.
            for (const f of readdirSync(ARTIFACTS))
              if (f.startsWith(`${kind}-`) && f.endsWith('.png')) rmSync(path.join(ARTIFACTS, f));
            writeFileSync(path.join(ARTIFACTS, `${kind}.pdf`), pdf);
            execFileSync('pdftoppm', [
              '-png',
              '-r',
              '60',
              path.join(ARTIFACTS, `${kind}.pdf`),
              path.join(ARTIFACTS, kind),
            ]);
          }
          const text = pdfText(pdf);
          expect(text).toContain(r.title);
          expect(text).toContain(formatValue(r.summary.score, 'number'));
          const pages = Number(/Page 1 of (\d+)/.exec(text)?.[1]);
          expect(text).toContain(`Page ${pages} of ${pages}`);
          const missing: string[] = [];
          for (const [name, t] of Object.entries(r.tables)) {
            for (const row of t.rows) {
              for (const c of t.columns) {
                const v = row[c.key];
                if (typeof v !== 'number') continue;
                if (!text.includes(formatValue(v, c.type))) missing.push(`${name}.${c.key}=${formatValue(v, c.type)}`);
              }
            }
          }
          expect(missing).toEqual([]);
        });
      }

      it('answers 404 for an unknown kind and 400 for a bad format or table', async () => {
        expect((await get('nope', 'format=json')).statusCode).toBe(404);
        expect((await get('sla', 'format=xml')).statusCode).toBe(400);
        expect((await get('sla', 'format=csv&table=nope')).statusCode).toBe(400);
        expect((await vigil.app.inject({ url: `/api/v1/reports/sla` })).statusCode).toBe(401);
      });
    },
  );
