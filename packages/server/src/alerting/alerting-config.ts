import { type ChannelConfig, ChannelInvalid, validateChannel } from '../notify/channel-config.js';
import { type DeliveryOptions, defaultDelivery } from '../notify/outbox-dispatcher.js';
import type { AlertSeverity } from '../store/alert-records.js';
import { type AlertRule, RuleInvalid, validateRule } from './alert-rule.js';
import { defaultEscalation, type EscalationConfig, type SeverityPolicy } from './escalation.js';

/** The `alerting` section of the server configuration (`docs/alerting.md`). */
export interface AlertingConfig {
  /** How often every rule is evaluated (also after each pipeline run that folded new data). */
  intervalMillis: number;
  /** How often the live stream (`GET /api/v1/stream`) sends a comment so proxies keep it open. */
  streamHeartbeatMillis: number;
  /** Let webhooks reach loopback, private and link-local addresses (off: SSRF protection). */
  allowPrivateTargets: boolean;
  /** Rules applied at every start (created or replaced by id); the defaults ship on first start. */
  rules: AlertRule[];
  /** Channels applied at every start (created or replaced by name). */
  channels: ChannelConfig[];
  /** When set, replaces the stored escalation matrix and contacts at start. */
  escalation: EscalationConfig | null;
  delivery: DeliveryOptions;
}

/** A bad `alerting` setting; `setting` is its dotted path. */
export class AlertingConfigInvalid extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
    this.name = 'AlertingConfigInvalid';
  }
}

/**
 * Defaults of the `alerting` section.
 *
 * @example
 * defaultAlertingConfig().intervalMillis; // 5000
 */
