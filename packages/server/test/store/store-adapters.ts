import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { dropSchema, PG_TEST_URL, pgAvailable, uniqueSchemaName } from './pg-test-url.js';

/**
 * A migrated store over a fresh database, plus siblings over the same database.
 *
 * @example
 * const opened = await adapter.open(() => 1_000);
 * await opened.store.ping();
 * await opened.dispose();
 */
export interface OpenedStore {
  store: Store;
  /** Another store instance (own connection/pool) over the same database, not yet migrated. */
  openSibling(): Store;
  /** Closes every store opened here and deletes the database. */
  dispose(): Promise<void>;
}

/**
 * One adapter under test. `skipReason` is set when its database is unreachable outside CI.
 *
 * @example
 * for (const adapter of await loadAdapters()) describe.skipIf(adapter.skipReason !== null)(adapter.name, () => {});
 */
export interface StoreAdapter {
  name: 'sqlite' | 'postgres';
  skipReason: string | null;
  /** Whether two store instances may write at once (the concurrency tests need it). */
  concurrentWriters: boolean;
  /** Opens a fresh database; migrated unless `migrate` is false. */
  open(now: () => number, migrate?: boolean): Promise<OpenedStore>;
}

/**
 * Every adapter of the conformance suite: SQLite in a temp file, PostgreSQL in a fresh schema.
 * With `CI=true` an unreachable PostgreSQL is not skipped, so its tests fail.
 *
 * @example
 * const ADAPTERS = await loadAdapters();
 */
export async function loadAdapters(): Promise<StoreAdapter[]> {
  const pgReady = await pgAvailable();
  const pgSkip =
    pgReady || process.env.CI === 'true' ? null : `PostgreSQL unreachable at ${PG_TEST_URL} (set VIGIL_TEST_PG_URL)`;
  return [
    { name: 'sqlite', skipReason: null, concurrentWriters: false, open: openSqlite },
    {
      name: 'postgres',
      skipReason: pgSkip,
      concurrentWriters: true,
      open: async (now, migrate) => {
        if (!pgReady) {
          throw new Error(`PostgreSQL unreachable at ${PG_TEST_URL}; with CI=true its conformance tests must run`);
        }
        return openPostgres(now, migrate);
      },
    },
  ];
}

async function openSqlite(now: () => number, migrate = true): Promise<OpenedStore> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
  const file = join(dir, 'vigil.db');
  const opened: Store[] = [];
  const open = (): Store => {
    const store = new SqliteStore({ file, durability: 'normal', now });
    opened.push(store);
    return store;
  };
  const store = open();
  if (migrate) await store.migrate();
  return {
    store,
    openSibling: open,
    dispose: async () => {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(now: () => number, migrate = true): Promise<OpenedStore> {
  const schema = uniqueSchemaName('store');
  const opened: Store[] = [];
  const open = (): Store => {
    const store = new PostgresStore({ connectionString: PG_TEST_URL, schema, maxConnections: 4, now });
    opened.push(store);
    return store;
  };
  const store = open();
  if (migrate) await store.migrate();
  return {
    store,
    openSibling: open,
    dispose: async () => {
      for (const s of opened) await s.close();
      await dropSchema(schema);
    },
  };
}
