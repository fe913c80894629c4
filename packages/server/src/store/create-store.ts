import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresStore } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/**
 * Options for `createStore`, as read from the server configuration.
 *
 * @example
 * const options: CreateStoreOptions = { dataDir: './data', durability: 'normal' };
 */
export interface CreateStoreOptions {
  /** A `postgres://` or `postgresql://` URL selects PostgreSQL; anything else (or none) SQLite. */
  databaseUrl?: string;
  /** Folder of the SQLite file `vigil.db`; created when missing. */
  dataDir: string;
  /** SQLite durability: `normal` survives a process crash, `full` also a power loss. */
  durability: 'normal' | 'full';
  /** PostgreSQL schema to keep Vigil's tables in (default `public`). */
  databaseSchema?: string;
}

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/**
 * Opens the configured store (not yet migrated): PostgreSQL for a `postgres://` URL, otherwise
 * the embedded SQLite file `${dataDir}/vigil.db`.
 *
 * @example
 * const store = createStore({ databaseUrl: process.env.DATABASE_URL, dataDir: './data', durability: 'normal' });
 * await store.migrate();
 */
export function createStore(options: CreateStoreOptions): Store {
  if (options.databaseUrl !== undefined && POSTGRES_URL.test(options.databaseUrl)) {
    return new PostgresStore({ connectionString: options.databaseUrl, schema: options.databaseSchema ?? 'public' });
  }
  mkdirSync(options.dataDir, { recursive: true });
  return new SqliteStore({ file: join(options.dataDir, 'vigil.db'), durability: options.durability });
}
