const err = { $ref: '#/components/responses/Error' };
const session = [{ sessionCookie: [] }, { apiToken: [] }];
const json = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: 'object' } } },
});
const body = (properties: Record<string, unknown>, required: string[] = []) => ({
  required: true,
  content: { 'application/json': { schema: { type: 'object', required, properties } } },
});
const q = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string' },
});
const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const role = { type: 'string', enum: ['viewer', 'operator', 'admin'] };
const denied = { '401': err, '403': err };

/** Security schemes of the access routes. */
export const ACCESS_SECURITY_SCHEMES = {
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'vigil_session',
    description: 'Session cookie from POST /api/v1/session (`__Host-vigil_session` over TLS).',
  },
  apiToken: { type: 'http', scheme: 'bearer', description: 'API token (vt_…) from POST /api/v1/tokens.' },
};

/**
 * OpenAPI paths of the access and compliance routes. State-changing calls authenticated by
 * cookie need `x-vigil-csrf: 1` (or a same-origin Origin) and a JSON body.
 *
 * @example
 * const paths = { ...accessPaths() };
 */
export function accessPaths(): Record<string, unknown> {
  return {
    '/api/v1/session': {
      post: {
        summary: 'Sign in; sets the session cookie. Throttled per IP and per IP+account',
        requestBody: body({ username: { type: 'string' }, password: { type: 'string' } }, ['username', 'password']),
        responses: { '200': json('The signed-in user'), '401': err, '403': err, '415': err, '429': err },
      },
      get: { summary: 'Who am I', security: session, responses: { '200': json('Principal'), ...denied } },
      delete: {
        summary: 'Sign out (ends this session)',
        security: session,
        responses: { '204': { description: 'Signed out' }, ...denied },
      },
    },
    '/api/v1/session/password': {
      put: {
        summary: "Change one's own password (ends every session of the user)",
        security: [{ sessionCookie: [] }],
        requestBody: body({ currentPassword: { type: 'string' }, newPassword: { type: 'string', minLength: 12 } }),
        responses: { '204': { description: 'Changed' }, '400': err, ...denied },
      },
    },
    '/api/v1/users': {
      get: {
        summary: 'Users (admin)',
        security: session,
        parameters: [q('sort', 'name, created or role')],
        responses: { '200': json('Users'), '400': err, ...denied },
      },
      post: {
        summary: 'Create a user (admin); a generated password is returned once',
        security: session,
        requestBody: body({ name: { type: 'string' }, role, password: { type: 'string' } }, ['name', 'role']),
        responses: { '201': json('User'), '400': err, '409': err, ...denied },
      },
    },
    '/api/v1/users/{id}': {
      patch: {
        summary: 'Change role, disable/enable, or reset the password of a user (admin)',
        security: session,
        parameters: [idParam('id')],
        requestBody: body({ role, disabled: { type: 'boolean' }, resetPassword: { type: 'boolean' } }),
        responses: { '200': json('User'), '400': err, '404': err, ...denied },
      },
    },
    '/api/v1/tokens': {
      get: {
        summary: 'API tokens (own; admins see all)',
        security: session,
        responses: { '200': json('Tokens'), ...denied },
      },
      post: {
        summary: 'Create an API token scoped to a role no higher than yours; returned once',
        security: session,
        requestBody: body({ label: { type: 'string' }, role }, ['label']),
        responses: { '201': json('Token'), '400': err, ...denied },
      },
    },
    '/api/v1/tokens/{id}': {
      delete: {
        summary: 'Revoke an API token',
        security: session,
        parameters: [idParam('id')],
        responses: { '204': { description: 'Revoked' }, '404': err, ...denied },
      },
    },
    '/api/v1/keys': {
      get: {
        summary: 'Ingest keys (admin; hashes never shown)',
        security: session,
        responses: { '200': json('Keys'), ...denied },
      },
      post: {
        summary: 'Create an ingest key for a project and optional environment; returned once',
        security: session,
        requestBody: body(
          {
            project: { type: 'string' },
            environment: { type: 'string' },
            label: { type: 'string' },
            allowedOrigins: { type: 'array', items: { type: 'string' } },
          },
          ['project', 'label'],
        ),
        responses: { '201': json('Key'), '400': err, ...denied },
      },
    },
    '/api/v1/keys/{id}': {
      delete: {
        summary: 'Revoke an ingest key (refused within 5 s on every node)',
        security: session,
        parameters: [idParam('id')],
        responses: { '204': { description: 'Revoked' }, '404': err, ...denied },
      },
    },
    '/api/v1/projects': {
      get: {
        summary: 'Projects and allowed origins (admin)',
        security: session,
        responses: { '200': json('Projects'), ...denied },
      },
    },
    '/api/v1/projects/{name}': {
      put: {
        summary: "Set a project's allowed browser origins (admin)",
        security: session,
        parameters: [idParam('name')],
        requestBody: body({ allowedOrigins: { type: 'array', items: { type: 'string' } } }, ['allowedOrigins']),
        responses: { '200': json('Project'), '400': err, ...denied },
      },
    },
    '/api/v1/audit': {
      get: {
        summary: 'Audit log (admin): every mutating request and login attempt',
        security: session,
        parameters: [
          q('from', 'Start (default: 7 days ago)'),
          q('to', 'End (default: now)'),
          q('actor', 'user:<name>, token:<id>…'),
          q('action', 'METHOD /route'),
          q('result', 'pending, ok, denied, refused, failed'),
          q('order', 'asc or desc (default)'),
          q('limit', '1–10000, default 500'),
          q('format', 'json (default) or csv'),
        ],
        responses: { '200': json('Records (or text/csv)'), '400': err, ...denied },
      },
    },
    '/api/v1/erasure': {
      post: {
        summary: "GDPR erasure: delete one user's error samples by their raw id (pseudonymised server-side)",
        security: session,
        requestBody: body({ userId: { type: 'string' } }, ['userId']),
        responses: { '200': json('Pseudonym and rows removed'), '400': err, ...denied },
      },
    },
    '/api/v1/retention': {
      get: {
        summary: 'Retention days in force, defaults, last run report (admin)',
        security: session,
        responses: { '200': json('Retention'), ...denied },
      },
      put: {
        summary: 'Set retention days (admin); runNow enforces at once',
        security: session,
        requestBody: body(
          { detailedDays: { type: 'integer' }, aggregatedDays: { type: 'integer' }, runNow: { type: 'boolean' } },
          ['detailedDays', 'aggregatedDays'],
        ),
        responses: { '200': json('Retention'), '400': err, ...denied },
      },
    },
  };
}
