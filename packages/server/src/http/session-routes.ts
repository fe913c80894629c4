import { VigilError } from '@vigil/schema';
import type { FastifyInstance } from 'fastify';
import type { SessionService } from '../access/session-service.js';
import { publicUser, type UserService } from '../access/user-service.js';
import { jsonBody } from './body-fields.js';
import { setSessionCookie } from './request-context.js';

/**
 * `/api/v1/session`: sign in (public), who am I, sign out, and change one's own password.
 * Failed logins answer exactly like unknown users; every attempt is audited by the access hook.
 *
 * @example
 * await app.register(sessionRoutes, { sessions, users, trustProxy: false });
 */
export async function sessionRoutes(
  app: FastifyInstance,
  opts: { sessions: SessionService; users: UserService; trustProxy: boolean },
): Promise<void> {
  const { sessions, users, trustProxy } = opts;

  app.post('/api/v1/session', { config: { access: 'public' } }, async (request, reply) => {
    const body = jsonBody(request);
    const { username, password } = body;
    // Bounded so the throttle keys and audit records stay small; a too-long name is just a failure.
    const name = typeof username === 'string' ? username.slice(0, 64) : '';
    request.auditTarget = `user:${name}`;
    if (typeof password !== 'string' || password.length > 256 || name === '') {
      throw new VigilError('VIGIL_ERR_LOGIN_FAILED');
    }
    // An existing session of this browser ends: the login always issues a fresh id.
    if (request.principal?.sessionHash) await sessions.logout(request.principal.sessionHash);
    const { sessionId, user } = await sessions.login(name, password, request.ip);
    request.auditActor = `user:${user.name}`;
    setSessionCookie(request, reply, sessionId, trustProxy);
    return { user: publicUser(user) };
  });

  app.get('/api/v1/session', { config: { access: 'viewer' } }, async (request) => {
    const p = request.principal!;
    return {
      kind: p.kind,
      user: p.userId === null ? null : { id: p.userId, name: p.userName },
      tokenId: p.tokenId,
      role: p.role,
    };
  });

  app.delete('/api/v1/session', { config: { access: 'viewer' } }, async (request, reply) => {
    const p = request.principal!;
    if (p.sessionHash !== null) await sessions.logout(p.sessionHash);
    setSessionCookie(request, reply, null, trustProxy);
    return reply.code(204).send();
  });

  app.put('/api/v1/session/password', { config: { access: 'viewer' } }, async (request, reply) => {
    const p = request.principal!;
    if (p.kind !== 'session' || p.userId === null) {
      throw new VigilError('VIGIL_ERR_INVALID_INPUT', 'an API token has no password: sign in to change yours');
    }
    const body = jsonBody(request);
    request.auditTarget = `user:${p.userName}`;
    await users.changeOwnPassword(p.userId, body.currentPassword, body.newPassword);
    setSessionCookie(request, reply, null, trustProxy);
    return reply.code(204).send();
  });
}
