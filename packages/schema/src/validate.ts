import { type ErrorCode, VigilError } from './errors.js';
import {
  type Attrs,
  type AttrValue,
  type Batch,
  type BatchSource,
  ERROR_KINDS,
  EVENT_TYPES,
  HTTP_METHODS,
  PLATFORMS,
  type RejectedEvent,
  VITAL_NAMES,
  type VigilEvent,
} from './events.js';
import { LIMITS } from './limits.js';

/** The outcome of validating one batch: its envelope, the valid events, and the rejected ones. */
export interface ValidatedBatch {
  batch: Omit<Batch, 'events'>;
  events: VigilEvent[];
  rejected: RejectedEvent[];
}

const BATCH_ID = /^[A-Za-z0-9_-]+$/;
const IDENT = /^[a-z][a-z0-9_.-]*$/;
/** Session ids are random tokens made by the SDK; the narrow alphabet keeps PII out of them. */
const SESSION_ID = /^[A-Za-z0-9_-]{4,128}$/;
const ENVELOPE_FIELDS = new Set(['batchId', 'sentAt', 'project', 'source', 'events']);
const SOURCE_FIELDS = new Set(['service', 'environment', 'release', 'platform', 'sdk']);
const COMMON = ['type', 'ts', 'sessionId'];
const FIELDS: Record<string, Set<string>> = {
  action: new Set([...COMMON, 'phase', 'name', 'userId', 'attrs']),
  timing: new Set([...COMMON, 'phase', 'name', 'durationMs', 'attrs']),
  api: new Set([...COMMON, 'route', 'method', 'status', 'durationMs', 'attrs']),
  error: new Set([...COMMON, 'kind', 'message', 'name', 'stack', 'phase', 'userId', 'context']),
  vital: new Set([...COMMON, 'name', 'value', 'page']),
  gauge: new Set([...COMMON, 'name', 'value', 'unit', 'host']),
  rating: new Set([...COMMON, 'score', 'userId', 'attrs']),
  session: new Set([...COMMON, 'action', 'userId', 'durationMs']),
};
const EVENT_TYPE_SET = new Set<string>(EVENT_TYPES);
const ERROR_KIND_SET = new Set<string>(ERROR_KINDS);
const VITAL_SET = new Set<string>(VITAL_NAMES);
const METHOD_SET = new Set<string>(HTTP_METHODS);
const PLATFORM_SET = new Set<string>(PLATFORMS);
const SESSION_ACTIONS = new Set(['start', 'end']);

/** Thrown inside event validation; caught per event and turned into a `rejected[]` entry. */
class EventReject {
  constructor(
    readonly code: ErrorCode,
    readonly message: string,
  ) {}
}

/**
 * Removes NUL characters (which PostgreSQL text cannot hold) and trims a string to `max`
 * UTF-16 units without splitting a surrogate pair.
 */
