import { describe, expect, it } from 'vitest';
import { type Migration, pendingMigrations } from '../../src/store/migration.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres-migrations.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite-migrations.js';

const step = (version: number): Migration => ({ version, name: `v${version}`, sql: 'SELECT 1' });

describe('pendingMigrations', () => {
  it('returns the steps not applied yet, in version order', () => {
    expect(pendingMigrations([step(3), step(1), step(2)], new Set([1])).map((s) => s.version)).toEqual([2, 3]);
    expect(pendingMigrations([step(1), step(2)], new Set([1, 2]))).toEqual([]);
  });

  it('rejects duplicate or non-positive versions', () => {
    expect(() => pendingMigrations([step(1), step(1)], new Set())).toThrow('bad or duplicate version 1 (v1)');
    expect(() => pendingMigrations([step(0)], new Set())).toThrow('bad or duplicate version 0 (v0)');
  });

  it('refuses a database migrated by a newer server', () => {
    expect(() => pendingMigrations([step(1), step(2)], new Set([1, 2, 5]))).toThrow(
      'Database schema version 5 is newer than this server knows (2)',
    );
  });

  it('keeps both adapters on the same schema versions', () => {
    expect(POSTGRES_MIGRATIONS.map((s) => [s.version, s.name])).toEqual(
      SQLITE_MIGRATIONS.map((s) => [s.version, s.name]),
    );
  });
});
