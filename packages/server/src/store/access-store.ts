import type { IngestKeyRow } from '@vigil/schema';

/** A user's or token's role; each includes what the ones before it may do. */
export type Role = 'viewer' | 'operator' | 'admin';

/** A person who signs in to the dashboard or API. Only the password's scrypt hash is stored. */
export interface UserRecord {
  id: string;
  /** Login name, `[a-z0-9._-]{1,64}`. */
  name: string;
  role: Role;
  /** `scrypt$<logN>$<r>$<p>$<salt b64>$<hash b64>`. */
  passwordHash: string;
  createdAt: number;
  disabledAt: number | null;
}

/** A signed-in browser session; the store holds only the SHA-256 of the session id. */
export interface SessionRecord {
  idHash: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
}

/** An API token. `userId` null marks a token created by configuration (VIGIL_ADMIN_TOKEN, first run). */
export interface ApiTokenRecord {
  id: string;
  tokenHash: string;
  userId: string | null;
  label: string;
  /** The token's scope; the effective role is the lower of this and its user's role. */
  role: Role;
  createdAt: number;
  revokedAt: number | null;
}

/** One audit record. `result` is `pending` only while its request is being handled. */
export interface AuditRecord {
  id: number;
  ts: number;
  /** `user:<name>`, `token:<id>`, `cli`, `system` or `anonymous`. */
  actor: string;
  /** The role the actor acted with ('' when none). */
  role: string;
  /** `METHOD /route/pattern` or a CLI verb like `cli users add`. */
  action: string;
  target: string;
  /** `pending`, `ok`, `denied`, `refused` (bad input, throttled) or `failed`. */
  result: string;
  /** HTTP status of the answer (0 for CLI actions and pending records). */
  status: number;
  ip: string;
  userAgent: string;
}

/** Filters of an audit query; every field optional except the bounds. */
export interface AuditQuery {
  from: number;
  to: number;
  actor?: string;
  action?: string;
  result?: string;
  limit: number;
  /** `asc` or `desc` by time (id breaks ties). */
  order: 'asc' | 'desc';
}

/** An ingest key as listed to admins: everything but its hash (the API's shape, from @vigil/schema). */
export type IngestKeyListing = IngestKeyRow;

/** Columns the user list may be sorted by (an allow-list: sort parameters never reach SQL text). */
export type UserSort = 'name' | 'created' | 'role';

/**
 * Storage for access control and compliance: users, sessions, API tokens, ingest-key
 * revocation, the audit log, settings writes and per-user erasure. Reached as `store.access`;
 * each adapter implements it in its own file (`sqlite-access.ts`, `postgres-access.ts`).
 *
 * @example
 * const user = await store.access.findUserByName('admin');
 */
export interface AccessStore {
  createUser(user: Omit<UserRecord, 'createdAt' | 'disabledAt'>): Promise<UserRecord>;
  findUserByName(name: string): Promise<UserRecord | null>;
  getUser(id: string): Promise<UserRecord | null>;
  listUsers(sort: UserSort): Promise<UserRecord[]>;
  /** Updates the given fields; false when no user has this id. */
  updateUser(id: string, patch: { role?: Role; passwordHash?: string; disabledAt?: number | null }): Promise<boolean>;

  createSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | null>;
  touchSession(idHash: string, at: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of the user; returns how many. */
  deleteUserSessions(userId: string): Promise<number>;
  /** Deletes sessions idle since before `idleBefore` or created before `createdBefore`. */
  deleteExpiredSessions(idleBefore: number, createdBefore: number): Promise<number>;

  createApiToken(token: Omit<ApiTokenRecord, 'createdAt' | 'revokedAt'>): Promise<ApiTokenRecord>;
  /** An active token by hash, or null. */
  findApiToken(tokenHash: string): Promise<ApiTokenRecord | null>;
  /** Tokens (revoked ones included), of one user or (null) of everyone, newest first. */
  listApiTokens(userId: string | null): Promise<ApiTokenRecord[]>;
  getApiToken(id: string): Promise<ApiTokenRecord | null>;
  /** False when the token does not exist or was revoked already. */
  revokeApiToken(id: string, at: number): Promise<boolean>;

  /** Every ingest key, revoked ones included (hashes are not returned). */
  listAllIngestKeys(): Promise<IngestKeyListing[]>;
  /** False when the key does not exist or was revoked already. */
  revokeIngestKey(id: string, at: number): Promise<boolean>;

  /** Inserts or replaces a setting. */
  putSetting(name: string, value: string): Promise<void>;

  /** Appends one record and returns its id. Throws when it cannot be written. */
  appendAudit(record: Omit<AuditRecord, 'id'>): Promise<number>;
  /** Sets the outcome of a `pending` record (no other record can be changed). */
  finishAudit(id: number, outcome: { result: string; status: number; target?: string; actor?: string }): Promise<void>;
  queryAudit(query: AuditQuery): Promise<AuditRecord[]>;

  /** Deletes every error sample of the pseudonymous user; returns how many. */
  eraseUserData(userHash: string): Promise<{ occurrences: number }>;
}
