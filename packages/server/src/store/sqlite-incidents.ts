import type Database from 'better-sqlite3';
import {
  type IncidentEventRecord,
  type IncidentQuery,
  type IncidentRecord,
  type IncidentTransition,
  type NewIncident,
  toIncident,
  toIncidentEvent,
} from './incident-records.js';
import type { ErrorMinuteRecord } from './store.js';
import type { StoreRow } from './store-row.js';

/**
 * The SQLite side of incidents and per-minute error counts; `SqliteStore` delegates to it.
 * Status changes and their timeline entry are written in one transaction.
 *
 * @example
 * const incidents = new SqliteIncidents(db, (sql) => db.prepare(sql));
 * await incidents.create({ id: 'i1', project: 'default', … });
 */
export class SqliteIncidents {
  constructor(
    private readonly db: Database.Database,
    private readonly stmt: (sql: string) => Database.Statement,
  ) {}

  /** Inserts an incident and its `opened` event; null when the signal already has an unresolved one. */
  create(incident: NewIncident, message: string): IncidentRecord | null {
    return this.db
      .transaction((): IncidentRecord | null => {
        const inserted = this.stmt(
          `INSERT INTO incidents (id, project, title, severity, status, source, signal, opened_at, evidence)
           VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?)
           ON CONFLICT (project, signal) WHERE status <> 'resolved' DO NOTHING`,
        ).run(
          incident.id,
          incident.project,
          incident.title,
          incident.severity,
          incident.source,
          incident.signal,
          incident.openedAt,
          JSON.stringify(incident.evidence),
        );
        if (inserted.changes === 0) return null;
        this.addEvent({
          incidentId: incident.id,
          ts: incident.openedAt,
          type: 'opened',
          message,
          data: incident.evidence,
        });
        return { ...incident, status: 'open', acknowledgedAt: null, resolvedAt: null };
      })
      .immediate();
  }

  /** Moves an incident to acknowledged or resolved (never backwards); null when absent or already there. */
  transition(t: IncidentTransition): IncidentRecord | null {
    return this.db
      .transaction((): IncidentRecord | null => {
        const column = t.status === 'resolved' ? 'resolved_at' : 'acknowledged_at';
        const allowed = t.status === 'resolved' ? "status <> 'resolved'" : "status = 'open'";
        const changed = this.stmt(`UPDATE incidents SET status = ?, ${column} = ? WHERE id = ? AND ${allowed}`).run(
          t.status,
          t.at,
          t.id,
        );
        if (changed.changes === 0) return null;
        this.addEvent({ incidentId: t.id, ts: t.at, type: t.status, message: t.message, data: t.data ?? null });
        return this.get(t.id);
      })
      .immediate();
  }

  addEvent(event: IncidentEventRecord): void {
    this.stmt('INSERT INTO incident_events (incident_id, ts, type, message, data) VALUES (?, ?, ?, ?, ?)').run(
      event.incidentId,
      event.ts,
      event.type,
      event.message,
      event.data === null ? null : JSON.stringify(event.data),
    );
  }

  get(id: string): IncidentRecord | null {
    const row = this.stmt('SELECT * FROM incidents WHERE id = ?').get(id) as StoreRow | undefined;
    return row === undefined ? null : toIncident(row);
  }

  events(id: string): IncidentEventRecord[] {
    return this.stmt('SELECT * FROM incident_events WHERE incident_id = ? ORDER BY ts, id')
      .all(id)
      .map((row) => toIncidentEvent(row as StoreRow));
  }

  list(q: IncidentQuery): IncidentRecord[] {
    return this.stmt(
      `SELECT * FROM incidents
       WHERE project = @project AND opened_at < @to AND (resolved_at IS NULL OR resolved_at >= @from)
         AND (@status = '' OR status = @status) AND (@source = '' OR source = @source)
       ORDER BY opened_at DESC, id LIMIT @limit`,
    )
      .all({
        project: q.project,
        from: q.from,
        to: q.to,
        status: q.status ?? '',
        source: q.source ?? '',
        limit: q.limit,
      })
      .map((row) => toIncident(row as StoreRow));
  }

  unresolved(project: string, source: string): IncidentRecord[] {
    return this.stmt(
      "SELECT * FROM incidents WHERE project = ? AND source = ? AND status <> 'resolved' ORDER BY opened_at, id",
    )
      .all(project, source)
      .map((row) => toIncident(row as StoreRow));
  }

  errorMinutes(q: { project: string; from: number; to: number }): ErrorMinuteRecord[] {
    return this.stmt(
      `SELECT fingerprint, bucket, count FROM error_minutes
       WHERE project = ? AND bucket >= ? AND bucket < ? ORDER BY bucket, fingerprint`,
    )
      .all(q.project, q.from, q.to)
      .map((row) => {
        const r = row as StoreRow;
        return { fingerprint: String(r.fingerprint), bucket: Number(r.bucket), count: Number(r.count) };
      });
  }
}