export function cleanString(value: string, max: number): string {
  let s = value.indexOf('\u0000') === -1 ? value : value.replaceAll('\u0000', '');
  if (s.length > max) {
    let end = max;
    const last = s.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    s = s.slice(0, end);
  }
  return s;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, field: string, max: number, required: boolean): string | undefined {
  const v = o[field];
  if (v === undefined || v === null) {
    if (required) throw new EventReject('VIGIL_ERR_EVENT_MISSING_FIELD', `${field} is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw new EventReject('VIGIL_ERR_EVENT_INVALID_FIELD', `${field} must be a string`);
  const s = cleanString(v, max);
  if (required && s.length === 0) throw new EventReject('VIGIL_ERR_EVENT_MISSING_FIELD', `${field} is empty`);
  return s;
}

function num(
  o: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
  required: boolean,
): number | undefined {
  const v = o[field];
  if (v === undefined || v === null) {
    if (required) throw new EventReject('VIGIL_ERR_EVENT_MISSING_FIELD', `${field} is required`);
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new EventReject('VIGIL_ERR_EVENT_INVALID_FIELD', `${field} must be a number from ${min} to ${max}`);
  }
  return v;
}

function ident(o: Record<string, unknown>, field: string, required: boolean): string | undefined {
  const s = str(o, field, LIMITS.maxNameLength, required);
  if (s !== undefined && !IDENT.test(s)) {
    throw new EventReject('VIGIL_ERR_EVENT_INVALID_FIELD', `${field} must match ${IDENT.source}`);
  }
  return s;
}

function oneOf<T extends string>(
  o: Record<string, unknown>,
  field: string,
  set: Set<string>,
  required: boolean,
): T | undefined {
  const v = o[field];
  if (v === undefined || v === null) {
    if (required) throw new EventReject('VIGIL_ERR_EVENT_MISSING_FIELD', `${field} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || !set.has(v)) {
    throw new EventReject('VIGIL_ERR_EVENT_INVALID_FIELD', `${field} must be one of ${[...set].join(', ')}`);
  }
  return v as T;
}

/**
 * Copies an attribute object with bounded depth, key count, array length and string length.
 * Iteration is bounded by the limits, so a 10,000-deep input costs no more than a 4-deep one.
 */
export function cleanAttrs(value: unknown, field: string): Attrs | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new EventReject('VIGIL_ERR_EVENT_ATTRS', `${field} must be an object`);
  const budget = { keys: LIMITS.maxAttrCount };
  return cleanObject(value, 1, budget, field);
}

function cleanObject(o: Record<string, unknown>, depth: number, budget: { keys: number }, field: string): Attrs {
  const out: Attrs = {};
  for (const key in o) {
    if (!Object.hasOwn(o, key)) continue;
    if (budget.keys-- <= 0) {
      throw new EventReject('VIGIL_ERR_EVENT_ATTRS', `${field} has more than ${LIMITS.maxAttrCount} keys`);
    }
    const k = cleanString(key, LIMITS.maxAttrKeyLength);
    if (k === '__proto__') continue;
    out[k] = cleanValue(o[key], depth, budget, field);
  }
  return out;
}

function cleanValue(v: unknown, depth: number, budget: { keys: number }, field: string): AttrValue {
  if (typeof v === 'string') return cleanString(v, LIMITS.maxAttrValueLength);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean' || v === null) return v;
  if (depth >= LIMITS.maxAttrDepth) {
    throw new EventReject('VIGIL_ERR_EVENT_ATTRS', `${field} is nested deeper than ${LIMITS.maxAttrDepth}`);
  }
  if (Array.isArray(v)) {
    const n = Math.min(v.length, LIMITS.maxAttrArrayLength);
    const arr: AttrValue[] = new Array(n);
    for (let i = 0; i < n; i++) arr[i] = cleanValue(v[i], depth + 1, budget, field);
    return arr;
  }
  if (isObject(v)) return cleanObject(v, depth + 1, budget, field);
  return null;
}

function checkFields(o: Record<string, unknown>, allowed: Set<string>): void {
  for (const key in o) {
    if (!allowed.has(key)) {
      throw new EventReject('VIGIL_ERR_EVENT_UNKNOWN_FIELD', `unknown field ${cleanString(key, 64)}`);
    }
  }
}

/**
 * Validates and normalises one event. Returns the clean copy or throws an {@link EventReject}.
 */
