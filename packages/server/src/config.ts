import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type AlertingConfig,
  AlertingConfigInvalid,
  defaultAlertingConfig,
  parseAlertingConfig,
} from './alerting/alerting-config.js';
import {
  defaultHealthConfig,
  type HealthConfig,
  HealthConfigInvalid,
  parseHealthConfig,
} from './health/health-config.js';
import {
  defaultReportsConfig,
  parseReportsConfig,
  type ReportsConfig,
  ReportsConfigInvalid,
} from './reports/report-config.js';

/**
 * Server configuration. Every field has a default, an environment variable and a key in the
 * optional JSON config file (`VIGIL_CONFIG=path`); `docs/config.md` lists them.
 */
export interface VigilConfig {
  port: number;
  host: string;
  dataDir: string;
  /** `postgres://…` selects PostgreSQL; empty means the embedded SQLite file in `dataDir`. */
  databaseUrl: string | undefined;
  /** PostgreSQL schema for Vigil's tables. */
  databaseSchema: string;
  /** SQLite: `normal` survives a process crash; `full` also survives power loss. */
  durability: 'normal' | 'full';
  /** First-run ingest key of the default project (random when unset). */
  ingestKey: string | undefined;
  /** First-run admin token (random when unset). */
  adminToken: string | undefined;
  /** Password of the first-run `admin` user (random, printed once, when unset). */
  adminPassword: string | undefined;
  /** Trust X-Forwarded-Proto/-For/-Host: set only when a reverse proxy you run is in front. */
  trustProxy: boolean;
  /** PII scrubbing beyond the built-in rules (docs/data-map.md). */
  pii: {
    /** Student ids, replaced by `[student-id]` (empty string: off). */
    studentIdPattern: string;
    /** More regular expressions whose matches become `[redacted]`. */
    extraPatterns: string[];
  };
  defaultProject: string;
  /** Origins allowed to send events to the default project (`*` for any). */
  allowedOrigins: string[];
  ingest: {
    /** Sustained events per second per project before 429. */
    rateLimitEventsPerSecond: number;
    /** Burst allowance of the per-project token bucket, in events. */
    rateLimitBurstEvents: number;
    /** Batches waiting for the journal before new ones get 503. */
    maxPendingBatches: number;
    /** Most batches committed in one journal transaction. */
    maxBatchesPerCommit: number;
    /** Journal rows waiting for the pipeline before ingest answers 503. */
    maxJournalBacklogRows: number;
  };
  pipeline: {
    /** Fold rollups in a worker thread with its own store connection (default true). */
    worker: boolean;
    intervalMillis: number;
    /** Journal rows consumed per pipeline step. */
    rowsPerStep: number;
    /** Distinct names per (project, metric) before new names go to the `__other__` series. */
    maxNamesPerMetric: number;
  };
  retention: {
    detailedDays: number;
    aggregatedDays: number;
  };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Host sampler and service checks (`docs/health.md`). */
  health: HealthConfig;
  /** Rules, channels, escalation and delivery (`docs/alerting.md`). */
  alerting: AlertingConfig;
  /** SLA objectives of the reports (`docs/reports.md`). */
  reports: ReportsConfig;
}

/** A configuration problem; the message names the setting. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`Invalid configuration: ${setting} ${message}`);
    this.name = 'ConfigError';
  }
}

/** Defaults for every setting. */
export function defaultConfig(): VigilConfig {
  return {
    port: 4600,
    host: '127.0.0.1',
    dataDir: path.resolve('data'),
    databaseUrl: undefined,
    databaseSchema: 'public',
    durability: 'normal',
    ingestKey: undefined,
    adminToken: undefined,
    adminPassword: undefined,
    trustProxy: false,
    pii: { studentIdPattern: '\\b[Ss]\\d{7,9}\\b', extraPatterns: [] },
    defaultProject: 'learning-portal',
    allowedOrigins: ['*'],
    ingest: {
      rateLimitEventsPerSecond: 500_000,
      rateLimitBurstEvents: 1_000_000,
      maxPendingBatches: 4_000,
      maxBatchesPerCommit: 512,
      maxJournalBacklogRows: 200_000,
    },
    pipeline: { worker: true, intervalMillis: 1000, rowsPerStep: 200, maxNamesPerMetric: 1000 },
    retention: { detailedDays: 90, aggregatedDays: 365 },
    logLevel: 'info',
    health: defaultHealthConfig(),
    alerting: defaultAlertingConfig(),
    reports: defaultReportsConfig(),
  };
}

