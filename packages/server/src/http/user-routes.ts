import { VigilError } from '@vigil/schema';
import type { FastifyInstance } from 'fastify';
import { isRole } from '../access/roles.js';
import { publicUser, type UserService } from '../access/user-service.js';
import type { UserSort } from '../store/access-store.js';
import type { Store } from '../store/store.js';
import { jsonBody, optionalBoolean, optionalString } from './body-fields.js';

const SORTS = new Set<string>(['name', 'created', 'role']);

/**
 * `/api/v1/users` (admin): list, create, change role, disable, reset password.
 *
 * @example
 * await app.register(userRoutes, { store, users });
 */
export async function userRoutes(app: FastifyInstance, opts: { store: Store; users: UserService }): Promise<void> {
  const { store, users } = opts;

  app.get('/api/v1/users', { config: { access: 'admin' } }, async (request) => {
    const sort = (request.query as Record<string, unknown>).sort ?? 'name';
    if (typeof sort !== 'string' || !SORTS.has(sort)) {
      throw new VigilError('VIGIL_ERR_INVALID_QUERY', 'sort must be name, created or role');
    }
    return { users: (await store.access.listUsers(sort as UserSort)).map(publicUser) };
  });

  app.post('/api/v1/users', { config: { access: 'admin' } }, async (request, reply) => {
    const body = jsonBody(request);
    if (!isRole(body.role)) throw new VigilError('VIGIL_ERR_INVALID_INPUT', 'role must be viewer, operator or admin');
    request.auditTarget = `user:${String(body.name).slice(0, 64)}`;
    const { user, password } = await users.add(body.name, body.role, optionalString(body, 'password', 256));
    // The generated password is shown once, here; only its hash is stored.
    return reply.code(201).send({ user: publicUser(user), password: body.password === undefined ? password : null });
  });

  app.patch('/api/v1/users/:id', { config: { access: 'admin' } }, async (request) => {
    const { id } = request.params as { id: string };
    const user = await users.byId(id);
    request.auditTarget = `user:${user.name}`;
    const body = jsonBody(request);
    const disabled = optionalBoolean(body, 'disabled');
    const resetPassword = optionalBoolean(body, 'resetPassword');
    if (body.role !== undefined && !isRole(body.role)) {
      throw new VigilError('VIGIL_ERR_INVALID_INPUT', 'role must be viewer, operator or admin');
    }
    if (request.principal?.userId === id && (disabled === true || (body.role !== undefined && body.role !== 'admin'))) {
      throw new VigilError('VIGIL_ERR_INVALID_INPUT', 'admins cannot disable or demote themselves');
    }
    if (isRole(body.role)) await users.setRole(id, body.role);
    if (disabled !== undefined) await users.setDisabled(id, disabled);
    const password = resetPassword === true ? await users.resetPassword(id) : null;
    return { user: publicUser(await users.byId(id)), password };
  });
}
