import { Readable } from 'node:stream';
import { VigilError } from '@vigil/schema';
import { stringify } from 'csv-stringify/sync';
import type { ExportCursor, ExportKind, ExportRecord } from '../store/sql-exports.js';
import type { Store } from '../store/store.js';

/** The exportable record kinds. */
export const EXPORT_KINDS: readonly ExportKind[] = ['alerts', 'incidents', 'audit'];

/** CSV columns per kind (objects are written as JSON text). */
export const EXPORT_COLUMNS: Record<ExportKind, readonly string[]> = {
  alerts: [
    'id',
    'ruleId',
    'fingerprint',
    'title',
    'type',
    'severity',
    'status',
    'labels',
    'value',
    'threshold',
    'pendingSince',
    'firedAt',
    'resolvedAt',
    'acknowledgedAt',
    'acknowledgedBy',
    'dismissedAt',
    'incidentId',
  ],
  incidents: [
    'id',
    'title',
    'severity',
    'status',
    'source',
    'signal',
    'openedAt',
    'acknowledgedAt',
    'resolvedAt',
    'evidence',
  ],
  audit: ['id', 'ts', 'actor', 'role', 'action', 'target', 'result', 'status', 'ip', 'userAgent'],
};

/** What an export covers. */
export interface ExportRequest {
  what: string;
  project: string;
  from: number;
  to: number;
  format: string;
  /** Rows read per store page (the memory bound). */
  pageSize?: number;
}

const TIME_FIELD: Record<ExportKind, string> = { alerts: 'pendingSince', incidents: 'openedAt', audit: 'ts' };

/** Every page of an export, in (time, id) order, read one page at a time. */
async function* pages(store: Store, what: ExportKind, r: ExportRequest): AsyncGenerator<ExportRecord[]> {
  let after: ExportCursor | null = null;
  const limit = r.pageSize ?? 1_000;
  for (;;) {
    const rows = await store.exportPage({ what, project: r.project, from: r.from, to: r.to, after, limit });
    if (rows.length > 0) yield rows;
    if (rows.length < limit) return;
    const last = rows.at(-1) as ExportRecord & Record<string, unknown>;
    after = { ts: last[TIME_FIELD[what]] as number, id: last.id };
  }
}

const cell = (v: unknown): unknown => (v !== null && typeof v === 'object' ? JSON.stringify(v) : (v ?? ''));

async function* chunks(store: Store, what: ExportKind, r: ExportRequest): AsyncGenerator<string> {
  const columns = EXPORT_COLUMNS[what];
  if (r.format === 'csv') {
    yield stringify([], { header: true, columns: [...columns], record_delimiter: 'windows' });
    for await (const page of pages(store, what, r)) {
      const rows = page.map((x) => columns.map((c) => cell((x as unknown as Record<string, unknown>)[c])));
      yield stringify(rows, { record_delimiter: 'windows' });
    }
    return;
  }
  yield `{"version":1,"what":${JSON.stringify(what)},"project":${JSON.stringify(r.project)},"from":${r.from},"to":${r.to},"rows":[`;
  let first = true;
  for await (const page of pages(store, what, r)) {
    yield `${first ? '\n' : ',\n'}${page.map((x) => JSON.stringify(x)).join(',\n')}`;
    first = false;
  }
  yield '\n]}\n';
}

/**
 * A streamed export of alerts, incidents or the audit log over `[from, to)`, as JSON
 * (`{ version: 1, what, project, from, to, rows: [...] }`) or CSV. The store is read one keyset
 * page at a time, and only when the reader asks for more, so memory stays flat however long
 * the range is.
 *
 * @example
 * reply.send(exportStream(store, { what: 'audit', project, from, to, format: 'csv' }));
 */
export function exportStream(store: Store, r: ExportRequest): Readable {
  if (!(EXPORT_KINDS as readonly string[]).includes(r.what)) {
    throw new VigilError('VIGIL_ERR_NOT_FOUND', `export must be one of ${EXPORT_KINDS.join(', ')}`);
  }
  if (r.format !== 'json' && r.format !== 'csv')
    throw new VigilError('VIGIL_ERR_INVALID_QUERY', 'format must be json or csv');
  return Readable.from(chunks(store, r.what as ExportKind, r), { objectMode: false, highWaterMark: 64 * 1024 });
}