function validateEvent(raw: unknown, now: number): VigilEvent {
  if (!isObject(raw)) throw new EventReject('VIGIL_ERR_EVENT_NOT_OBJECT', 'event must be an object');
  const type = raw.type;
  if (typeof type !== 'string' || !EVENT_TYPE_SET.has(type)) {
    throw new EventReject('VIGIL_ERR_EVENT_UNKNOWN_TYPE', `type must be one of ${EVENT_TYPES.join(', ')}`);
  }
  checkFields(raw, FIELDS[type] as Set<string>);
  const ts = num(raw, 'ts', 0, Number.MAX_SAFE_INTEGER, true) as number;
  if (ts > now + LIMITS.maxFutureSkewMillis || ts < now - LIMITS.maxEventAgeMillis) {
    throw new EventReject('VIGIL_ERR_EVENT_TIMESTAMP', 'ts is outside the accepted window');
  }
  const sessionId = str(raw, 'sessionId', LIMITS.maxNameLength, false);
  if (sessionId !== undefined && !SESSION_ID.test(sessionId)) {
    throw new EventReject('VIGIL_ERR_EVENT_INVALID_FIELD', `sessionId must match ${SESSION_ID.source}`);
  }
  // Objects are built field by field, optional fields only when present: no spreads and no
  // `delete`, which would turn the hot objects into slow dictionaries before JSON.stringify.
  const e = buildEvent(type, raw, Math.floor(ts)) as VigilEvent & Record<string, unknown>;
  if (sessionId !== undefined) e.sessionId = sessionId;
  return e;
}

function put(o: Record<string, unknown>, field: string, value: unknown): void {
  if (value !== undefined) o[field] = value;
}

function buildEvent(type: string, raw: Record<string, unknown>, ts: number): Record<string, unknown> {
  const dur = LIMITS.maxDurationMillis;
  const e: Record<string, unknown> = { type, ts };
  switch (type) {
    case 'action':
      e.phase = ident(raw, 'phase', true);
      e.name = str(raw, 'name', LIMITS.maxNameLength, true);
      put(e, 'userId', str(raw, 'userId', LIMITS.maxNameLength, false));
      put(e, 'attrs', cleanAttrs(raw.attrs, 'attrs'));
      return e;
    case 'timing':
      e.phase = ident(raw, 'phase', true);
      e.name = str(raw, 'name', LIMITS.maxNameLength, true);
      e.durationMs = num(raw, 'durationMs', 0, dur, true);
      put(e, 'attrs', cleanAttrs(raw.attrs, 'attrs'));
      return e;
    case 'api':
      e.route = str(raw, 'route', LIMITS.maxRouteLength, true);
      e.method = oneOf(raw, 'method', METHOD_SET, true);
      e.status = integer(raw, 'status', 0, 599);
      e.durationMs = num(raw, 'durationMs', 0, dur, true);
      put(e, 'attrs', cleanAttrs(raw.attrs, 'attrs'));
      return e;
    case 'error':
      e.kind = oneOf(raw, 'kind', ERROR_KIND_SET, true);
      e.message = str(raw, 'message', LIMITS.maxMessageLength, true);
      put(e, 'name', str(raw, 'name', LIMITS.maxNameLength, false));
      put(e, 'stack', str(raw, 'stack', LIMITS.maxStackLength, false));
      put(e, 'phase', ident(raw, 'phase', false));
      put(e, 'userId', str(raw, 'userId', LIMITS.maxNameLength, false));
      put(e, 'context', cleanAttrs(raw.context, 'context'));
      return e;
    case 'vital':
      e.name = oneOf(raw, 'name', VITAL_SET, true);
      e.value = num(raw, 'value', 0, dur, true);
      put(e, 'page', str(raw, 'page', LIMITS.maxRouteLength, false));
      return e;
    case 'gauge':
      e.name = ident(raw, 'name', true);
      e.value = num(raw, 'value', -Number.MAX_VALUE, Number.MAX_VALUE, true);
      put(e, 'unit', str(raw, 'unit', LIMITS.maxNameLength, false));
      put(e, 'host', str(raw, 'host', LIMITS.maxNameLength, false));
      return e;
    case 'rating':
      e.score = num(raw, 'score', 1, 5, true);
      put(e, 'userId', str(raw, 'userId', LIMITS.maxNameLength, false));
      put(e, 'attrs', cleanAttrs(raw.attrs, 'attrs'));
      return e;
    default:
      e.action = oneOf(raw, 'action', SESSION_ACTIONS, true);
      put(e, 'userId', str(raw, 'userId', LIMITS.maxNameLength, false));
      put(e, 'durationMs', num(raw, 'durationMs', 0, Number.MAX_SAFE_INTEGER, false));
      return e;
  }
}

