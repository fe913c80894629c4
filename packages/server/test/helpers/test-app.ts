import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BuildOptions, buildApp, type VigilApp } from '../../src/app.js';
import { defaultConfig, type VigilConfig } from '../../src/config.js';
import { dropSchema, PG_TEST_URL, pgAvailable, uniqueSchemaName } from '../store/pg-test-url.js';

export const INGEST_KEY = 'vk_test_ingest_key_0001';
export const ADMIN_TOKEN = 'vt_test_admin_token_0001';

/** A fresh data folder in the OS temp dir, removed by the returned cleanup. */
export function tempDir(prefix = 'vigil-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Test configuration: a temp SQLite folder, fixed credentials, quiet logs. */
export function testConfig(dataDir: string, overrides: Partial<VigilConfig> = {}): VigilConfig {
  return {
    ...defaultConfig(),
    dataDir,
    port: 0,
    ingestKey: INGEST_KEY,
    adminToken: ADMIN_TOKEN,
    logLevel: 'silent',
    ...overrides,
  };
}

/** The databases an app-level suite runs on: SQLite always, PostgreSQL (a fresh schema) when reachable or under CI. */
export interface AppDatabase {
  name: 'sqlite' | 'postgres';
  skipReason: string | null;
  /** Config overrides selecting this database; call once per app. */
  config(): Partial<VigilConfig>;
  /** Drops what `config()` created. */
  cleanup(config: Partial<VigilConfig>): Promise<void>;
}

/**
 * SQLite and PostgreSQL for suites that must compute the same on both. With `CI=true` an
 * unreachable PostgreSQL fails the suite instead of skipping it.
 */
export async function appDatabases(): Promise<AppDatabase[]> {
  const ready = await pgAvailable();
  return [
    { name: 'sqlite', skipReason: null, config: () => ({}), cleanup: async () => {} },
    {
      name: 'postgres',
      skipReason: ready || process.env.CI === 'true' ? null : `PostgreSQL unreachable at ${PG_TEST_URL}`,
      config: () => ({ databaseUrl: PG_TEST_URL, databaseSchema: uniqueSchemaName('app') }),
      cleanup: async (config) => {
        if (config.databaseSchema) await dropSchema(config.databaseSchema);
      },
    },
  ];
}

/** Builds an app on a fresh SQLite file (or the database in `overrides`); `close()` also removes the folder. */
export async function testApp(
  overrides: Partial<VigilConfig> = {},
  options: BuildOptions = {},
): Promise<VigilApp & { dataDir: string }> {
  const { dir, cleanup } = tempDir();
  const vigil = await buildApp(testConfig(dir, overrides), { startPipeline: false, ...options });
  const close = vigil.close;
  return Object.assign(vigil, {
    dataDir: dir,
    async close() {
      await close();
      cleanup();
    },
  });
}

let counter = 0;
/** A unique batch id. */
export function batchId(): string {
  counter++;
  return `test-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export const SOURCE = {
  service: 'portal-web',
  environment: 'production',
  platform: 'browser',
  sdk: 'test/1.0.0',
} as const;

/** A batch envelope around the given events. */
export function batch(events: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { batchId: batchId(), sentAt: Date.now(), source: SOURCE, events, ...extra };
}
