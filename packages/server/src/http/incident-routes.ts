import { VigilError } from '@vigil/schema';
import type { FastifyInstance } from 'fastify';
import { responseTimes } from '../analytics/mttr.js';
import type { IncidentSource, IncidentStatus } from '../store/incident-records.js';
import type { Store } from '../store/store.js';
import { parseDim, parseInteger, parseRange } from './query-params.js';

const DAY = 86_400_000;
const STATUSES = new Set(['open', 'acknowledged', 'resolved']);
const SOURCES = new Set(['detector', 'alert', 'manual']);
/** Most incidents MTTR is computed over in one answer. */
const MTTR_LIMIT = 10_000;

/**
 * Incident routes: the list (overlapping a range), one incident with its timeline, and MTTR /
 * MTTA per severity. Numbers come from `analytics/mttr.ts`.
 */
export async function incidentRoutes(
  app: FastifyInstance,
  opts: { store: Store; defaultProject: string; now: () => number },
): Promise<void> {
  const { store, defaultProject, now } = opts;

  app.get('/api/v1/incidents', { config: { access: 'viewer' } }, async (request) => {
    const q = request.query as Record<string, unknown>;
    const { from, to } = parseRange(q, now(), 7 * DAY);
    const status = parseDim('status', q.status, 16);
    if (status !== undefined && !STATUSES.has(status)) {
      throw new VigilError('VIGIL_ERR_INVALID_QUERY', 'status must be open, acknowledged or resolved');
    }
    const source = parseDim('source', q.source, 16);
    if (source !== undefined && !SOURCES.has(source)) {
      throw new VigilError('VIGIL_ERR_INVALID_QUERY', 'source must be detector, alert or manual');
    }
    const project = parseDim('project', q.project, 64) ?? defaultProject;
    const limit = parseInteger('limit', q.limit, 1, 1000, 100);
    const incidents = await store.listIncidents({
      project,
      from,
      to,
      limit,
      ...(status === undefined ? {} : { status: status as IncidentStatus }),
      ...(source === undefined ? {} : { source: source as IncidentSource }),
    });
    return { project, from, to, incidents };
  });

  app.get('/api/v1/incidents/:id', { config: { access: 'viewer' } }, async (request) => {
    const { id } = request.params as { id: string };
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new VigilError('VIGIL_ERR_NOT_FOUND');
    const incident = await store.getIncident(id);
    if (incident === null) throw new VigilError('VIGIL_ERR_NOT_FOUND');
    return { incident, timeline: await store.listIncidentEvents(id) };
  });

  app.get('/api/v1/mttr', { config: { access: 'viewer' } }, async (request) => {
    const q = request.query as Record<string, unknown>;
    const { from, to } = parseRange(q, now(), 30 * DAY);
    const project = parseDim('project', q.project, 64) ?? defaultProject;
    const incidents = await store.listIncidents({ project, from, to, limit: MTTR_LIMIT });
    return { project, from, to, ...responseTimes(incidents, from, to) };
  });
}
