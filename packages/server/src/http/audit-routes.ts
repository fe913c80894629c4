import { VigilError } from '@vigil/schema';
import type { FastifyInstance } from 'fastify';
import { type AuditLog, auditCsv } from '../access/audit-log.js';
import { parseDim, parseInteger, parseRange } from './query-params.js';

const RESULTS = new Set(['pending', 'ok', 'denied', 'refused', 'failed']);

function oneOf(name: string, raw: unknown, allowed: readonly string[], fallback: string): string {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !allowed.includes(raw)) {
    throw new VigilError('VIGIL_ERR_INVALID_QUERY', `${name} must be one of ${allowed.join(', ')}`);
  }
  return raw;
}

/**
 * `GET /api/v1/audit` (admin): filter by time, actor, action, result; JSON or CSV export.
 *
 * @example
 * await app.register(auditRoutes, { audit, now: Date.now });
 */
export async function auditRoutes(app: FastifyInstance, opts: { audit: AuditLog; now: () => number }): Promise<void> {
  const { audit, now } = opts;

  app.get('/api/v1/audit', { config: { access: 'admin' } }, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const { from, to } = parseRange(q, now(), 7 * 86_400_000, 4000 * 86_400_000);
    const result = parseDim('result', q.result, 16);
    if (result !== undefined && !RESULTS.has(result)) {
      throw new VigilError('VIGIL_ERR_INVALID_QUERY', `result must be one of ${[...RESULTS].join(', ')}`);
    }
    const order = oneOf('order', q.order, ['asc', 'desc'], 'desc') as 'asc' | 'desc';
    const format = oneOf('format', q.format, ['json', 'csv'], 'json');
    const query = {
      from,
      to,
      limit: parseInteger('limit', q.limit, 1, 10_000, 500),
      order,
      ...(parseDim('actor', q.actor, 200) !== undefined ? { actor: q.actor as string } : {}),
      ...(parseDim('action', q.action, 200) !== undefined ? { action: q.action as string } : {}),
      ...(result !== undefined ? { result } : {}),
    };
    const records = await audit.query(query);
    if (format === 'csv') {
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="vigil-audit.csv"')
        .send(auditCsv(records));
    }
    return { from, to, records };
  });
}
