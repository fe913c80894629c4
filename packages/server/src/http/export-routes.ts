import type { FastifyInstance } from 'fastify';
import { exportStream } from '../reports/export-stream.js';
import { formatTime } from '../reports/report-model.js';
import type { Store } from '../store/store.js';
import { parseDim, parseRange } from './query-params.js';

const DAY = 86_400_000;

/**
 * Maintenance exports (admin): `GET /api/v1/exports/:what?from=&to=&format=json|csv` for
 * `alerts`, `incidents` and `audit`, streamed page by page to the reply.
 */
export async function exportRoutes(
  app: FastifyInstance,
  opts: { store: Store; defaultProject: string; now: () => number },
): Promise<void> {
  app.get('/api/v1/exports/:what', { config: { access: 'admin' } }, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const { what } = request.params as { what: string };
    const { from, to } = parseRange(q, opts.now(), 30 * DAY, 3_660 * DAY);
    const format = parseDim('format', q.format, 8) ?? 'json';
    const project = parseDim('project', q.project, 64) ?? opts.defaultProject;
    const stream = exportStream(opts.store, { what, project, from, to, format });
    const name = `vigil-${what}-${formatTime(from).slice(0, 10)}-${formatTime(to).slice(0, 10)}.${format}`;
    return reply
      .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(stream);
  });
}
