import { toAudit } from './access-rows.js';
import type { AuditRecord } from './access-store.js';
import { type AlertRecord, toAlert } from './alert-records.js';
import { type IncidentRecord, toIncident } from './incident-records.js';
import type { SqlExecutor } from './sql-alerts.js';

/** What the maintenance exports read. */
export type ExportKind = 'alerts' | 'incidents' | 'audit';

/** Where the previous page ended: its last row's time and id. */
export interface ExportCursor {
  ts: number;
  id: string | number;
}

/** One page of an export: rows whose time is in `[from, to)`, ordered by (time, id), after `after`. */
export interface ExportPageQuery {
  what: ExportKind;
  /** Ignored for the audit log (it is not per project). */
  project: string;
  from: number;
  to: number;
  after: ExportCursor | null;
  limit: number;
}

/** A page's rows, by kind. */
export type ExportRecord = AlertRecord | IncidentRecord | AuditRecord;

/** Table, time column and id column per kind; the indexes on (project, time) / (time) serve the keyset. */
const SOURCES: Record<ExportKind, { table: string; ts: string; project: boolean; map: (r: never) => ExportRecord }> = {
  alerts: { table: 'alerts', ts: 'pending_since', project: true, map: toAlert as (r: never) => ExportRecord },
  incidents: { table: 'incidents', ts: 'opened_at', project: true, map: toIncident as (r: never) => ExportRecord },
  audit: { table: 'audit_log', ts: 'ts', project: false, map: toAudit as (r: never) => ExportRecord },
};

/**
 * Keyset pagination over alerts, incidents and the audit log for the streamed exports: each
 * page continues strictly after the previous page's (time, id), so pages cost the same however
 * deep the export is and a row is never skipped or repeated. Dialect-neutral SQL (`?`
 * placeholders); each adapter supplies its executor.
 *
 * @example
 * const page = await new SqlExports(exec).page({ what: 'audit', project: 'p', from, to, after: null, limit: 500 });
 */
export class SqlExports {
  constructor(private readonly exec: Pick<SqlExecutor, 'all'>) {}

  async page(q: ExportPageQuery): Promise<ExportRecord[]> {
    const s = SOURCES[q.what];
    // The lower bound starts at the cursor's time so the index seeks there: without it, each
    // page would scan from the start of the range again (quadratic over a year).
    const where = [`${s.ts} >= ?`, `${s.ts} < ?`];
    const params: unknown[] = [q.after === null ? q.from : Math.max(q.from, q.after.ts), q.to];
    if (s.project) {
      where.push('project = ?');
      params.push(q.project);
    }
    if (q.after !== null) {
      where.push(`(${s.ts} > ? OR id > ?)`);
      params.push(q.after.ts, q.after.id);
    }
    params.push(q.limit);
    const rows = await this.exec.all(
      `SELECT * FROM ${s.table} WHERE ${where.join(' AND ')} ORDER BY ${s.ts}, id LIMIT ?`,
      params,
    );
    return rows.map((r) => s.map(r as never));
  }
}
