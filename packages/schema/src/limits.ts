/**
 * Ingest limits of wire protocol v1. Every bound the collector enforces has a name here and a row
 * in `docs/protocol.md`; a test keeps the two in sync.
 *
 * @example
 * if (events.length > LIMITS.maxEventsPerBatch) reject();
 */
export const LIMITS = {
  /** Largest request body, in bytes, after gzip decompression. */
  maxBodyBytes: 1024 * 1024,
  /** Largest request body as sent on the wire (compressed or not). */
  maxWireBodyBytes: 1024 * 1024,
  /** Most events in one batch. */
  maxEventsPerBatch: 1000,
  /** Length of `batchId`: 8 to 64 characters of `[A-Za-z0-9_-]`. */
  minBatchIdLength: 8,
  maxBatchIdLength: 64,
  /** Short identifiers (service, environment, phase, names, methods): trimmed past this. */
  maxNameLength: 128,
  /** Route templates and page paths: trimmed past this. */
  maxRouteLength: 256,
  /** Error messages: trimmed past this. */
  maxMessageLength: 2048,
  /** Stack traces: trimmed past this. */
  maxStackLength: 16 * 1024,
  /** String values inside `attrs` / `context`: trimmed past this. */
  maxAttrValueLength: 512,
  /** Keys of `attrs` / `context`: trimmed past this. */
  maxAttrKeyLength: 64,
  /** Most keys in one attribute object (nested objects count their own keys too). */
  maxAttrCount: 64,
  /** Deepest nesting of objects and arrays inside `attrs` / `context` (the object itself is depth 1). */
  maxAttrDepth: 4,
  /** Most elements of an array inside `attrs` / `context`. */
  maxAttrArrayLength: 32,
  /** Event timestamps more than this far in the future (relative to the server clock) are rejected. */
  maxFutureSkewMillis: 5 * 60 * 1000,
  /** Event timestamps older than this are rejected (the rollups for them may already be downsampled). */
  maxEventAgeMillis: 7 * 24 * 60 * 60 * 1000,
  /** Largest duration accepted for timing/api events: one hour. */
  maxDurationMillis: 60 * 60 * 1000,
} as const;

/** The names of the limits, for documentation and error messages. */
export type LimitName = keyof typeof LIMITS;
