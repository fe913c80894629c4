import type { AuditQuery, AuditRecord } from '../store/access-store.js';
import type { Store } from '../store/store.js';

/** Fields a caller supplies; time comes from the log's clock. */
export type AuditEntry = Omit<AuditRecord, 'id' | 'ts'>;

/** Longest stored text per field: user agents and targets come from clients. */
const MAX_FIELD = 512;
const clip = (s: string): string => (s.length > MAX_FIELD ? s.slice(0, MAX_FIELD) : s);

/**
 * The audit log: one append-only record per mutating request and per login attempt. `begin`
 * writes the record before the action runs (result `pending`); when that write fails the caller
 * must not act. `settle` records the outcome.
 *
 * @example
 * const id = await audit.begin({ actor: 'user:ada', role: 'admin', action: 'POST /api/v1/users', target: 'bob', result: 'pending', status: 0, ip, userAgent });
 * await audit.settle(id, 201);
 */
export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes a record; throws when it cannot be written. */
  begin(entry: AuditEntry): Promise<number> {
    return this.store.access.appendAudit({
      ...entry,
      ts: this.now(),
      target: clip(entry.target),
      userAgent: clip(entry.userAgent),
      action: clip(entry.action),
    });
  }

  /** Sets the outcome of a record written by `begin` with result `pending`. */
  settle(id: number, status: number, extra: { target?: string; actor?: string } = {}): Promise<void> {
    const outcome: { result: string; status: number; target?: string; actor?: string } = {
      result: resultOf(status),
      status,
    };
    if (extra.target !== undefined) outcome.target = clip(extra.target);
    if (extra.actor !== undefined) outcome.actor = extra.actor;
    return this.store.access.finishAudit(id, outcome);
  }

  query(query: AuditQuery): Promise<AuditRecord[]> {
    return this.store.access.queryAudit(query);
  }
}

/**
 * The audit result for an HTTP status: `ok` (< 400), `denied` (401, 403), `refused` (other 4xx:
 * invalid input, throttled, not found) or `failed` (5xx).
 *
 * @example
 * resultOf(403); // 'denied'
 */
export function resultOf(status: number): string {
  if (status < 400) return 'ok';
  if (status === 401 || status === 403) return 'denied';
  return status < 500 ? 'refused' : 'failed';
}

const CSV_COLUMNS: Array<keyof AuditRecord> = [
  'id',
  'ts',
  'actor',
  'role',
  'action',
  'target',
  'result',
  'status',
  'ip',
  'userAgent',
];

function csvCell(value: unknown): string {
  let s = String(value);
  // A cell starting with = + - @ (or tab/CR) is a formula to spreadsheet programs.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Audit records as CSV (RFC 4180, header row, ISO time column added), with formula injection
 * neutralised.
 *
 * @example
 * reply.type('text/csv; charset=utf-8').send(auditCsv(records));
 */
export function auditCsv(records: AuditRecord[]): string {
  const lines = [['time', ...CSV_COLUMNS].join(',')];
  for (const r of records) {
    lines.push([new Date(r.ts).toISOString(), ...CSV_COLUMNS.map((c) => r[c])].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
