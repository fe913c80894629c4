/**
 * The parse-only baseline for `bench:ingest`: the same HTTP framework, the same raw-body
 * handling and JSON.parse, and nothing else — no auth, validation, scrubbing or storage.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.post('/api/v1/events', async (request, reply) => {
  const batch = JSON.parse((request.body as Buffer).toString('utf8')) as { events: unknown[] };
  return reply.code(202).send({ accepted: batch.events.length, rejected: [] });
});
const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`baseline running at ${address}`);
