import type { ApiTokenRecord, AuditRecord, IngestKeyListing, Role, SessionRecord, UserRecord } from './access-store.js';

type Row = Record<string, unknown>;

const nullable = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Row mappers shared by both access adapters (int8 columns arrive as strings from `pg`).
 *
 * @example
 * const user = toUser(row);
 */
export function toUser(row: Row): UserRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    role: String(row.role) as Role,
    passwordHash: String(row.password_hash),
    createdAt: Number(row.created_at),
    disabledAt: nullable(row.disabled_at),
  };
}

/**
 * Maps a `sessions` row.
 *
 * @example
 * const session = toSession(row);
 */
export function toSession(row: Row): SessionRecord {
  return {
    idHash: String(row.id_hash),
    userId: String(row.user_id),
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
  };
}

/**
 * Maps a `tokens` row.
 *
 * @example
 * const token = toApiToken(row);
 */
export function toApiToken(row: Row): ApiTokenRecord {
  return {
    id: String(row.id),
    tokenHash: String(row.token_hash),
    userId: row.user_id === null || row.user_id === undefined ? null : String(row.user_id),
    label: String(row.label),
    role: String(row.role) as Role,
    createdAt: Number(row.created_at),
    revokedAt: nullable(row.revoked_at),
  };
}

/**
 * Maps an `ingest_keys` row without its hash.
 *
 * @example
 * const key = toKeyListing(row);
 */
export function toKeyListing(row: Row): IngestKeyListing {
  return {
    id: String(row.id),
    project: String(row.project),
    environment: row.environment === null ? null : String(row.environment),
    label: String(row.label),
    createdAt: Number(row.created_at),
    revokedAt: nullable(row.revoked_at),
  };
}

/**
 * Maps an `audit_log` row.
 *
 * @example
 * const record = toAudit(row);
 */
export function toAudit(row: Row): AuditRecord {
  return {
    id: Number(row.id),
    ts: Number(row.ts),
    actor: String(row.actor),
    role: String(row.role),
    action: String(row.action),
    target: String(row.target),
    result: String(row.result),
    status: Number(row.status),
    ip: String(row.ip),
    userAgent: String(row.user_agent),
  };
}

/** ORDER BY clauses of the user list, by allow-listed sort name. */
export const USER_ORDER: Record<string, string> = {
  name: 'name',
  created: 'created_at, name',
  role: "CASE role WHEN 'admin' THEN 0 WHEN 'operator' THEN 1 ELSE 2 END, name",
};

/** Columns of the tokens table read by both adapters. */
export const TOKEN_COLUMNS = 'id, token_hash, user_id, label, role, created_at, revoked_at';
/** Columns of the users table read by both adapters. */
export const USER_COLUMNS = 'id, name, role, password_hash, created_at, disabled_at';
/** Columns of the audit table read by both adapters. */
export const AUDIT_COLUMNS = 'id, ts, actor, role, action, target, result, status, ip, user_agent';
