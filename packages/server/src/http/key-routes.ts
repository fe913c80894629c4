import { VigilError } from '@vigil/schema';
import type { FastifyInstance } from 'fastify';
import { hashCredential, newCredential, newId } from '../access/credentials.js';
import type { KeyRing } from '../ingest/key-ring.js';
import type { Store } from '../store/store.js';
import { jsonBody, optionalString, requiredString } from './body-fields.js';

const PROJECT = /^[a-z][a-z0-9-]{0,63}$/;
const ORIGIN = /^(\*|https?:\/\/[^/\s]+)$/;

function origins(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > 100 || value.some((o) => typeof o !== 'string' || !ORIGIN.test(o))) {
    throw new VigilError(
      'VIGIL_ERR_INVALID_INPUT',
      'allowedOrigins must be "*" or origins like https://portal.example.com',
    );
  }
  return value as string[];
}

/**
 * `/api/v1/keys` and `/api/v1/projects` (admin): ingest keys per project and environment, and
 * each project's allowed browser origins. A revoked key is refused at once on this node and
 * within the key ring's refresh interval (5 s) on every other.
 *
 * @example
 * await app.register(keyRoutes, { store, keyRing, now: Date.now });
 */
export async function keyRoutes(
  app: FastifyInstance,
  opts: { store: Store; keyRing: KeyRing; now: () => number },
): Promise<void> {
  const { store, keyRing, now } = opts;

  app.get('/api/v1/keys', { config: { access: 'admin' } }, async () => ({
    keys: await store.access.listAllIngestKeys(),
  }));

  app.post('/api/v1/keys', { config: { access: 'admin' } }, async (request, reply) => {
    const body = jsonBody(request);
    const project = requiredString(body, 'project', 64);
    if (!PROJECT.test(project))
      throw new VigilError('VIGIL_ERR_INVALID_INPUT', 'project must match [a-z][a-z0-9-]{0,63}');
    const environment = optionalString(body, 'environment', 64) ?? null;
    const label = requiredString(body, 'label', 128);
    const existing = (await store.listProjects()).find((p) => p.name === project);
    if (existing === undefined || body.allowedOrigins !== undefined) {
      await store.upsertProject({ name: project, allowedOrigins: origins(body.allowedOrigins ?? []) });
    }
    const key = newCredential('vk');
    const id = newId();
    await store.createIngestKey({ id, project, keyHash: hashCredential(key), environment, label });
    request.auditTarget = `key:${id}`;
    await keyRing.refresh();
    // Shown once: only the hash is stored.
    return reply.code(201).send({ key, id, project, environment, label });
  });

  app.delete('/api/v1/keys/:id', { config: { access: 'admin' } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!(await store.access.revokeIngestKey(id, now()))) throw new VigilError('VIGIL_ERR_NOT_FOUND');
    await keyRing.refresh();
    return reply.code(204).send();
  });

  app.get('/api/v1/projects', { config: { access: 'admin' } }, async () => ({ projects: await store.listProjects() }));

  app.put('/api/v1/projects/:name', { config: { access: 'admin' } }, async (request) => {
    const { name } = request.params as { name: string };
    if (!PROJECT.test(name)) throw new VigilError('VIGIL_ERR_INVALID_INPUT', 'project must match [a-z][a-z0-9-]{0,63}');
    const project = await store.upsertProject({ name, allowedOrigins: origins(jsonBody(request).allowedOrigins) });
    await keyRing.refresh();
    return { project };
  });
}
