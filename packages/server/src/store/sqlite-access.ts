import type Database from 'better-sqlite3';
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
 * The SQLite {@link AccessStore}, over the connection of a `SqliteStore` (reached as
 * `store.access`). Statements are prepared once.
 *
 * @example
 * const access = new SqliteAccess(db, Date.now);
 */
export class SqliteAccess implements AccessStore {
  readonly #statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  async createUser(user: Omit<UserRecord, 'createdAt' | 'disabledAt'>): Promise<UserRecord> {
    const record: UserRecord = { ...user, createdAt: this.now(), disabledAt: null };
    this.stmt('INSERT INTO users (id, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(
      record.id,
      record.name,
      record.role,
      record.passwordHash,
      record.createdAt,
    );
    return record;
  }

  async findUserByName(name: string): Promise<UserRecord | null> {
    const row = this.stmt(`SELECT ${USER_COLUMNS} FROM users WHERE name = ?`).get(name) as Row | undefined;
    return row === undefined ? null : toUser(row);
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const row = this.stmt(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id) as Row | undefined;
    return row === undefined ? null : toUser(row);
  }

  async listUsers(sort: UserSort): Promise<UserRecord[]> {
    const order = USER_ORDER[sort];
    if (order === undefined) throw new Error(`unknown user sort ${String(sort)}`);
    return this.stmt(`SELECT ${USER_COLUMNS} FROM users ORDER BY ${order}`)
      .all()
      .map((r) => toUser(r as Row));
  }

  async updateUser(id: string, patch: { role?: Role; passwordHash?: string; disabledAt?: number | null }) {
    const changes = this.stmt(
      `UPDATE users SET role = COALESCE(@role, role), password_hash = COALESCE(@hash, password_hash),
       disabled_at = CASE WHEN @setDisabled = 1 THEN @disabledAt ELSE disabled_at END WHERE id = @id`,
    ).run({
      id,
      role: patch.role ?? null,
      hash: patch.passwordHash ?? null,
      setDisabled: patch.disabledAt === undefined ? 0 : 1,
      disabledAt: patch.disabledAt ?? null,
    }).changes;
    return changes > 0;
  }

  async createSession(session: SessionRecord): Promise<void> {
    this.stmt('INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)').run(
      session.idHash,
      session.userId,
      session.createdAt,
      session.lastSeenAt,
    );
  }

  async getSession(idHash: string): Promise<SessionRecord | null> {
    const row = this.stmt('SELECT id_hash, user_id, created_at, last_seen_at FROM sessions WHERE id_hash = ?').get(
      idHash,
    ) as Row | undefined;
    return row === undefined ? null : toSession(row);
  }

  async touchSession(idHash: string, at: number): Promise<void> {
    this.stmt('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(at, idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.stmt('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  async deleteUserSessions(userId: string): Promise<number> {
    return this.stmt('DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
  }

  async deleteExpiredSessions(idleBefore: number, createdBefore: number): Promise<number> {
    return this.stmt('DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?').run(idleBefore, createdBefore)
      .changes;
  }

  async createApiToken(token: Omit<ApiTokenRecord, 'createdAt' | 'revokedAt'>): Promise<ApiTokenRecord> {
    const record: ApiTokenRecord = { ...token, createdAt: this.now(), revokedAt: null };
    this.stmt('INSERT INTO tokens (id, token_hash, user_id, label, role, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      record.id,
      record.tokenHash,
      record.userId,
      record.label,
      record.role,
      record.createdAt,
    );
    return record;
  }

  async findApiToken(tokenHash: string): Promise<ApiTokenRecord | null> {
    const row = this.stmt(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE token_hash = ? AND revoked_at IS NULL`).get(
      tokenHash,
    ) as Row | undefined;
    return row === undefined ? null : toApiToken(row);
  }

  async listApiTokens(userId: string | null): Promise<ApiTokenRecord[]> {
    return this.stmt(
      `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE (@userId IS NULL OR user_id = @userId) ORDER BY created_at DESC, id`,
    )
      .all({ userId })
      .map((r) => toApiToken(r as Row));
  }

  async getApiToken(id: string): Promise<ApiTokenRecord | null> {
    const row = this.stmt(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`).get(id) as Row | undefined;
    return row === undefined ? null : toApiToken(row);
  }

  async revokeApiToken(id: string, at: number): Promise<boolean> {
    return this.stmt('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0;
  }

  async listAllIngestKeys(): Promise<IngestKeyListing[]> {
    return this.stmt(
      'SELECT id, project, environment, label, created_at, revoked_at FROM ingest_keys ORDER BY created_at, id',
    )
      .all()
      .map((r) => toKeyListing(r as Row));
  }

  async revokeIngestKey(id: string, at: number): Promise<boolean> {
    return (
      this.stmt('UPDATE ingest_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0
    );
  }

  async putSetting(name: string, value: string): Promise<void> {
    this.stmt(
      'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    ).run(name, value);
  }

  async appendAudit(record: Omit<AuditRecord, 'id'>): Promise<number> {
    const info = this.stmt(
      `INSERT INTO audit_log (ts, actor, role, action, target, result, status, ip, user_agent)
       VALUES (@ts, @actor, @role, @action, @target, @result, @status, @ip, @userAgent)`,
    ).run(record);
    return Number(info.lastInsertRowid);
  }

  async finishAudit(id: number, outcome: { result: string; status: number; target?: string; actor?: string }) {
    this.stmt(
      `UPDATE audit_log SET result = @result, status = @status, target = COALESCE(@target, target),
       actor = COALESCE(@actor, actor) WHERE id = @id AND result = 'pending'`,
    ).run({
      id,
      result: outcome.result,
      status: outcome.status,
      target: outcome.target ?? null,
      actor: outcome.actor ?? null,
    });
  }

  async queryAudit(query: AuditQuery): Promise<AuditRecord[]> {
    const direction = query.order === 'asc' ? 'ASC' : 'DESC';
    return this.stmt(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE ts >= @from AND ts < @to
       AND (@actor IS NULL OR actor = @actor) AND (@action IS NULL OR action = @action)
       AND (@result IS NULL OR result = @result)
       ORDER BY ts ${direction}, id ${direction} LIMIT @limit`,
    )
      .all({
        from: query.from,
        to: query.to,
        actor: query.actor ?? null,
        action: query.action ?? null,
        result: query.result ?? null,
        limit: query.limit,
      })
      .map((r) => toAudit(r as Row));
  }

  async eraseUserData(userHash: string): Promise<{ occurrences: number }> {
    return { occurrences: this.stmt('DELETE FROM error_occurrences WHERE user_hash = ?').run(userHash).changes };
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
