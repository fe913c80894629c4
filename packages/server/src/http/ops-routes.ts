import type { FastifyInstance } from 'fastify';
import type { SelfMetrics } from '../metrics/self-metrics.js';
import type { Store } from '../store/store.js';
import { openApiDocument } from './openapi.js';

/** Liveness, readiness, the OpenAPI document and self-metrics. */
export async function opsRoutes(
  app: FastifyInstance,
  opts: { store: Store; metrics: SelfMetrics; pipelineBacklog: () => number },
): Promise<void> {
  const { store, metrics } = opts;
  const document = openApiDocument();

  app.get('/healthz', { config: { access: 'public' } }, async () => ({ status: 'pass' }));

  app.get('/readyz', { config: { access: 'public' } }, async (_request, reply) => {
    try {
      await store.ping();
      return { status: 'pass', store: store.name, journalBacklog: opts.pipelineBacklog() };
    } catch (e) {
      app.log.warn({ err: e }, 'store not ready');
      return reply.code(503).send({ status: 'fail', store: store.name });
    }
  });

  app.get('/api/openapi.json', { config: { access: 'public' } }, async () => document);

  app.get('/metrics', { config: { access: 'admin' } }, async (_request, reply) => {
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render());
  });
}
