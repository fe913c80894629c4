import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { VigilApp } from '../../src/app.js';
import { appDatabases, batch, INGEST_KEY, testApp } from '../helpers/test-app.js';
import { PG_TEST_URL } from '../store/pg-test-url.js';
import { TEST_HASH_LOG_N } from './access-helpers.js';
import { allSecrets, piiCorpus } from './pii-corpus.js';

/** Every row of every table as text (BLOBs as latin1, so binary columns are searched too). */
async function dump(vigil: VigilApp & { dataDir: string }, schema: string | undefined): Promise<string> {
  const parts: string[] = [];
  if (vigil.store.name === 'sqlite') {
    const db = new Database(path.join(vigil.dataDir, 'vigil.db'), { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
      for (const table of tables) {
        for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>) {
          parts.push(
            `${table}: ${Object.values(row)
              .map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v)))
              .join(' | ')}`,
          );
        }
      }
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: PG_TEST_URL });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'",
        [schema],
      );
      for (const { table_name: table } of rows as Array<{ table_name: string }>) {
        const data = await client.query(`SELECT * FROM "${schema}"."${table}"`);
        for (const row of data.rows as Array<Record<string, unknown>>) {
          parts.push(
            `${table}: ${Object.values(row)
              .map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v)))
              .join(' | ')}`,
          );
        }
      }
    } finally {
      await client.end();
    }
  }
  return parts.join('\n');
}

for (const db of await appDatabases())
  describe.skipIf(db.skipReason !== null)(`PII corpus never reaches the database (${db.name})`, () => {
    it('ingests ≥ 50 events full of secrets; a full dump holds none of them, before and after the pipeline', async () => {
      const config = db.config();
      const vigil = await testApp(config, { passwordHashLogN: TEST_HASH_LOG_N });
      try {
        const events = piiCorpus(Date.now());
        expect(events.length).toBeGreaterThanOrEqual(50);
        const res = await vigil.app.inject({
          method: 'POST',
          url: '/api/v1/events',
          headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' },
          payload: JSON.stringify(batch(events)),
        });
        expect([res.statusCode, res.json().accepted, res.json().rejected]).toEqual([202, events.length, []]);
        const find = (text: string) => allSecrets().filter((s) => text.toLowerCase().includes(s.toLowerCase()));
        const journal = await dump(vigil, config.databaseSchema);
        expect(journal).toContain('journal: ');
        expect(find(journal)).toEqual([]);
        await vigil.pipeline.drain();
        const full = await dump(vigil, config.databaseSchema);
        // The dump is real: the pseudonymised, scrubbed samples are there.
        expect(full).toMatch(/error_occurrences: .*\[email\]/);
        expect(full).toMatch(/\[student-id\]/);
        expect(full).toMatch(/u_[0-9a-f]{24}/);
        expect(find(full)).toEqual([]);
      } finally {
        await vigil.close();
        await db.cleanup(config);
      }
    });
  });
