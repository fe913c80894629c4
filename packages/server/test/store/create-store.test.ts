import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/create-store.js';
import type { Store } from '../../src/store/store.js';

describe('createStore', () => {
  const dirs: string[] = [];
  const stores: Store[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-create-store-'));
    dirs.push(dir);
    return dir;
  };

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('opens SQLite at <dataDir>/vigil.db, creating the folder, when no URL is given', async () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const store = createStore({ dataDir, durability: 'full' });
    stores.push(store);
    await store.migrate();
    expect(store.name).toBe('sqlite');
    expect(existsSync(join(dataDir, 'vigil.db'))).toBe(true);
  });

  it('opens SQLite for a URL that is not PostgreSQL', () => {
    const store = createStore({ databaseUrl: 'mysql://db/vigil', dataDir: tempDir(), durability: 'normal' });
    stores.push(store);
    expect(store.name).toBe('sqlite');
  });

  it.each(['postgres://u@127.0.0.1:1/x', 'postgresql://u@127.0.0.1:1/x', 'POSTGRES://u@127.0.0.1:1/x'])(
    'opens PostgreSQL for %s without connecting yet',
    (databaseUrl) => {
      const dataDir = join(tempDir(), 'unused');
      const store = createStore({ databaseUrl, dataDir, durability: 'normal' });
      stores.push(store);
      expect(store.name).toBe('postgres');
      expect(store.supportsConcurrentWriters).toBe(true);
      expect(existsSync(dataDir)).toBe(false);
    },
  );
});
