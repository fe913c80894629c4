import type { HealthCheckRecord } from '../../store/store.js';
import type { HealthProbe } from './health-probe.js';
import { HttpProbe } from './http-probe.js';
import { PostgresProbe } from './postgres-probe.js';
import { RedisProbe } from './redis-probe.js';
import { TcpProbe } from './tcp-probe.js';

/**
 * The probe adapter for a validated check.
 *
 * @example
 * const probe = createProbe({ name: 'cache', kind: 'redis', target: 'redis://127.0.0.1:6379', intervalMillis: 10_000, timeoutMillis: 2_000, retries: 3, expectStatus: null, bodyMatch: null });
 */
export function createProbe(check: HealthCheckRecord): HealthProbe {
  switch (check.kind) {
    case 'postgres':
      return new PostgresProbe(check.target);
    case 'redis':
      return new RedisProbe(check.target);
    case 'http':
      return new HttpProbe(check);
    case 'tcp':
      return new TcpProbe(check.target);
  }
}
