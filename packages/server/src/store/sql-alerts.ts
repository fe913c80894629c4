import {
  ALERT_COLUMNS,
  type AlertChange,
  type AlertEventRecord,
  type AlertQuery,
  type AlertRecord,
  type AlertStore,
  alertValues,
  type NewOutboxEntry,
  type OutboxRecord,
  type OutboxUpdate,
  type StoredDoc,
  toAlert,
  toAlertEvent,
  toOutbox,
} from './alert-records.js';
import type { StoreRow } from './store-row.js';

/**
 * How `SqlAlerts` reaches a database: `?` placeholders (the PostgreSQL executor numbers them),
 * `batch` runs its statements in one transaction. Each adapter supplies one.
 *
 * @example
 * const exec: SqlExecutor = { all: async (sql, p) => db.prepare(sql).all(...p), run: …, batch: … };
 */
export interface SqlExecutor {
  all(sql: string, params: unknown[]): Promise<StoreRow[]>;
  /** Resolves to the number of rows changed. */
  run(sql: string, params: unknown[]): Promise<number>;
  batch(statements: Array<[string, unknown[]]>): Promise<void>;
}

const UPSERT_ALERT = `INSERT INTO alerts (${ALERT_COLUMNS.join(', ')}) VALUES (${ALERT_COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT (id) DO UPDATE SET ${ALERT_COLUMNS.filter((c) => c !== 'id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')}`;
const INSERT_EVENT = 'INSERT INTO alert_events (alert_id, ts, type, actor, message, data) VALUES (?, ?, ?, ?, ?, ?)';
const INSERT_OUTBOX = `INSERT INTO alert_outbox (dedupe_key, destination, alert_id, kind, payload, status, attempts, next_attempt_at, created_at)
  VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`;

const eventValues = (e: AlertEventRecord): unknown[] => [
  e.alertId,
  e.ts,
  e.type,
  e.actor,
  e.message,
  e.data === null ? null : JSON.stringify(e.data),
];

/**
 * The {@link AlertStore} in portable SQL (SQLite and PostgreSQL accept every statement here);
 * the adapters differ only in their {@link SqlExecutor}.
 *
 * @example
 * const alerts = new SqlAlerts(executor);
 * await alerts.saveAlerts([{ alert, events, outbox }]);
 */
export class SqlAlerts implements AlertStore {
  constructor(private readonly exec: SqlExecutor) {}

  async listDocs(kind: 'rule' | 'channel'): Promise<StoredDoc[]> {
    const rows = await this.exec.all('SELECT id, doc FROM alert_docs WHERE kind = ? ORDER BY id', [kind]);
    return rows.map((r) => ({ id: String(r.id), doc: JSON.parse(String(r.doc)) as Record<string, unknown> }));
  }

  async putDoc(kind: 'rule' | 'channel', doc: StoredDoc, at: number): Promise<void> {
    await this.exec.run(
      `INSERT INTO alert_docs (kind, id, doc, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`,
      [kind, doc.id, JSON.stringify(doc.doc), at],
    );
  }

  async deleteDoc(kind: 'rule' | 'channel', id: string): Promise<boolean> {
    return (await this.exec.run('DELETE FROM alert_docs WHERE kind = ? AND id = ?', [kind, id])) > 0;
  }

  async getSetting(name: string): Promise<string | null> {
    const rows = await this.exec.all('SELECT value FROM alert_settings WHERE name = ?', [name]);
    return rows[0] === undefined ? null : String(rows[0].value);
  }

  async putSetting(name: string, value: string): Promise<void> {
    await this.exec.run(
      'INSERT INTO alert_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      [name, value],
    );
  }

