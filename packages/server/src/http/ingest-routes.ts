import { LIMITS, VigilError } from '@vigil/schema';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Collector } from '../ingest/collector.js';
import type { KeyRing } from '../ingest/key-ring.js';
import type { SelfMetrics } from '../metrics/self-metrics.js';

const CORS_HEADERS = 'authorization, content-type, content-encoding';

function keyFrom(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? m[1] : header;
  }
  const q = (request.query as Record<string, unknown>).key;
  return typeof q === 'string' && q !== '' ? q : undefined;
}

function allowOrigin(reply: FastifyReply, origin: string | undefined): void {
  if (origin === undefined) return;
  reply.header('access-control-allow-origin', origin);
  reply.header('vary', 'origin');
}

/**
 * `POST /api/v1/events` and its CORS preflight. The body arrives as raw bytes (any media type),
 * so the collector can decide on encoding, size and charset itself and answer with coded errors.
 */
export async function ingestRoutes(
  app: FastifyInstance,
  opts: { collector: Collector; keyRing: KeyRing; metrics: SelfMetrics },
): Promise<void> {
  const { collector, keyRing, metrics } = opts;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: LIMITS.maxWireBodyBytes }, (_req, body, done) => {
    done(null, body);
  });

  app.options('/api/v1/events', { config: { access: 'public' } }, async (request, reply) => {
    const origin = request.headers.origin;
    if (origin !== undefined && keyRing.anyProjectAllows(origin)) {
      allowOrigin(reply, origin);
      reply.header('access-control-allow-methods', 'POST');
      reply.header('access-control-allow-headers', CORS_HEADERS);
      reply.header('access-control-max-age', '600');
    }
    return reply.code(204).send();
  });

  app.post('/api/v1/events', { config: { access: 'ingest' } }, async (request, reply) => {
    const started = process.hrtime.bigint();
    const origin = request.headers.origin;
    try {
      const answer = await collector.ingest({
        body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        contentType: request.headers['content-type'],
        contentEncoding: request.headers['content-encoding'],
        key: keyFrom(request),
        origin,
      });
      metrics.batches.inc(1, answer.duplicate ? 'duplicate' : 'accepted');
      allowOrigin(reply, origin);
      return reply.code(202).send(answer);
    } catch (e) {
      if (e instanceof VigilError) {
        metrics.batches.inc(1, 'rejected');
        metrics.rejectedEvents.inc(1, e.code);
        // Let a browser read the coded error when the origin is allowed at all.
        if (origin !== undefined && e.code !== 'VIGIL_ERR_ORIGIN_NOT_ALLOWED' && keyRing.anyProjectAllows(origin)) {
          allowOrigin(reply, origin);
        }
      }
      throw e;
    } finally {
      metrics.batchSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
  });
}
