import { EVENT_TYPES, VigilError } from '@vigil/schema';
import type { FastifyInstance } from 'fastify';
import { autoStep, mergeSeries } from '../analytics/series.js';
import type { Store } from '../store/store.js';
import { parseDim, parseInteger, parseRange } from './query-params.js';

const DAY = 86_400_000;
const METRICS = new Set<string>(EVENT_TYPES);

/**
 * The first read routes: series of merged rollups and error groups. Access is declared per
 * route (`config.access`) and enforced by the app-wide hook in `access-hook.ts`.
 */
export async function readRoutes(
  app: FastifyInstance,
  opts: { store: Store; defaultProject: string; detailedMillis: number; now: () => number },
): Promise<void> {
  const { store, defaultProject, now } = opts;

  app.get('/api/v1/series', { config: { access: 'viewer' } }, async (request) => {
    const q = request.query as Record<string, unknown>;
    const metric = parseDim('metric', q.metric, 32);
    if (metric === undefined || !METRICS.has(metric)) {
      throw new VigilError('VIGIL_ERR_INVALID_QUERY', `metric must be one of ${EVENT_TYPES.join(', ')}`);
    }
    const { from: rawFrom, to } = parseRange(q, now(), DAY);
    const requested = q.step === undefined ? undefined : parseInteger('step', q.step, 60_000, 30 * DAY, 60_000);
    // Past the detailed retention, or for wide steps, read the hourly table.
    const hourly = (requested ?? autoStep(rawFrom, to)) >= 3_600_000 || rawFrom < now() - opts.detailedMillis;
    const unit = hourly ? 3_600_000 : 60_000;
    const from = Math.floor(rawFrom / unit) * unit;
    const step = Math.max(unit, Math.ceil(autoStep(from, to, requested) / unit) * unit);
    const filters = {
      phase: parseDim('phase', q.phase ?? q.page),
      name: parseDim('name', q.name),
      method: parseDim('method', q.method, 8),
      statusClass: parseDim('statusClass', q.statusClass, 4),
      service: parseDim('service', q.service),
      environment: parseDim('environment', q.environment),
    };
    const project = parseDim('project', q.project, 64) ?? defaultProject;
    const records = await store.queryRollups({
      project,
      metric,
      from,
      to,
      resolution: hourly ? 'hour' : 'minute',
      ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
    });
    return {
      project,
      metric,
      ...filters,
      from,
      to,
      step,
      resolution: hourly ? 'hour' : 'minute',
      buckets: mergeSeries(records, from, to, step),
    };
  });

  app.get('/api/v1/errors', { config: { access: 'viewer' } }, async (request) => {
    const q = request.query as Record<string, unknown>;
    const { from, to } = parseRange(q, now(), DAY);
    const limit = parseInteger('limit', q.limit, 1, 500, 50);
    const project = parseDim('project', q.project, 64) ?? defaultProject;
    const groups = await store.listErrorGroups({ project, from, to, limit });
    return { project, from, to, groups };
  });

  app.get('/api/v1/errors/:fingerprint', { config: { access: 'viewer' } }, async (request) => {
    const { fingerprint } = request.params as { fingerprint: string };
    const q = request.query as Record<string, unknown>;
    if (!/^[0-9a-f]{8,64}$/.test(fingerprint)) throw new VigilError('VIGIL_ERR_NOT_FOUND');
    const project = parseDim('project', q.project, 64) ?? defaultProject;
    const limit = parseInteger('limit', q.limit, 1, 100, 20);
    const occurrences = await store.listOccurrences({ project, fingerprint, limit });
    if (occurrences.length === 0) throw new VigilError('VIGIL_ERR_NOT_FOUND');
    return { project, fingerprint, occurrences };
  });
}
