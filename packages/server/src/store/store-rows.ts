import type { IngestAnswer } from '@vigil/schema';
import type { RollupRow, SessionRow } from './plan-commit.js';
import type {
  ErrorGroupRecord,
  IngestKeyRecord,
  OccurrenceRecord,
  ProjectRecord,
  RollupRecord,
  TokenRecord,
} from './store.js';
import type { StoreRow } from './store-row.js';

export type { StoreRow } from './store-row.js';

/**
 * A copied `Uint8Array` of a blob column (drivers hand out pooled Buffers).
 *
 * @example
 * bytes(row.sessions);
 */
export function bytes(value: unknown): Uint8Array {
  return new Uint8Array(value as Uint8Array);
}

/**
 * A blob column, or null.
 *
 * @example
 * nullableBytes(row.sketch);
 */
export function nullableBytes(value: unknown): Uint8Array | null {
  return value === null ? null : bytes(value);
}

/**
 * A text column, or null.
 *
 * @example
 * nullableText(row.stack);
 */
export function nullableText(value: unknown): string | null {
  return value === null ? null : String(value);
}

/**
 * An integer column (number or int8 string), or null.
 *
 * @example
 * nullableNumber(row.revoked_at);
 */
export function nullableNumber(value: unknown): number | null {
  return value === null ? null : Number(value);
}

/**
 * Maps a `projects` row.
 *
 * @example
 * toProject({ name: 'p', allowed_origins: '[]', created_at: '0' });
 */
export function toProject(row: StoreRow): ProjectRecord {
  return {
    name: String(row.name),
    allowedOrigins: JSON.parse(String(row.allowed_origins)) as string[],
    createdAt: Number(row.created_at),
  };
}

/**
 * Maps an `ingest_keys` row.
 *
 * @example
 * toIngestKey(row);
 */
export function toIngestKey(row: StoreRow): IngestKeyRecord {
  return {
    id: String(row.id),
    project: String(row.project),
    keyHash: String(row.key_hash),
    environment: nullableText(row.environment),
    label: String(row.label),
    createdAt: Number(row.created_at),
    revokedAt: nullableNumber(row.revoked_at),
  };
}

/**
 * Maps a `tokens` row.
 *
 * @example
 * toToken(row);
 */
export function toToken(row: StoreRow): TokenRecord {
  return {
    id: String(row.id),
    tokenHash: String(row.token_hash),
    label: String(row.label),
    role: 'admin',
    createdAt: Number(row.created_at),
    revokedAt: nullableNumber(row.revoked_at),
  };
}

/**
 * Maps a rollup table row (`series_id, bucket, count, sum, min, max, sketch`).
 *
 * @example
 * toRollupRow(row);
 */
export function toRollupRow(row: StoreRow): RollupRow {
  return {
    seriesId: Number(row.series_id),
    bucket: Number(row.bucket),
    count: Number(row.count),
    sum: Number(row.sum),
    min: Number(row.min),
    max: Number(row.max),
    sketch: nullableBytes(row.sketch),
  };
}

/**
 * Maps a rollup row joined with its `series` dimensions.
 *
 * @example
 * toRollupRecord(row);
 */
export function toRollupRecord(row: StoreRow): RollupRecord {
  return {
    project: String(row.project),
    bucket: Number(row.bucket),
    key: {
      metric: String(row.metric),
      phase: String(row.phase),
      name: String(row.name),
      method: String(row.method),
      statusClass: String(row.status_class),
      service: String(row.service),
      environment: String(row.environment),
    },
    count: Number(row.count),
    sum: Number(row.sum),
    min: Number(row.min),
    max: Number(row.max),
    sketch: nullableBytes(row.sketch),
  };
}

/**
 * Maps an `error_groups` row with its ranged count in column `n`.
 *
 * @example
 * toErrorGroup(row);
 */
export function toErrorGroup(row: StoreRow): ErrorGroupRecord {
  return {
    fingerprint: String(row.fingerprint),
    kind: String(row.kind),
    errorName: String(row.error_name),
    message: String(row.message),
    phase: String(row.phase),
    service: String(row.service),
    environment: String(row.environment),
    firstSeen: Number(row.first_seen),
    lastSeen: Number(row.last_seen),
    count: Number(row.n),
  };
}

/**
 * Maps an `error_occurrences` row.
 *
 * @example
 * toOccurrence(row);
 */
export function toOccurrence(row: StoreRow): OccurrenceRecord {
  return {
    ts: Number(row.ts),
    message: String(row.message),
    stack: nullableText(row.stack),
    context: nullableText(row.context),
    sessionId: nullableText(row.session_id),
    userHash: nullableText(row.user_hash),
    release: nullableText(row.release),
  };
}

/**
 * Maps a `session_minutes` row.
 *
 * @example
 * toSessionRow(row);
 */
export function toSessionRow(row: StoreRow): SessionRow {
  return {
    project: String(row.project),
    bucket: Number(row.bucket),
    sessions: bytes(row.sessions),
    users: bytes(row.users),
  };
}

/**
 * The stored form of an ingest answer. Nearly every batch is accepted whole, so that common
 * answer is kept as its bare count (`"100"`), a third of the JSON; batch ids are kept for days
 * at thousands per second, so this is most of their footprint.
 *
 * @example
 * encodeAnswer({ accepted: 100, rejected: [] }); // '100'
 */
export function encodeAnswer(answer: IngestAnswer): string {
  return answer.rejected.length === 0 && answer.duplicate === undefined
    ? String(answer.accepted)
    : JSON.stringify(answer);
}

/** Reads an answer written by {@link encodeAnswer}. */
export function decodeAnswer(text: string): IngestAnswer {
  const parsed = JSON.parse(text) as number | IngestAnswer;
  return typeof parsed === 'number' ? { accepted: parsed, rejected: [] } : parsed;
}