  async saveAlerts(changes: AlertChange[]): Promise<void> {
    const statements: Array<[string, unknown[]]> = [];
    for (const change of changes) {
      statements.push([UPSERT_ALERT, alertValues(change.alert)]);
      for (const e of change.events) statements.push([INSERT_EVENT, eventValues(e)]);
      for (const o of change.outbox) {
        statements.push([
          INSERT_OUTBOX,
          [o.dedupeKey, o.destination, o.alertId, o.kind, JSON.stringify(o.payload), o.createdAt, o.createdAt],
        ]);
      }
    }
    if (statements.length > 0) await this.exec.batch(statements);
  }

  async enqueueOutbox(entries: NewOutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.exec.batch(
      entries.map((o) => [
        INSERT_OUTBOX,
        [o.dedupeKey, o.destination, o.alertId, o.kind, JSON.stringify(o.payload), o.createdAt, o.createdAt],
      ]),
    );
  }

  async getAlert(id: string): Promise<AlertRecord | null> {
    const rows = await this.exec.all('SELECT * FROM alerts WHERE id = ?', [id]);
    return rows[0] === undefined ? null : toAlert(rows[0]);
  }

  async listActiveAlerts(project: string): Promise<AlertRecord[]> {
    const rows = await this.exec.all(
      'SELECT * FROM alerts WHERE project = ? AND resolved_at IS NULL ORDER BY pending_since, id',
      [project],
    );
    return rows.map(toAlert);
  }

  async listAlerts(q: AlertQuery): Promise<AlertRecord[]> {
    const where = ['project = ?', 'pending_since < ?', '(resolved_at IS NULL OR resolved_at >= ?)'];
    const params: unknown[] = [q.project, q.to, q.from];
    const filters: Array<[string, string | undefined]> = [
      ['status', q.status],
      ['severity', q.severity],
      ['type', q.type],
      ['rule_id', q.ruleId],
    ];
    for (const [column, value] of filters) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    params.push(q.limit);
    const rows = await this.exec.all(
      `SELECT * FROM alerts WHERE ${where.join(' AND ')} ORDER BY pending_since DESC, id LIMIT ?`,
      params,
    );
    return rows.map(toAlert);
  }

  async listUndigested(project: string, before: number): Promise<AlertRecord[]> {
    const rows = await this.exec.all(
      `SELECT * FROM alerts WHERE project = ? AND severity = 'low' AND fired_at IS NOT NULL AND fired_at < ?
         AND digested_at IS NULL AND status <> 'dismissed' ORDER BY fired_at, id`,
      [project, before],
    );
    return rows.map(toAlert);
  }

  async listAlertEvents(alertId: string): Promise<AlertEventRecord[]> {
    const rows = await this.exec.all('SELECT * FROM alert_events WHERE alert_id = ? ORDER BY ts, id', [alertId]);
    return rows.map(toAlertEvent);
  }

  async appendAlertEvents(events: AlertEventRecord[]): Promise<void> {
    if (events.length > 0) await this.exec.batch(events.map((e) => [INSERT_EVENT, eventValues(e)]));
  }

  async dueOutbox(now: number, limit: number): Promise<OutboxRecord[]> {
    const rows = await this.exec.all(
      "SELECT * FROM alert_outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
      [now, limit],
    );
    return rows.map(toOutbox);
  }

  async updateOutbox(id: number, u: OutboxUpdate): Promise<void> {
    await this.exec.run(
      'UPDATE alert_outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, sent_at = ? WHERE id = ?',
      [u.status, u.attempts, u.nextAttemptAt, u.lastError, u.sentAt, id],
    );
  }

  async listOutbox(q: { status?: OutboxRecord['status']; limit: number }): Promise<OutboxRecord[]> {
    const rows =
      q.status === undefined
        ? await this.exec.all('SELECT * FROM alert_outbox ORDER BY id DESC LIMIT ?', [q.limit])
        : await this.exec.all('SELECT * FROM alert_outbox WHERE status = ? ORDER BY id DESC LIMIT ?', [
            q.status,
            q.limit,
          ]);
    return rows.map(toOutbox);
  }
}