function integer(o: Record<string, unknown>, field: string, min: number, max: number): number {
  const v = num(o, field, min, max, true) as number;
  if (!Number.isInteger(v)) throw new EventReject('VIGIL_ERR_EVENT_INVALID_FIELD', `${field} must be an integer`);
  return v;
}

function envelopeError(detail: string): VigilError {
  return new VigilError('VIGIL_ERR_INVALID_BATCH', detail);
}

function validateSource(raw: unknown): BatchSource {
  if (!isObject(raw)) throw envelopeError('source must be an object');
  for (const key in raw) {
    if (!SOURCE_FIELDS.has(key)) throw envelopeError(`source has unknown field ${cleanString(key, 64)}`);
  }
  const field = (name: string, required: boolean): string | undefined => {
    const v = raw[name];
    if (v === undefined || v === null) {
      if (required) throw envelopeError(`source.${name} is required`);
      return undefined;
    }
    if (typeof v !== 'string' || v.length === 0) throw envelopeError(`source.${name} must be a non-empty string`);
    return cleanString(v, LIMITS.maxNameLength);
  };
  const platform = field('platform', true) as string;
  if (!PLATFORM_SET.has(platform)) throw envelopeError(`source.platform must be one of ${PLATFORMS.join(', ')}`);
  const source: BatchSource = {
    service: field('service', true) as string,
    environment: field('environment', true) as string,
    platform: platform as BatchSource['platform'],
    sdk: field('sdk', true) as string,
  };
  const release = field('release', false);
  if (release !== undefined) source.release = release;
  return source;
}

/**
 * Validates a parsed batch. Envelope problems throw a {@link VigilError} (the whole request
 * fails); event problems reject that event only and keep its valid siblings.
 *
 * @example
 * const { batch, events, rejected } = validateBatch(JSON.parse(body), Date.now());
 */
export function validateBatch(raw: unknown, now: number): ValidatedBatch {
  if (!isObject(raw)) throw envelopeError('the body must be a JSON object');
  for (const key in raw) {
    if (!ENVELOPE_FIELDS.has(key)) throw envelopeError(`unknown field ${cleanString(key, 64)}`);
  }
  const { batchId, sentAt, project, events } = raw;
  if (
    typeof batchId !== 'string' ||
    batchId.length < LIMITS.minBatchIdLength ||
    batchId.length > LIMITS.maxBatchIdLength ||
    !BATCH_ID.test(batchId)
  ) {
    throw envelopeError(
      `batchId must be ${LIMITS.minBatchIdLength}-${LIMITS.maxBatchIdLength} characters of [A-Za-z0-9_-]`,
    );
  }
  if (typeof sentAt !== 'number' || !Number.isFinite(sentAt) || sentAt < 0) {
    throw envelopeError('sentAt must be epoch milliseconds');
  }
  if (project !== undefined && (typeof project !== 'string' || project.length === 0)) {
    throw envelopeError('project must be a non-empty string');
  }
  const source = validateSource(raw.source);
  if (!Array.isArray(events)) throw envelopeError('events must be an array');
  if (events.length > LIMITS.maxEventsPerBatch) {
    throw new VigilError(
      'VIGIL_ERR_BATCH_TOO_LARGE',
      `the batch has ${events.length} events; the limit is ${LIMITS.maxEventsPerBatch}`,
    );
  }
  const valid: VigilEvent[] = [];
  const rejected: RejectedEvent[] = [];
  for (let i = 0; i < events.length; i++) {
    try {
      valid.push(validateEvent(events[i], now));
    } catch (e) {
      if (!(e instanceof EventReject)) throw e;
      rejected.push({ index: i, code: e.code, message: e.message });
    }
  }
  const batch: Omit<Batch, 'events'> = { batchId, sentAt, source };
  if (typeof project === 'string') batch.project = cleanString(project, LIMITS.maxNameLength);
  return { batch, events: valid, rejected };
}
