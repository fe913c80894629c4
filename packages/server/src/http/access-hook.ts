import { VigilError } from '@vigil/schema';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AuditLog, resultOf } from '../access/audit-log.js';
import type { Authenticator } from '../access/authenticator.js';
import { actorOf, type Principal } from '../access/principal.js';
import { isRole, roleAtLeast } from '../access/roles.js';
import { bearerFrom, ownOrigin, sessionIdFrom } from './request-context.js';

/**
 * Who may call a route, declared on the route itself as `config: { access }`:
 * - `public`: anyone (health probes, the OpenAPI document, login, static assets);
 * - `ingest`: an ingest key, checked by the collector itself;
 * - `viewer`, `operator`, `admin`: a signed-in user or API token with at least that role.
 *
 * A route that declares nothing is refused: forgetting to declare access fails closed.
 */
export type RouteAccess = 'public' | 'ingest' | 'viewer' | 'operator' | 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller (null on public and ingest routes without credentials). */
    principal: Principal | null;
    /** What the audit record of this request names as its target; handlers may set it. */
    auditTarget: string | undefined;
    /** Overrides the audit actor (login: the user who signed in). */
    auditActor: string | undefined;
    auditId: number | undefined;
    audited: boolean;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The header a page script adds to prove same-origin intent (a cross-site form cannot set it). */
export const CSRF_HEADER = 'x-vigil-csrf';

/** Options of the access hook. */
export interface AccessHookOptions {
  authenticator: Authenticator;
  audit: AuditLog;
  trustProxy: boolean;
}

function accessOf(request: FastifyRequest): string | undefined {
  return (request.routeOptions.config as { access?: string }).access;
}

/** True for requests that must be audited: state-changing methods on routes other than ingest. */
function audited(request: FastifyRequest): boolean {
  return request.routeOptions.url !== undefined && !READ_METHODS.has(request.method) && accessOf(request) !== 'ingest';
}

/**
 * Refuses a state-changing request a browser may have sent from another site: unless it is
 * Bearer-authenticated (browsers never add Authorization on their own) or carries the custom
 * header (which a cross-site form cannot set, and CORS never allows here), its Origin — or
 * Referer when there is no Origin — must be this server's own origin.
 */
function checkSameSite(request: FastifyRequest, principal: Principal | null, trustProxy: boolean): void {
  if (principal?.kind === 'token' || request.headers[CSRF_HEADER] !== undefined) return;
  const own = ownOrigin(request, trustProxy);
  const origin = request.headers.origin;
  let claimed: string | undefined = origin === undefined || origin === 'null' ? undefined : origin.toLowerCase();
  if (claimed === undefined && request.headers.referer !== undefined) {
    try {
      claimed = new URL(request.headers.referer).origin.toLowerCase();
    } catch {
      claimed = undefined;
    }
  }
  if (own === undefined || claimed !== own) throw new VigilError('VIGIL_ERR_CROSS_SITE');
}

/** JSON routes take JSON only: HTML forms (urlencoded, multipart) and text/plain are the CSRF vectors. */
function checkJsonBody(request: FastifyRequest): void {
  const length = request.headers['content-length'];
  const hasBody = (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
  if (!hasBody) return;
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new VigilError('VIGIL_ERR_JSON_REQUIRED');
}

function entryOf(request: FastifyRequest, principal: Principal | null) {
  const params = request.params as Record<string, string> | undefined;
  return {
    actor: actorOf(principal),
    role: principal?.role ?? '',
    action: `${request.method} ${request.routeOptions.url}`,
    target: params ? Object.values(params).join('/') : '',
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? '',
  };
}

/**
 * The onRequest step: authenticates, checks the declared access, and for writes the same-site
 * and JSON-body rules. A refused write is audited (result `denied`/`refused`) before the error.
 */
async function authorize(request: FastifyRequest, options: AccessHookOptions): Promise<void> {
  const { authenticator, audit, trustProxy } = options;
  // Unknown URLs have no route config; the not-found handler answers them after this hook.
  if (request.routeOptions.url === undefined) return;
  const access = accessOf(request);
  const mutating = !READ_METHODS.has(request.method);
  if (access === 'ingest' || (access === 'public' && !mutating)) return;
  const bearer = bearerFrom(request);
  const sessionId = bearer === undefined ? sessionIdFrom(request, trustProxy) : undefined;
  const credentials = bearer !== undefined ? { bearer } : sessionId !== undefined ? { sessionId } : {};
  const principal = await authenticator.authenticate(credentials);
  try {
    if (access === undefined || (access !== 'public' && !isRole(access))) {
      request.log.error({ url: request.routeOptions.url }, 'route declares no access level; refused');
      throw new VigilError('VIGIL_ERR_FORBIDDEN', 'this route declares no access level');
    }
    if (access !== 'public') {
      if (principal === null) throw new VigilError('VIGIL_ERR_UNAUTHENTICATED');
      if (!roleAtLeast(principal.role, access)) throw new VigilError('VIGIL_ERR_FORBIDDEN');
    }
    if (mutating) {
      checkSameSite(request, principal, trustProxy);
      checkJsonBody(request);
    }
  } catch (e) {
    if (mutating && e instanceof VigilError) {
      request.audited = true;
      await audit
        .begin({ ...entryOf(request, principal), result: resultOf(e.status), status: e.status })
        .catch((err: unknown) => request.log.error({ err }, 'audit record of a refused request not written'));
    }
    throw e;
  }
  request.principal = principal;
}

/**
 * Installs the hooks that enforce every route's declared access and audit every mutating
 * request: authenticate (Bearer API token or session cookie), check the role, refuse cross-site
 * and non-JSON writes, write the audit record before the handler runs (no record, no action),
 * and settle it with the response status.
 *
 * @example
 * installAccessHook(app, { authenticator, audit, trustProxy: false });
 * app.get('/api/v1/kpis', { config: { access: 'viewer' } }, handler);
 */
export function installAccessHook(app: FastifyInstance, options: AccessHookOptions): void {
  const { audit } = options;
  app.decorateRequest('principal', null);
  app.decorateRequest('auditTarget', undefined);
  app.decorateRequest('auditActor', undefined);
  app.decorateRequest('auditId', undefined);
  app.decorateRequest('audited', false);

  app.addHook('onRequest', (request) => authorize(request, options));

  app.addHook('preHandler', async (request) => {
    if (!audited(request) || request.audited) return;
    try {
      request.auditId = await audit.begin({ ...entryOf(request, request.principal), result: 'pending', status: 0 });
      request.audited = true;
    } catch (e) {
      request.audited = true;
      throw new VigilError('VIGIL_ERR_AUDIT_UNAVAILABLE', undefined, { cause: e, retryAfterSeconds: 5 });
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    if (!audited(request)) return;
    const extra: { target?: string; actor?: string } = {};
    if (request.auditTarget !== undefined) extra.target = request.auditTarget;
    if (request.auditActor !== undefined) extra.actor = request.auditActor;
    try {
      if (request.auditId !== undefined) await audit.settle(request.auditId, reply.statusCode, extra);
      else if (!request.audited) {
        // Refused before the handler (e.g. a malformed body): record it after the fact.
        const entry = { ...entryOf(request, request.principal), ...extra };
        await audit.begin({ ...entry, result: resultOf(reply.statusCode), status: reply.statusCode });
      }
    } catch (err) {
      request.log.error({ err }, 'audit record could not be settled');
    }
  });
}
