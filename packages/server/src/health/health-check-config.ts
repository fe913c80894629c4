import type { HealthCheckRecord } from '../store/store.js';

/** A health check definition that failed validation; `field` names the bad field. */
export class HealthCheckInvalid extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field} ${message}`);
    this.name = 'HealthCheckInvalid';
  }
}

const KINDS = new Set(['postgres', 'redis', 'http', 'tcp']);
const FIELDS = new Set([
  'name',
  'kind',
  'target',
  'intervalMillis',
  'timeoutMillis',
  'retries',
  'expectStatus',
  'bodyMatch',
]);
/** Check names are also gauge `service` names. */
const NAME = /^[a-z][a-z0-9_.-]{0,63}$/;
const TARGETS: Record<HealthCheckRecord['kind'], RegExp> = {
  postgres: /^postgres(ql)?:\/\/\S+$/,
  redis: /^rediss?:\/\/\S+$/,
  http: /^https?:\/\/\S+$/,
  tcp: /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/,
};
const TARGET_HINT: Record<HealthCheckRecord['kind'], string> = {
  postgres: 'a postgres:// URL',
  redis: 'a redis:// URL',
  http: 'an http:// or https:// URL',
  tcp: 'host:port',
};

function integer(o: Record<string, unknown>, field: string, min: number, max: number, fallback: number): number {
  const v = o[field] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new HealthCheckInvalid(field, `must be an integer from ${min} to ${max} (got ${JSON.stringify(v)})`);
  }
  return v;
}

/**
 * Compiles a `bodyMatch`: `/pattern/flags` is a regular expression, anything else a substring.
 *
 * @example
 * bodyMatcher('/"status":\\s*"ok"/i')('{"status": "OK"}'); // true
 */
export function bodyMatcher(spec: string): (body: string) => boolean {
  const m = /^\/(.+)\/([dgimsuy]*)$/s.exec(spec);
  if (m === null) return (body) => body.includes(spec);
  const re = new RegExp(m[1] as string, (m[2] as string).replace('g', ''));
  return (body) => re.test(body);
}

function httpFields(o: Record<string, unknown>, kind: string): Pick<HealthCheckRecord, 'expectStatus' | 'bodyMatch'> {
  if (kind !== 'http') {
    for (const f of ['expectStatus', 'bodyMatch']) {
      if (o[f] !== undefined && o[f] !== null) throw new HealthCheckInvalid(f, 'applies to http checks only');
    }
    return { expectStatus: null, bodyMatch: null };
  }
  const expectStatus =
    o.expectStatus === undefined || o.expectStatus === null ? null : integer(o, 'expectStatus', 100, 599, 0);
  let bodyMatch: string | null = null;
  if (o.bodyMatch !== undefined && o.bodyMatch !== null) {
    if (typeof o.bodyMatch !== 'string' || o.bodyMatch === '' || o.bodyMatch.length > 512) {
      throw new HealthCheckInvalid('bodyMatch', 'must be a non-empty string of at most 512 characters');
    }
    try {
      bodyMatcher(o.bodyMatch);
    } catch {
      throw new HealthCheckInvalid('bodyMatch', 'is not a valid /regular expression/');
    }
    bodyMatch = o.bodyMatch;
  }
  return { expectStatus, bodyMatch };
}

/**
 * Validates one health check definition (from the config file or the API) and fills defaults:
 * interval 30 s, timeout 5 s, 3 retries. Throws {@link HealthCheckInvalid} naming the field.
 *
 * @example
 * const check = validateHealthCheck({ name: 'database', kind: 'postgres', target: 'postgres://db/app' });
 */
export function validateHealthCheck(raw: unknown): HealthCheckRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new HealthCheckInvalid('check', 'must be an object');
  }
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!FIELDS.has(key)) throw new HealthCheckInvalid(key, 'is not a known field');
  if (typeof o.name !== 'string' || !NAME.test(o.name)) {
    throw new HealthCheckInvalid('name', 'must match [a-z][a-z0-9_.-]{0,63}');
  }
  if (typeof o.kind !== 'string' || !KINDS.has(o.kind)) {
    throw new HealthCheckInvalid('kind', 'must be one of postgres, redis, http, tcp');
  }
  const kind = o.kind as HealthCheckRecord['kind'];
  if (typeof o.target !== 'string' || o.target.length > 2048 || !TARGETS[kind].test(o.target)) {
    throw new HealthCheckInvalid('target', `must be ${TARGET_HINT[kind]} for a ${kind} check`);
  }
  const intervalMillis = integer(o, 'intervalMillis', 1_000, 86_400_000, 30_000);
  const timeoutMillis = integer(o, 'timeoutMillis', 10, 60_000, 5_000);
  if (timeoutMillis > intervalMillis) throw new HealthCheckInvalid('timeoutMillis', 'must not exceed intervalMillis');
  return {
    name: o.name,
    kind,
    target: o.target,
    intervalMillis,
    timeoutMillis,
    retries: integer(o, 'retries', 1, 100, 3),
    ...httpFields(o, kind),
  };
}

/**
 * The target with any password replaced, for API answers and logs.
 *
 * @example
 * redactTarget('postgres://app:s3cret@db/app'); // 'postgres://app:***@db/app'
 */
export function redactTarget(target: string): string {
  return target.replace(/^([a-z]+:\/\/[^:/@\s]*):[^@\s]*@/i, '$1:***@');
}