type Env = Record<string, string | undefined>;

function int(setting: string, raw: unknown, min: number, max: number): number {
  const n =
    typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(setting, `must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  }
  return n;
}

function secret(setting: string, raw: unknown): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length < 16 || !/^[\x21-\x7e]+$/.test(raw)) {
    throw new ConfigError(setting, 'must be at least 16 printable characters without spaces');
  }
  return raw;
}

function readFileConfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError('VIGIL_CONFIG', `points to a file that cannot be read: ${file} (${(e as Error).message})`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError('VIGIL_CONFIG', `file ${file} is not a JSON object (${(e as Error).message})`);
  }
}

const FILE_KEYS = new Set([
  'port',
  'host',
  'dataDir',
  'databaseUrl',
  'databaseSchema',
  'durability',
  'defaultProject',
  'allowedOrigins',
  'ingest',
  'pipeline',
  'retention',
  'logLevel',
  'trustProxy',
  'pii',
  'health',
  'alerting',
  'reports',
]);

function section(file: Record<string, unknown>, name: string): Record<string, unknown> {
  const v = file[name];
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigError(name, 'must be an object');
  return v as Record<string, unknown>;
}

/**
 * Builds the configuration from defaults, the optional JSON file and the environment (in that
 * order of precedence, the environment winning). Throws {@link ConfigError} naming the setting.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(env: Env, overrides: Partial<VigilConfig> = {}): VigilConfig {
  const c = defaultConfig();
  const file = env.VIGIL_CONFIG ? readFileConfig(env.VIGIL_CONFIG) : {};
  for (const key of Object.keys(file)) {
    if (!FILE_KEYS.has(key)) throw new ConfigError(key, 'is not a known setting');
  }
  const pick = (envName: string, fileValue: unknown): unknown => env[envName] ?? fileValue;

  c.port = int('PORT', pick('PORT', file.port) ?? c.port, 0, 65535);
  const host = pick('VIGIL_HOST', file.host);
  if (host !== undefined) {
    if (typeof host !== 'string' || host === '') throw new ConfigError('VIGIL_HOST', 'must be a host name or address');
    c.host = host;
  }
  const dataDir = pick('VIGIL_DATA_DIR', file.dataDir);
  if (dataDir !== undefined) {
    if (typeof dataDir !== 'string' || dataDir === '') throw new ConfigError('VIGIL_DATA_DIR', 'must be a folder path');
    c.dataDir = path.resolve(dataDir);
  }
  const url = pick('VIGIL_DATABASE_URL', file.databaseUrl);
  if (url !== undefined && url !== '') {
    if (typeof url !== 'string' || !/^(postgres|postgresql):\/\//.test(url)) {
      throw new ConfigError(
        'VIGIL_DATABASE_URL',
        'must be a postgres:// or postgresql:// URL (leave it unset for SQLite)',
      );
    }
    c.databaseUrl = url;
  }
  const schema = pick('VIGIL_DATABASE_SCHEMA', file.databaseSchema);
  if (schema !== undefined) {
    if (typeof schema !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new ConfigError('VIGIL_DATABASE_SCHEMA', 'must be lowercase letters, digits and _ (at most 63)');
    }
    c.databaseSchema = schema;
  }
  const durability = pick('VIGIL_DURABILITY', file.durability);
  if (durability !== undefined) {
    if (durability !== 'normal' && durability !== 'full') {
      throw new ConfigError('VIGIL_DURABILITY', 'must be "normal" or "full"');
    }
    c.durability = durability;
  }
  c.ingestKey = secret('VIGIL_INGEST_KEY', env.VIGIL_INGEST_KEY);
  c.adminToken = secret('VIGIL_ADMIN_TOKEN', env.VIGIL_ADMIN_TOKEN);
  loadAccessConfig(c, env, file);
  const project = pick('VIGIL_DEFAULT_PROJECT', file.defaultProject);
  if (project !== undefined) {
    if (typeof project !== 'string' || !/^[a-z][a-z0-9-]{0,63}$/.test(project)) {
      throw new ConfigError('VIGIL_DEFAULT_PROJECT', 'must match [a-z][a-z0-9-]{0,63}');
    }
    c.defaultProject = project;
  }
  const origins = env.VIGIL_ALLOWED_ORIGINS !== undefined ? env.VIGIL_ALLOWED_ORIGINS.split(',') : file.allowedOrigins;
  if (origins !== undefined) {
    if (
      !Array.isArray(origins) ||
      origins.some((o) => typeof o !== 'string' || !/^(\*|https?:\/\/[^/\s]+)$/.test(o.trim()))
    ) {
      throw new ConfigError(
        'VIGIL_ALLOWED_ORIGINS',
        'must be "*" or comma-separated origins like https://portal.example.com',
      );
    }
    c.allowedOrigins = origins.map((o: string) => o.trim());
  }
  const ingest = section(file, 'ingest');
  c.ingest.rateLimitEventsPerSecond = int(
    'VIGIL_RATE_LIMIT_EVENTS_PER_SECOND',
    pick('VIGIL_RATE_LIMIT_EVENTS_PER_SECOND', ingest.rateLimitEventsPerSecond) ?? c.ingest.rateLimitEventsPerSecond,
    1,
    100_000_000,
  );
  c.ingest.rateLimitBurstEvents = int(
    'ingest.rateLimitBurstEvents',
    ingest.rateLimitBurstEvents ?? Math.max(c.ingest.rateLimitBurstEvents, c.ingest.rateLimitEventsPerSecond),
    1,
    1_000_000_000,
  );
  c.ingest.maxPendingBatches = int(
    'ingest.maxPendingBatches',
    ingest.maxPendingBatches ?? c.ingest.maxPendingBatches,
    1,
    1_000_000,
  );
  c.ingest.maxBatchesPerCommit = int(
    'ingest.maxBatchesPerCommit',
    ingest.maxBatchesPerCommit ?? c.ingest.maxBatchesPerCommit,
    1,
    10_000,
  );
  c.ingest.maxJournalBacklogRows = int(
    'ingest.maxJournalBacklogRows',
    ingest.maxJournalBacklogRows ?? c.ingest.maxJournalBacklogRows,
    1,
    100_000_000,
  );
  const pipeline = section(file, 'pipeline');
  const worker = pick('VIGIL_PIPELINE_WORKER', pipeline.worker);
  if (worker !== undefined) {
    if (worker !== true && worker !== false && worker !== 'true' && worker !== 'false') {
      throw new ConfigError('VIGIL_PIPELINE_WORKER', 'must be true or false');
    }
    c.pipeline.worker = worker === true || worker === 'true';
  }
  c.pipeline.intervalMillis = int(
    'pipeline.intervalMillis',
    pipeline.intervalMillis ?? c.pipeline.intervalMillis,
    10,
    60_000,
  );
  c.pipeline.rowsPerStep = int('pipeline.rowsPerStep', pipeline.rowsPerStep ?? c.pipeline.rowsPerStep, 1, 100_000);
  c.pipeline.maxNamesPerMetric = int(
    'pipeline.maxNamesPerMetric',
    pipeline.maxNamesPerMetric ?? c.pipeline.maxNamesPerMetric,
    1,
    1_000_000,
  );
  const retention = section(file, 'retention');
  c.retention.detailedDays = int(
    'VIGIL_RETENTION_DETAILED_DAYS',
    pick('VIGIL_RETENTION_DETAILED_DAYS', retention.detailedDays) ?? c.retention.detailedDays,
    1,
    3650,
  );
  c.retention.aggregatedDays = int(
    'VIGIL_RETENTION_AGGREGATED_DAYS',
    pick('VIGIL_RETENTION_AGGREGATED_DAYS', retention.aggregatedDays) ?? c.retention.aggregatedDays,
    c.retention.detailedDays,
    3650,
  );
  try {
    c.health = parseHealthConfig(section(file, 'health'), env);
  } catch (e) {
    if (e instanceof HealthConfigInvalid) throw new ConfigError(e.setting, e.message);
    throw e;
  }
  try {
    c.alerting = parseAlertingConfig(section(file, 'alerting'));
  } catch (e) {
    if (e instanceof AlertingConfigInvalid) throw new ConfigError(e.setting, e.message);
    throw e;
  }
  try {
    const emailChannels = c.alerting.channels.filter((ch) => ch.type === 'email').map((ch) => ch.name);
    c.reports = parseReportsConfig(section(file, 'reports'), env, emailChannels);
  } catch (e) {
    if (e instanceof ReportsConfigInvalid) throw new ConfigError(e.setting, e.message);
    throw e;
  }
  const level = pick('VIGIL_LOG_LEVEL', file.logLevel);
  if (level !== undefined) {
    const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
    if (typeof level !== 'string' || !levels.includes(level)) {
      throw new ConfigError('VIGIL_LOG_LEVEL', `must be one of ${levels.join(', ')}`);
    }
    c.logLevel = level as VigilConfig['logLevel'];
  }
  return { ...c, ...overrides };
}

function pattern(setting: string, raw: unknown): string {
  if (typeof raw !== 'string') throw new ConfigError(setting, 'must be a regular expression string');
  try {
    new RegExp(raw, 'g');
  } catch (e) {
    throw new ConfigError(setting, `is not a valid regular expression (${(e as Error).message})`);
  }
  return raw;
}

/** Access and privacy settings: admin password, proxy trust, PII patterns. */
function loadAccessConfig(c: VigilConfig, env: Env, file: Record<string, unknown>): void {
  const password = env.VIGIL_ADMIN_PASSWORD;
  if (password !== undefined && password !== '') {
    if (password.length < 12 || password.length > 256) {
      throw new ConfigError('VIGIL_ADMIN_PASSWORD', 'must be 12 to 256 characters');
    }
    c.adminPassword = password;
  }
  const trust = env.VIGIL_TRUST_PROXY ?? file.trustProxy;
  if (trust !== undefined) {
    if (trust !== true && trust !== false && trust !== 'true' && trust !== 'false') {
      throw new ConfigError('VIGIL_TRUST_PROXY', 'must be true or false');
    }
    c.trustProxy = trust === true || trust === 'true';
  }
  const pii = section(file, 'pii');
  const student = env.VIGIL_PII_STUDENT_ID_PATTERN ?? pii.studentIdPattern;
  if (student !== undefined)
    c.pii.studentIdPattern = student === '' ? '' : pattern('VIGIL_PII_STUDENT_ID_PATTERN', student);
  let extra: unknown = pii.extraPatterns;
  if (env.VIGIL_PII_PATTERNS !== undefined) {
    try {
      extra = JSON.parse(env.VIGIL_PII_PATTERNS);
    } catch {
      throw new ConfigError('VIGIL_PII_PATTERNS', 'must be a JSON array of regular expression strings');
    }
  }
  if (extra !== undefined) {
    if (!Array.isArray(extra))
      throw new ConfigError('VIGIL_PII_PATTERNS', 'must be an array of regular expression strings');
    c.pii.extraPatterns = extra.map((p) => pattern('VIGIL_PII_PATTERNS', p));
  }
}
