const range = [
  {
    name: 'from',
    in: 'query',
    required: false,
    description: 'Start, epoch ms or ISO 8601 (default: to - 24 h)',
    schema: { type: 'string' },
  },
  {
    name: 'to',
    in: 'query',
    required: false,
    description: 'End, epoch ms or ISO 8601 (default: now)',
    schema: { type: 'string' },
  },
];
const nameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };
const checkBody = {
  required: true,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['kind', 'target'],
        properties: {
          name: { type: 'string', pattern: '^[a-z][a-z0-9_.-]{0,63}$' },
          kind: { type: 'string', enum: ['postgres', 'redis', 'http', 'tcp'] },
          target: { type: 'string', description: 'postgres://…, redis://…, http(s)://… or host:port' },
          intervalMillis: { type: 'integer', minimum: 1000, default: 30000 },
          timeoutMillis: { type: 'integer', minimum: 10, default: 5000 },
          retries: { type: 'integer', minimum: 1, default: 3 },
          expectStatus: { type: 'integer', description: 'http only; default any 2xx/3xx' },
          bodyMatch: { type: 'string', description: 'http only; substring or /regex/flags' },
        },
      },
    },
  },
};

/**
 * The OpenAPI paths of the health routes (`health-routes.ts`), merged into `openApiDocument()`.
 *
 * @example
 * const paths = { ...healthPaths({ $ref: '#/components/responses/Error' }) };
 */
export function healthPaths(errorResponse: Record<string, unknown>): Record<string, unknown> {
  const admin = [{ adminToken: [] }];
  return {
    '/api/v1/health': {
      get: {
        summary: 'Overall health in application/health+json: service checks and host readings (pass, warn, fail)',
        security: admin,
        responses: {
          '200': { description: 'pass or warn', content: { 'application/health+json': {} } },
          '401': errorResponse,
          '503': { description: 'fail', content: { 'application/health+json': {} } },
        },
      },
    },
    '/api/v1/health/checks': {
      get: {
        summary: 'Configured service checks (passwords masked)',
        security: admin,
        responses: { '200': { description: 'Checks' }, '401': errorResponse },
      },
      post: {
        summary: 'Add a service check',
        security: admin,
        requestBody: checkBody,
        responses: {
          '201': { description: 'Created' },
          '400': errorResponse,
          '401': errorResponse,
          '409': errorResponse,
        },
      },
    },
    '/api/v1/health/checks/{name}': {
      put: {
        summary: 'Create or replace a service check',
        security: admin,
        parameters: [nameParam],
        requestBody: checkBody,
        responses: { '200': { description: 'Saved' }, '400': errorResponse, '401': errorResponse },
      },
      delete: {
        summary: 'Remove a service check (its results stay until retention)',
        security: admin,
        parameters: [nameParam],
        responses: { '204': { description: 'Removed' }, '401': errorResponse, '404': errorResponse },
      },
    },
    '/api/v1/health/services': {
      get: {
        summary: 'Per service: current status, runs, failures, uptime % (sample-weighted) and latency over the range',
        security: admin,
        parameters: range,
        responses: { '200': { description: 'Services' }, '400': errorResponse, '401': errorResponse },
      },
    },
    '/api/v1/health/services/{name}/history': {
      get: {
        summary: 'Results of one service check over the range, oldest first (the newest `limit`)',
        security: admin,
        parameters: [
          nameParam,
          ...range,
          {
            name: 'limit',
            in: 'query',
            required: false,
            description: '1–10000, default 1000',
            schema: { type: 'integer' },
          },
        ],
        responses: {
          '200': { description: 'History' },
          '400': errorResponse,
          '401': errorResponse,
          '404': errorResponse,
        },
      },
    },
  };
}