export function defaultAlertingConfig(): AlertingConfig {
  return {
    intervalMillis: 5_000,
    streamHeartbeatMillis: 15_000,
    allowPrivateTargets: false,
    rules: [],
    channels: [],
    escalation: null,
    delivery: defaultDelivery(),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const SEVERITIES: AlertSeverity[] = ['critical', 'high', 'medium', 'low'];

function names(field: string, v: unknown): string[] {
  if (!Array.isArray(v) || v.length > 64 || v.some((x) => typeof x !== 'string' || x === '' || x.length > 128)) {
    throw new RuleInvalid(field, 'must be a list of names');
  }
  return v as string[];
}

function millis(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw new RuleInvalid(field, `must be an integer from ${min} to ${max}`);
  return v;
}

function policy(field: string, raw: unknown): SeverityPolicy {
  if (!isObject(raw)) throw new RuleInvalid(field, 'must be an object');
  if (!Array.isArray(raw.steps ?? [])) throw new RuleInvalid(`${field}.steps`, 'must be a list');
  const steps = ((raw.steps ?? []) as unknown[]).map((s, i) => {
    if (!isObject(s)) throw new RuleInvalid(`${field}.steps[${i}]`, 'must be an object');
    return {
      afterMillis: millis(`${field}.steps[${i}].afterMillis`, s.afterMillis, 0, 604_800_000),
      notify: names(`${field}.steps[${i}].notify`, s.notify),
    };
  });
  for (let i = 1; i < steps.length; i++) {
    if ((steps[i]?.afterMillis ?? 0) < (steps[i - 1]?.afterMillis ?? 0))
      throw new RuleInvalid(`${field}.steps[${i}].afterMillis`, 'must not be before the previous step');
  }
  const out: SeverityPolicy = { steps };
  if (raw.digest !== undefined && raw.digest !== null) {
    if (!isObject(raw.digest)) throw new RuleInvalid(`${field}.digest`, 'must be an object');
    out.digest = {
      intervalMillis: millis(`${field}.digest.intervalMillis`, raw.digest.intervalMillis, 60_000, 86_400_000),
      notify: names(`${field}.digest.notify`, raw.digest.notify),
    };
  }
  return out;
}

/**
 * Checks an escalation configuration (matrix by severity, contacts, correlation window) from the
 * API or the config file; throws {@link RuleInvalid} naming the field.
 *
 * @example
 * const e = validateEscalation({ matrix: { ... }, contacts: [{ name: 'ada', roles: ['on-call'], channels: ['ada-mail'] }] });
 */
export function validateEscalation(raw: unknown): EscalationConfig {
  if (!isObject(raw)) throw new RuleInvalid('escalation', 'must be an object');
  const d = defaultEscalation();
  const matrixRaw = raw.matrix ?? {};
  if (!isObject(matrixRaw)) throw new RuleInvalid('matrix', 'must be an object');
  for (const k of Object.keys(matrixRaw))
    if (!SEVERITIES.includes(k as AlertSeverity)) throw new RuleInvalid(`matrix.${k}`, 'is not a severity');
  const matrix = { ...d.matrix };
  for (const s of SEVERITIES) if (matrixRaw[s] !== undefined) matrix[s] = policy(`matrix.${s}`, matrixRaw[s]);
  if (!Array.isArray(raw.contacts ?? [])) throw new RuleInvalid('contacts', 'must be a list');
  const contacts = ((raw.contacts ?? []) as unknown[]).map((c, i) => {
    if (!isObject(c) || typeof c.name !== 'string' || c.name === '' || c.name.length > 128) {
      throw new RuleInvalid(`contacts[${i}].name`, 'must be a string of 1 to 128 characters');
    }
    return {
      name: c.name,
      roles: names(`contacts[${i}].roles`, c.roles ?? []),
      channels: names(`contacts[${i}].channels`, c.channels ?? []),
    };
  });
  const window =
    raw.correlationWindowMillis === undefined
      ? d.correlationWindowMillis
      : millis('correlationWindowMillis', raw.correlationWindowMillis, 0, 86_400_000);
  return { matrix, contacts, correlationWindowMillis: window };
}

function list<T>(
  setting: string,
  raw: unknown,
  validate: (x: unknown) => T,
  fieldOf: (e: unknown) => string | null,
): T[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new AlertingConfigInvalid(setting, 'must be a list');
  return raw.map((x, i) => {
    try {
      return validate(x);
    } catch (e) {
      const field = fieldOf(e);
      if (field === null) throw e;
      throw new AlertingConfigInvalid(`${setting}[${i}].${field}`, (e as Error).message.slice(field.length + 1));
    }
  });
}

function delivery(raw: unknown): DeliveryOptions {
  const d = defaultDelivery();
  if (raw === undefined) return d;
  if (!isObject(raw)) throw new AlertingConfigInvalid('alerting.delivery', 'must be an object');
  const bounds: Record<keyof DeliveryOptions, [number, number]> = {
    timeoutMillis: [100, 120_000],
    baseBackoffMillis: [10, 3_600_000],
    maxBackoffMillis: [10, 86_400_000],
    maxAttempts: [1, 1_000],
    pollMillis: [50, 60_000],
  };
  for (const [key, v] of Object.entries(raw)) {
    const b = bounds[key as keyof DeliveryOptions];
    if (b === undefined) throw new AlertingConfigInvalid(`alerting.delivery.${key}`, 'is not a known setting');
    if (typeof v !== 'number' || !Number.isInteger(v) || v < b[0] || v > b[1]) {
      throw new AlertingConfigInvalid(`alerting.delivery.${key}`, `must be an integer from ${b[0]} to ${b[1]}`);
    }
    d[key as keyof DeliveryOptions] = v;
  }
  return d;
}

/**
 * Reads the `alerting` section of the config file; throws {@link AlertingConfigInvalid} naming
 * the setting (e.g. `alerting.rules[2].query.windowMillis`), which `loadConfig` turns into a ConfigError.
 *
 * @example
 * const alerting = parseAlertingConfig({ allowPrivateTargets: true, rules: [...] });
 */
export function parseAlertingConfig(raw: Record<string, unknown>): AlertingConfig {
  const c = defaultAlertingConfig();
  const keys = [
    'intervalMillis',
    'streamHeartbeatMillis',
    'allowPrivateTargets',
    'rules',
    'channels',
    'escalation',
    'delivery',
  ];
  for (const key of Object.keys(raw))
    if (!keys.includes(key)) throw new AlertingConfigInvalid(`alerting.${key}`, 'is not a known setting');
  if (raw.intervalMillis !== undefined) {
    const v = raw.intervalMillis;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 100 || v > 600_000) {
      throw new AlertingConfigInvalid('alerting.intervalMillis', 'must be an integer from 100 to 600000');
    }
    c.intervalMillis = v;
  }
  if (raw.streamHeartbeatMillis !== undefined) {
    const v = raw.streamHeartbeatMillis;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 100 || v > 300_000) {
      throw new AlertingConfigInvalid('alerting.streamHeartbeatMillis', 'must be an integer from 100 to 300000');
    }
    c.streamHeartbeatMillis = v;
  }
  if (raw.allowPrivateTargets !== undefined) {
    if (typeof raw.allowPrivateTargets !== 'boolean')
      throw new AlertingConfigInvalid('alerting.allowPrivateTargets', 'must be true or false');
    c.allowPrivateTargets = raw.allowPrivateTargets;
  }
  c.rules = list('alerting.rules', raw.rules, validateRule, (e) => (e instanceof RuleInvalid ? e.field : null));
  c.channels = list('alerting.channels', raw.channels, validateChannel, (e) =>
    e instanceof ChannelInvalid ? e.field : null,
  );
  if (raw.escalation !== undefined) {
    try {
      c.escalation = validateEscalation(raw.escalation);
    } catch (e) {
      if (!(e instanceof RuleInvalid)) throw e;
      throw new AlertingConfigInvalid(`alerting.escalation.${e.field}`, e.message.slice(e.field.length + 1));
    }
  }
  c.delivery = delivery(raw.delivery);
  return c;
}
