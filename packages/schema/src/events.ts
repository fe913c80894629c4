/**
 * Wire protocol v1: the batch envelope and the event types an SDK sends to the collector.
 * `docs/protocol.md` is the prose version of this file.
 */

/** Protocol version carried by this package. */
export const PROTOCOL_VERSION = 1;

/** Attribute values: JSON scalars, arrays and objects, bounded by {@link LIMITS}. */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };
/** Free-form attributes on an event. */
export type Attrs = Record<string, AttrValue>;

/** Well-known phases of the learning portal; any other lowercase identifier is accepted too. */
export const KNOWN_PHASES = ['auth', 'content', 'pwa', 'ui', 'api', 'system'] as const;
/** A phase: `auth`, `content`, `pwa`, `ui`, `api`, `system` or another `[a-z][a-z0-9_-]*` name. */
export type Phase = string;

/** Error kinds from the spec. */
export const ERROR_KINDS = ['javascript', 'api', 'auth', 'validation', 'system'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Web vitals. */
export const VITAL_NAMES = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as const;
export type VitalName = (typeof VITAL_NAMES)[number];

/** SDK platforms. */
export const PLATFORMS = ['browser', 'node', 'other'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** HTTP methods accepted on `api` events. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Fields every event may carry. */
export interface BaseEvent {
  /** When it happened, epoch milliseconds. */
  ts: number;
  /** The SDK's session id (per browser tab session or per server process). */
  sessionId?: string;
}

/** A user action: sign-in, course view, PWA install… `userId` is pseudonymised at ingest. */
export interface ActionEvent extends BaseEvent {
  type: 'action';
  phase: Phase;
  name: string;
  userId?: string;
  attrs?: Attrs;
}

/** A named timing in a phase, e.g. `content/video_load` 500 ms. */
export interface TimingEvent extends BaseEvent {
  type: 'timing';
  phase: Phase;
  name: string;
  durationMs: number;
  attrs?: Attrs;
}

/** One API call as seen by the client or the server. */
export interface ApiEvent extends BaseEvent {
  type: 'api';
  /** Route or URL path; ids are templated at ingest (`/api/courses/123` → `/api/courses/:id`). */
  route: string;
  method: HttpMethod;
  /** HTTP status; 0 for a network failure. */
  status: number;
  durationMs: number;
  attrs?: Attrs;
}

/** An error of one of the spec's kinds. */
export interface ErrorEvent extends BaseEvent {
  type: 'error';
  kind: ErrorKind;
  message: string;
  /** Error class name, e.g. `TypeError`. */
  name?: string;
  stack?: string;
  phase?: Phase;
  userId?: string;
  context?: Attrs;
}

/** A web vital measurement; CLS is unitless, the others are milliseconds. */
export interface VitalEvent extends BaseEvent {
  type: 'vital';
  name: VitalName;
  value: number;
  /** Page path, templated like routes. */
  page?: string;
}

/**
 * A resource reading: `memory.percent`, `cpu.percent`, `disk.percent`, `eventloop.delay_ms`…
 * Counters over an interval use the same type: `cache.hits` and `cache.misses` carry the count.
 */
export interface GaugeEvent extends BaseEvent {
  type: 'gauge';
  name: string;
  value: number;
  unit?: string;
  host?: string;
}

/** A satisfaction rating, 1 to 5. */
export interface RatingEvent extends BaseEvent {
  type: 'rating';
  score: number;
  userId?: string;
  attrs?: Attrs;
}

/** Session start or end. */
export interface SessionEvent extends BaseEvent {
  type: 'session';
  action: 'start' | 'end';
  userId?: string;
  /** On `end`: how long the session lasted. */
  durationMs?: number;
}

/** Any event of protocol v1. */
export type VigilEvent =
  | ActionEvent
  | TimingEvent
  | ApiEvent
  | ErrorEvent
  | VitalEvent
  | GaugeEvent
  | RatingEvent
  | SessionEvent;

/** The event type names. */
export const EVENT_TYPES = ['action', 'timing', 'api', 'error', 'vital', 'gauge', 'rating', 'session'] as const;
export type EventType = VigilEvent['type'];

/** Who sent a batch. */
export interface BatchSource {
  service: string;
  environment: string;
  release?: string;
  platform: Platform;
  /** SDK name and version, e.g. `@vigil/sdk/0.1.0`. */
  sdk: string;
}

/**
 * One request to `POST /api/v1/events`.
 *
 * @example
 * const batch: Batch = {
 *   batchId: 'b-01J9ZK3', sentAt: Date.now(),
 *   source: { service: 'portal-web', environment: 'production', platform: 'browser', sdk: '@vigil/sdk/0.1.0' },
 *   events: [{ type: 'action', ts: Date.now(), phase: 'auth', name: 'login' }],
 * };
 */
export interface Batch {
  /** Idempotency key: a retry carries the same id and is stored once. */
  batchId: string;
  sentAt: number;
  /** Optional project name; when present it must be the ingest key's project. */
  project?: string;
  source: BatchSource;
  events: VigilEvent[];
}

/** One rejected event in a 202 answer. */
export interface RejectedEvent {
  index: number;
  code: string;
  message: string;
}

/** The body of a 202 answer. */
export interface IngestAnswer {
  accepted: number;
  rejected: RejectedEvent[];
  /** True when this batchId had been stored before; the answer is the original one. */
  duplicate?: boolean;
}
