import pg from 'pg';

/**
 * The PostgreSQL server the tests use: `VIGIL_TEST_PG_URL`, or the local trust-auth default.
 *
 * @example
 * const store = new PostgresStore({ connectionString: PG_TEST_URL, schema: uniqueSchemaName('alerts') });
 */
export const PG_TEST_URL = process.env.VIGIL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * True when `url` accepts a connection and answers `SELECT 1` within `timeoutMillis`.
 *
 * @example
 * const ready = await pgAvailable();
 * describe.skipIf(!ready && process.env.CI !== 'true')('postgres', () => { ... });
 */
export async function pgAvailable(url = PG_TEST_URL, timeoutMillis = 3_000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMillis });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

let schemaCounter = 0;

/**
 * A schema name no other test run uses (process id, counter and random suffix), valid for
 * `PostgresStore`'s `schema` option.
 *
 * @example
 * uniqueSchemaName('store'); // 'vigil_test_store_4711_1_k3j9'
 */
export function uniqueSchemaName(label: string): string {
  schemaCounter += 1;
  const suffix = Math.random().toString(36).slice(2, 8);
  return `vigil_test_${label}_${process.pid}_${schemaCounter}_${suffix}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/**
 * Drops a test schema and everything in it.
 *
 * @example
 * afterEach(() => dropSchema(schema));
 */
export async function dropSchema(schema: string, url = PG_TEST_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema.replaceAll('"', '""')}" CASCADE`);
  } finally {
    await client.end();
  }
}
