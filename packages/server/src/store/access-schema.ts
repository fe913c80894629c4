/**
 * Schema step 4 (access and compliance) for both adapters: users, sessions, the audit log, and
 * the owner of each API token. The audit log is append-only in the database itself: triggers
 * refuse DELETE, and UPDATE except the one that settles a `pending` record.
 *
 * @example
 * const sql = accessSchemaSql('sqlite');
 */
export function accessSchemaSql(dialect: 'sqlite' | 'postgres'): string {
  const int = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const serial = dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
  const tables = `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at ${int} NOT NULL,
  disabled_at ${int}
);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at ${int} NOT NULL,
  last_seen_at ${int} NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

ALTER TABLE tokens ADD COLUMN user_id TEXT;

CREATE TABLE audit_log (
  id ${serial},
  ts ${int} NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  result TEXT NOT NULL,
  status INTEGER NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL
);
CREATE INDEX audit_log_ts ON audit_log (ts);
`;
  if (dialect === 'sqlite') {
    return `${tables}
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN OLD.result <> 'pending'
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;
  }
  return `${tables}
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.result = 'pending' THEN RETURN NEW; END IF;
  RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
`;
}
