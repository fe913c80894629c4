import type pg from 'pg';
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

type Db = pg.Pool | pg.PoolClient;

async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((e: Error) => {
      broken = e;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

async function addEvent(db: Db, event: IncidentEventRecord): Promise<void> {
  await db.query('INSERT INTO incident_events (incident_id, ts, type, message, data) VALUES ($1, $2, $3, $4, $5)', [
    event.incidentId,
    event.ts,
    event.type,
    event.message,
    event.data === null ? null : JSON.stringify(event.data),
  ]);
}

/**
 * The PostgreSQL side of incidents and per-minute error counts; `PostgresStore` delegates to it.
 * Status changes and their timeline entry are written in one transaction.
 *
 * @example
 * const incidents = new PostgresIncidents(pool);
 * await incidents.create({ id: 'i1', project: 'default', … }, 'opened by the detector');
 */
export class PostgresIncidents {
  constructor(private readonly pool: pg.Pool) {}

  /** Inserts an incident and its `opened` event; null when the signal already has an unresolved one. */
  create(incident: NewIncident, message: string): Promise<IncidentRecord | null> {
    return inTransaction(this.pool, async (client) => {
      const inserted = await client.query(
        `INSERT INTO incidents (id, project, title, severity, status, source, signal, opened_at, evidence)
         VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8)
         ON CONFLICT (project, signal) WHERE status <> 'resolved' DO NOTHING`,
        [
          incident.id,
          incident.project,
          incident.title,
          incident.severity,
          incident.source,
          incident.signal,
          incident.openedAt,
          JSON.stringify(incident.evidence),
        ],
      );
      if (inserted.rowCount === 0) return null;
      await addEvent(client, {
        incidentId: incident.id,
        ts: incident.openedAt,
        type: 'opened',
        message,
        data: incident.evidence,
      });
      return { ...incident, status: 'open' as const, acknowledgedAt: null, resolvedAt: null };
    });
  }

  /** Moves an incident to acknowledged or resolved (never backwards); null when absent or already there. */
  transition(t: IncidentTransition): Promise<IncidentRecord | null> {
    return inTransaction(this.pool, async (client) => {
      const column = t.status === 'resolved' ? 'resolved_at' : 'acknowledged_at';
      const allowed = t.status === 'resolved' ? "status <> 'resolved'" : "status = 'open'";
      const { rows } = await client.query(
        `UPDATE incidents SET status = $1, ${column} = $2 WHERE id = $3 AND ${allowed} RETURNING *`,
        [t.status, t.at, t.id],
      );
      if (rows.length === 0) return null;
      await addEvent(client, { incidentId: t.id, ts: t.at, type: t.status, message: t.message, data: t.data ?? null });
      return toIncident(rows[0] as StoreRow);
    });
  }

  addEvent(event: IncidentEventRecord): Promise<void> {
    return addEvent(this.pool, event);
  }

  async get(id: string): Promise<IncidentRecord | null> {
    const { rows } = await this.pool.query('SELECT * FROM incidents WHERE id = $1', [id]);
    return rows.length === 0 ? null : toIncident(rows[0] as StoreRow);
  }

  async events(id: string): Promise<IncidentEventRecord[]> {
    const { rows } = await this.pool.query('SELECT * FROM incident_events WHERE incident_id = $1 ORDER BY ts, id', [
      id,
    ]);
    return rows.map((row: StoreRow) => toIncidentEvent(row));
  }

  async list(q: IncidentQuery): Promise<IncidentRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM incidents
       WHERE project = $1 AND opened_at < $3 AND (resolved_at IS NULL OR resolved_at >= $2)
         AND ($4 = '' OR status = $4) AND ($5 = '' OR source = $5)
       ORDER BY opened_at DESC, id COLLATE "C" LIMIT $6`,
      [q.project, q.from, q.to, q.status ?? '', q.source ?? '', q.limit],
    );
    return rows.map((row: StoreRow) => toIncident(row));
  }

  async unresolved(project: string, source: string): Promise<IncidentRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM incidents WHERE project = $1 AND source = $2 AND status <> 'resolved'
       ORDER BY opened_at, id COLLATE "C"`,
      [project, source],
    );
    return rows.map((row: StoreRow) => toIncident(row));
  }

  async errorMinutes(q: { project: string; from: number; to: number }): Promise<ErrorMinuteRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT fingerprint, bucket, count FROM error_minutes
       WHERE project = $1 AND bucket >= $2 AND bucket < $3 ORDER BY bucket, fingerprint COLLATE "C"`,
      [q.project, q.from, q.to],
    );
    return rows.map((r: StoreRow) => ({
      fingerprint: String(r.fingerprint),
      bucket: Number(r.bucket),
      count: Number(r.count),
    }));
  }
}
