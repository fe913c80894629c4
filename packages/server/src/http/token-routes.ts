import { VigilError } from '@vigil/schema';
import type { FastifyInstance } from 'fastify';
import { hashCredential, newCredential, newId } from '../access/credentials.js';
import { isRole, roleAtLeast } from '../access/roles.js';
import type { ApiTokenRecord } from '../store/access-store.js';
import type { Store } from '../store/store.js';
import { jsonBody, requiredString } from './body-fields.js';

function listed(t: ApiTokenRecord) {
  return { id: t.id, label: t.label, role: t.role, userId: t.userId, createdAt: t.createdAt, revokedAt: t.revokedAt };
}

/**
 * `/api/v1/tokens`: API tokens for automation and the SDK's read calls. Any signed-in user
 * manages their own (scoped to a role no higher than theirs); admins see and revoke all.
 *
 * @example
 * await app.register(tokenRoutes, { store, now: Date.now });
 */
export async function tokenRoutes(app: FastifyInstance, opts: { store: Store; now: () => number }): Promise<void> {
  const { store, now } = opts;

  app.get('/api/v1/tokens', { config: { access: 'viewer' } }, async (request) => {
    const p = request.principal!;
    const tokens =
      p.role === 'admin'
        ? await store.access.listApiTokens(null)
        : p.userId
          ? await store.access.listApiTokens(p.userId)
          : [];
    return { tokens: tokens.map(listed) };
  });

  app.post('/api/v1/tokens', { config: { access: 'viewer' } }, async (request, reply) => {
    const p = request.principal!;
    const body = jsonBody(request);
    const label = requiredString(body, 'label', 128);
    const role = body.role ?? p.role;
    if (!isRole(role)) throw new VigilError('VIGIL_ERR_INVALID_INPUT', 'role must be viewer, operator or admin');
    if (!roleAtLeast(p.role, role))
      throw new VigilError('VIGIL_ERR_FORBIDDEN', `a token cannot exceed your role (${p.role})`);
    const token = newCredential('vt');
    const record = await store.access.createApiToken({
      id: newId(),
      tokenHash: hashCredential(token),
      userId: p.userId,
      label,
      role,
    });
    request.auditTarget = `token:${record.id}`;
    // Shown once: only the hash is stored.
    return reply.code(201).send({ token, ...listed(record) });
  });

  app.delete('/api/v1/tokens/:id', { config: { access: 'viewer' } }, async (request, reply) => {
    const p = request.principal!;
    const { id } = request.params as { id: string };
    const token = await store.access.getApiToken(id);
    const mine = token !== null && (p.role === 'admin' || (p.userId !== null && token.userId === p.userId));
    if (!mine || !(await store.access.revokeApiToken(id, now()))) throw new VigilError('VIGIL_ERR_NOT_FOUND');
    return reply.code(204).send();
  });
}
