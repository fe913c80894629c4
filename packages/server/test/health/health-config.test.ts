import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-health-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function withFile(health: unknown, env: Record<string, string> = {}) {
  const file = path.join(dir, `vigil-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ health }));
  return loadConfig({ VIGIL_CONFIG: file, ...env });
}

function settingOf(health: unknown): string {
  try {
    withFile(health);
    return 'valid';
  } catch (e) {
    return e instanceof ConfigError ? `${e.setting}: ${e.message}` : String(e);
  }
}

describe('health configuration', () => {
  it('defaults to no checks, 10 s sampling, environment production', () => {
    expect(loadConfig({}).health).toEqual({
      environment: 'production',
      sampleIntervalMillis: 10_000,
      mounts: [],
      checks: [],
    });
  });

  it('reads checks, mounts and the environment (VIGIL_ENVIRONMENT wins)', () => {
    const c = withFile(
      {
        environment: 'staging',
        mounts: ['/'],
        checks: [{ name: 'database', kind: 'postgres', target: 'postgres://db/app', intervalMillis: 15_000 }],
      },
      { VIGIL_ENVIRONMENT: 'prod-eu' },
    );
    expect(c.health.environment).toBe('prod-eu');
    expect(c.health.mounts).toEqual(['/']);
    expect(loadConfig({ VIGIL_HEALTH_SAMPLE_INTERVAL_MILLIS: '0' }).health.sampleIntervalMillis).toBe(0);
    expect(c.health.checks).toEqual([
      {
        name: 'database',
        kind: 'postgres',
        target: 'postgres://db/app',
        intervalMillis: 15_000,
        timeoutMillis: 5_000,
        retries: 3,
        expectStatus: null,
        bodyMatch: null,
      },
    ]);
  });

  it('rejects a bad check with a message naming the field', () => {
    expect(
      settingOf({
        checks: [
          { name: 'cache', kind: 'redis', target: 'redis://c' },
          { name: 'x', kind: 'tcp', target: 'nope' },
        ],
      }),
    ).toBe('health.checks[1].target: Invalid configuration: health.checks[1].target must be host:port for a tcp check');
    expect(
      settingOf({
        checks: [
          { name: 'a', kind: 'tcp', target: 'a:1' },
          { name: 'a', kind: 'tcp', target: 'b:1' },
        ],
      }),
    ).toBe('health.checks[1].name: Invalid configuration: health.checks[1].name a is used twice');
    expect(settingOf({ sampleIntervalMillis: 5 })).toBe(
      'health.sampleIntervalMillis: Invalid configuration: health.sampleIntervalMillis must be 0 (off) or an integer from 1000 to 3600000 (VIGIL_HEALTH_SAMPLE_INTERVAL_MILLIS)',
    );
    expect(settingOf({ probes: [] })).toBe(
      'health.probes: Invalid configuration: health.probes is not a known setting',
    );
  });
});
