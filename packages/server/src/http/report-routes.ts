import { VigilError } from '@vigil/schema';
import type { FastifyInstance } from 'fastify';
import type { ReportArchive } from '../reports/report-archive.js';
import type { ReportService } from '../reports/report-service.js';
import { parseDim, parseRange } from './query-params.js';

const DAY = 86_400_000;

/**
 * Report routes (viewer): `GET /api/v1/reports/:kind?from=&to=&format=json|csv|pdf[&table=]`
 * answered as a download (`Content-Disposition: attachment`), and the scheduled reports kept
 * for download, `GET /api/v1/reports/archive` and `/archive/:id`.
 */
export async function reportRoutes(
  app: FastifyInstance,
  opts: { reports: ReportService; archive: ReportArchive; defaultProject: string; now: () => number },
): Promise<void> {
  app.get('/api/v1/reports/archive', { config: { access: 'viewer' } }, async () => ({
    reports: await opts.archive.list(),
  }));

  app.get('/api/v1/reports/archive/:id', { config: { access: 'viewer' } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const kept = await opts.archive.get(id);
    if (kept === null) throw new VigilError('VIGIL_ERR_NOT_FOUND');
    return reply
      .header('content-type', kept.meta.contentType)
      .header('content-disposition', `attachment; filename="${kept.meta.fileName}"`)
      .send(kept.body);
  });

  app.get('/api/v1/reports/:kind', { config: { access: 'viewer' } }, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const { kind } = request.params as { kind: string };
    const { from, to } = parseRange(q, opts.now(), 7 * DAY);
    const table = parseDim('table', q.table, 64);
    const out = await opts.reports.generate({
      kind,
      from,
      to,
      project: parseDim('project', q.project, 64) ?? opts.defaultProject,
      format: parseDim('format', q.format, 8) ?? 'json',
      ...(table === undefined ? {} : { table }),
    });
    return reply
      .header('content-type', out.contentType)
      .header('content-disposition', `attachment; filename="${out.fileName}"`)
      .send(out.body);
  });
}
