import type pg from 'pg';
import {
  AUDIT_COLUMNS,
  TOKEN_COLUMNS,
  toApiToken,
  toAudit,
  toKeyListing,
  toSession,
  toUser,
  USER_COLUMNS,
  USER_ORDER,
} from './access-rows.js';
import type {
  AccessStore,
  ApiTokenRecord,
  AuditQuery,
  AuditRecord,
  IngestKeyListing,
  Role,
  SessionRecord,
  UserRecord,
  UserSort,
} from './access-store.js';

type Row = Record<string, unknown>;

/**
 * The PostgreSQL {@link AccessStore}, over the pool of a `PostgresStore` (reached as
 * `store.access`). Every statement is parameterised; the only text spliced into SQL comes from
 * allow-lists (`USER_ORDER`, ASC/DESC).
 *
 * @example
 * const access = new PostgresAccess(pool, Date.now);
 */
export class PostgresAccess implements AccessStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number,
  ) {}

  async createUser(user: Omit<UserRecord, 'createdAt' | 'disabledAt'>): Promise<UserRecord> {
    const record: UserRecord = { ...user, createdAt: this.now(), disabledAt: null };
    await this.pool.query('INSERT INTO users (id, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)', [
      record.id,
      record.name,
      record.role,
      record.passwordHash,
      record.createdAt,
    ]);
    return record;
  }

  async findUserByName(name: string): Promise<UserRecord | null> {
    const row = await this.one(`SELECT ${USER_COLUMNS} FROM users WHERE name = $1`, [name]);
    return row === undefined ? null : toUser(row);
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const row = await this.one(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return row === undefined ? null : toUser(row);
  }

  async listUsers(sort: UserSort): Promise<UserRecord[]> {
    const order = USER_ORDER[sort];
    if (order === undefined) throw new Error(`unknown user sort ${String(sort)}`);
    const { rows } = await this.pool.query(
      `SELECT ${USER_COLUMNS} FROM users ORDER BY ${order.replaceAll('name', 'name COLLATE "C"')}`,
    );
    return rows.map((r: Row) => toUser(r));
  }

  async updateUser(id: string, patch: { role?: Role; passwordHash?: string; disabledAt?: number | null }) {
    const result = await this.pool.query(
      `UPDATE users SET role = COALESCE($2, role), password_hash = COALESCE($3, password_hash),
       disabled_at = CASE WHEN $4 THEN $5::bigint ELSE disabled_at END WHERE id = $1`,
      [id, patch.role ?? null, patch.passwordHash ?? null, patch.disabledAt !== undefined, patch.disabledAt ?? null],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async createSession(session: SessionRecord): Promise<void> {
    await this.pool.query('INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4)', [
      session.idHash,
      session.userId,
      session.createdAt,
      session.lastSeenAt,
    ]);
  }

  async getSession(idHash: string): Promise<SessionRecord | null> {
    const row = await this.one('SELECT id_hash, user_id, created_at, last_seen_at FROM sessions WHERE id_hash = $1', [
      idHash,
    ]);
    return row === undefined ? null : toSession(row);
  }

  async touchSession(idHash: string, at: number): Promise<void> {
    await this.pool.query('UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2', [at, idHash]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
  }

  async deleteUserSessions(userId: string): Promise<number> {
    return (await this.pool.query('DELETE FROM sessions WHERE user_id = $1', [userId])).rowCount ?? 0;
  }

  async deleteExpiredSessions(idleBefore: number, createdBefore: number): Promise<number> {
    const result = await this.pool.query('DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2', [
      idleBefore,
      createdBefore,
    ]);
    return result.rowCount ?? 0;
  }

  async createApiToken(token: Omit<ApiTokenRecord, 'createdAt' | 'revokedAt'>): Promise<ApiTokenRecord> {
    const record: ApiTokenRecord = { ...token, createdAt: this.now(), revokedAt: null };
    await this.pool.query(
      'INSERT INTO tokens (id, token_hash, user_id, label, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [record.id, record.tokenHash, record.userId, record.label, record.role, record.createdAt],
    );
    return record;
  }

  async findApiToken(tokenHash: string): Promise<ApiTokenRecord | null> {
    const row = await this.one(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE token_hash = $1 AND revoked_at IS NULL`, [
      tokenHash,
    ]);
    return row === undefined ? null : toApiToken(row);
  }

  async listApiTokens(userId: string | null): Promise<ApiTokenRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE ($1::text IS NULL OR user_id = $1) ORDER BY created_at DESC, id COLLATE "C"`,
      [userId],
    );
    return rows.map((r: Row) => toApiToken(r));
  }

  async getApiToken(id: string): Promise<ApiTokenRecord | null> {
    const row = await this.one(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = $1`, [id]);
    return row === undefined ? null : toApiToken(row);
  }

  async revokeApiToken(id: string, at: number): Promise<boolean> {
    const result = await this.pool.query('UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [
      at,
      id,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  async listAllIngestKeys(): Promise<IngestKeyListing[]> {
    const { rows } = await this.pool.query(
      'SELECT id, project, environment, label, created_at, revoked_at FROM ingest_keys ORDER BY created_at, id COLLATE "C"',
    );
    return rows.map((r: Row) => toKeyListing(r));
  }

  async revokeIngestKey(id: string, at: number): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE ingest_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL',
      [at, id],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async putSetting(name: string, value: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      [name, value],
    );
  }

  async appendAudit(record: Omit<AuditRecord, 'id'>): Promise<number> {
    const row = await this.one(
      `INSERT INTO audit_log (ts, actor, role, action, target, result, status, ip, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        record.ts,
        record.actor,
        record.role,
        record.action,
        record.target,
        record.result,
        record.status,
        record.ip,
        record.userAgent,
      ],
    );
    return Number(row?.id);
  }

  async finishAudit(id: number, outcome: { result: string; status: number; target?: string; actor?: string }) {
    await this.pool.query(
      `UPDATE audit_log SET result = $2, status = $3, target = COALESCE($4, target), actor = COALESCE($5, actor)
       WHERE id = $1 AND result = 'pending'`,
      [id, outcome.result, outcome.status, outcome.target ?? null, outcome.actor ?? null],
    );
  }

  async queryAudit(query: AuditQuery): Promise<AuditRecord[]> {
    const direction = query.order === 'asc' ? 'ASC' : 'DESC';
    const { rows } = await this.pool.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE ts >= $1 AND ts < $2
       AND ($3::text IS NULL OR actor = $3) AND ($4::text IS NULL OR action = $4) AND ($5::text IS NULL OR result = $5)
       ORDER BY ts ${direction}, id ${direction} LIMIT $6`,
      [query.from, query.to, query.actor ?? null, query.action ?? null, query.result ?? null, query.limit],
    );
    return rows.map((r: Row) => toAudit(r));
  }

  async eraseUserData(userHash: string): Promise<{ occurrences: number }> {
    const result = await this.pool.query('DELETE FROM error_occurrences WHERE user_hash = $1', [userHash]);
    return { occurrences: result.rowCount ?? 0 };
  }

  private async one(sql: string, values: unknown[]): Promise<Row | undefined> {
    const { rows } = await this.pool.query(sql, values);
    return rows[0] as Row | undefined;
  }
}
