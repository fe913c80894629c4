import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, loadConfig } from '../src/config.js';

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.setting;
    throw e;
  }
  return 'none';
}

describe('loadConfig', () => {
  it('defaults to SQLite in ./data on port 4600 with the learning-portal project', () => {
    const c = loadConfig({});
    expect(c).toEqual(defaultConfig());
    expect(c.port).toBe(4600);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.defaultProject).toBe('learning-portal');
    expect(c.retention).toEqual({ detailedDays: 90, aggregatedDays: 365 });
  });

  it('reads the environment', () => {
    const c = loadConfig({
      PORT: '5000',
      VIGIL_DATA_DIR: '/tmp/vigil-x',
      VIGIL_DATABASE_URL: 'postgres://u@h/db',
      VIGIL_INGEST_KEY: 'vk_0123456789abcdef',
      VIGIL_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      VIGIL_DURABILITY: 'full',
    });
    expect([c.port, c.dataDir, c.databaseUrl, c.ingestKey, c.allowedOrigins, c.durability]).toEqual([
      5000,
      '/tmp/vigil-x',
      'postgres://u@h/db',
      'vk_0123456789abcdef',
      ['https://a.example', 'https://b.example'],
      'full',
    ]);
  });

  it('names the setting when a value is bad', () => {
    expect(errorOf({ PORT: 'eighty' })).toBe('PORT');
    expect(errorOf({ PORT: '70000' })).toBe('PORT');
    expect(errorOf({ VIGIL_DATABASE_URL: 'mysql://x' })).toBe('VIGIL_DATABASE_URL');
    expect(errorOf({ VIGIL_DURABILITY: 'maybe' })).toBe('VIGIL_DURABILITY');
    expect(errorOf({ VIGIL_ADMIN_TOKEN: 'short' })).toBe('VIGIL_ADMIN_TOKEN');
    expect(errorOf({ VIGIL_ALLOWED_ORIGINS: 'not a url' })).toBe('VIGIL_ALLOWED_ORIGINS');
    expect(errorOf({ VIGIL_CONFIG: '/nonexistent/vigil.json' })).toBe('VIGIL_CONFIG');
  });

  it('reads a JSON config file, the environment winning, and rejects unknown keys', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-config-'));
    const file = path.join(dir, 'vigil.json');
    writeFileSync(
      file,
      JSON.stringify({ port: 4700, pipeline: { intervalMillis: 250 }, retention: { detailedDays: 30 } }),
    );
    const c = loadConfig({ VIGIL_CONFIG: file, PORT: '4800' });
    expect([c.port, c.pipeline.intervalMillis, c.retention.detailedDays]).toEqual([4800, 250, 30]);
    writeFileSync(file, JSON.stringify({ prot: 1 }));
    expect(errorOf({ VIGIL_CONFIG: file })).toBe('prot');
    writeFileSync(file, JSON.stringify({ pipeline: { intervalMillis: 1 } }));
    expect(errorOf({ VIGIL_CONFIG: file })).toBe('pipeline.intervalMillis');
  });
});
