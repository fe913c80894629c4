import type { HealthCheckRecord } from '../store/store.js';
import { HealthCheckInvalid, validateHealthCheck } from './health-check-config.js';

/** The `health` section of the server configuration. */
export interface HealthConfig {
  /** `environment` of the server's own gauges (service `vigil` and the checks). */
  environment: string;
  /** How often the host sampler records its gauges; 0 turns it off. */
  sampleIntervalMillis: number;
  /** Mount points reported besides the data folder's filesystem, as `disk.percent.<mount>`. */
  mounts: string[];
  /** Service checks applied at every start (stored, then manageable through the API). */
  checks: HealthCheckRecord[];
}

/** A bad `health` setting: `setting` is its dotted path, e.g. `health.checks[1].timeoutMillis`. */
export class HealthConfigInvalid extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
    this.name = 'HealthConfigInvalid';
  }
}

/**
 * Defaults of the `health` section.
 *
 * @example
 * const health = defaultHealthConfig();
 */
export function defaultHealthConfig(): HealthConfig {
  return { environment: 'production', sampleIntervalMillis: 10_000, mounts: [], checks: [] };
}

/**
 * Reads the `health` section of the config file (and `VIGIL_ENVIRONMENT`,
 * `VIGIL_HEALTH_SAMPLE_INTERVAL_MILLIS`); throws
 * {@link HealthConfigInvalid} naming the setting, which `loadConfig` turns into a ConfigError.
 *
 * @example
 * const health = parseHealthConfig({ checks: [{ name: 'cache', kind: 'redis', target: 'redis://cache:6379' }] }, process.env);
 */
export function parseHealthConfig(raw: Record<string, unknown>, env: Record<string, string | undefined>): HealthConfig {
  const c = defaultHealthConfig();
  for (const key of Object.keys(raw)) {
    if (!(key in c)) throw new HealthConfigInvalid(`health.${key}`, 'is not a known setting');
  }
  const environment = env.VIGIL_ENVIRONMENT ?? raw.environment;
  if (environment !== undefined) {
    if (typeof environment !== 'string' || !/^[a-z][a-z0-9_.-]{0,63}$/.test(environment)) {
      throw new HealthConfigInvalid('VIGIL_ENVIRONMENT', 'must match [a-z][a-z0-9_.-]{0,63}');
    }
    c.environment = environment;
  }
  const rawInterval = env.VIGIL_HEALTH_SAMPLE_INTERVAL_MILLIS ?? raw.sampleIntervalMillis ?? c.sampleIntervalMillis;
  const interval = typeof rawInterval === 'string' && /^\d+$/.test(rawInterval) ? Number(rawInterval) : rawInterval;
  if (
    typeof interval !== 'number' ||
    !Number.isInteger(interval) ||
    (interval !== 0 && (interval < 1_000 || interval > 3_600_000))
  ) {
    throw new HealthConfigInvalid(
      'health.sampleIntervalMillis',
      'must be 0 (off) or an integer from 1000 to 3600000 (VIGIL_HEALTH_SAMPLE_INTERVAL_MILLIS)',
    );
  }
  c.sampleIntervalMillis = interval;
  const mounts = raw.mounts ?? [];
  if (!Array.isArray(mounts) || mounts.some((m) => typeof m !== 'string' || !m.startsWith('/'))) {
    throw new HealthConfigInvalid('health.mounts', 'must be a list of absolute paths');
  }
  c.mounts = mounts as string[];
  const checks = raw.checks ?? [];
  if (!Array.isArray(checks)) throw new HealthConfigInvalid('health.checks', 'must be a list');
  const names = new Set<string>();
  c.checks = checks.map((check, i) => {
    try {
      const valid = validateHealthCheck(check);
      if (names.has(valid.name)) throw new HealthCheckInvalid('name', `${valid.name} is used twice`);
      names.add(valid.name);
      return valid;
    } catch (e) {
      if (!(e instanceof HealthCheckInvalid)) throw e;
      throw new HealthConfigInvalid(`health.checks[${i}].${e.field}`, e.message.slice(e.field.length + 1));
    }
  });
  return c;
}
