import { ERRORS, LIMITS } from '@vigil/schema';
import { alertPaths } from './alert-openapi.js';
import { analyticsPaths } from './analytics-openapi.js';
import { healthPaths } from './health-openapi.js';
import { ACCESS_SECURITY_SCHEMES, accessPaths } from './openapi-access.js';
import { reportPaths } from './report-openapi.js';

const errorResponse = { $ref: '#/components/responses/Error' };
const timeParam = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string' },
});
const strParam = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string' },
});

/**
 * The OpenAPI 3.1 document served at `/api/openapi.json`. Written by hand next to the routes;
 * a test checks that every registered route appears here and nothing else does.
 *
 * @example
 * const doc = openApiDocument();
 */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Vigil API',
      version: '1.0.0',
      description:
        'Self-hosted production monitoring: ingest, rollups and read API. Errors use the codes of docs/errors.md.',
    },
    components: {
      securitySchemes: {
        ...ACCESS_SECURITY_SCHEMES,
        ingestKey: { type: 'http', scheme: 'bearer', description: 'Ingest key (vk_…), or the `key` query parameter.' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'Admin token (vt_…).' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', enum: Object.keys(ERRORS) },
                message: { type: 'string' },
                detail: { type: 'string' },
              },
            },
          },
        },
        IngestAnswer: {
          type: 'object',
          required: ['accepted', 'rejected'],
          properties: {
            accepted: { type: 'integer' },
            duplicate: { type: 'boolean' },
            rejected: {
              type: 'array',
              items: {
                type: 'object',
                required: ['index', 'code', 'message'],
                properties: { index: { type: 'integer' }, code: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
        Batch: {
          type: 'object',
          description: 'Wire protocol v1; see docs/protocol.md for every event type.',
          required: ['batchId', 'sentAt', 'source', 'events'],
          properties: {
            batchId: { type: 'string', minLength: LIMITS.minBatchIdLength, maxLength: LIMITS.maxBatchIdLength },
            sentAt: { type: 'integer' },
            project: { type: 'string' },
            source: {
              type: 'object',
              required: ['service', 'environment', 'platform', 'sdk'],
              properties: {
                service: { type: 'string' },
                environment: { type: 'string' },
                release: { type: 'string' },
                platform: { type: 'string', enum: ['browser', 'node', 'other'] },
                sdk: { type: 'string' },
              },
            },
            events: { type: 'array', maxItems: LIMITS.maxEventsPerBatch, items: { type: 'object' } },
          },
        },
        SeriesBucket: {
          type: 'object',
          properties: {
            ts: { type: 'integer' },
            count: { type: 'integer' },
            sum: { type: 'number' },
            avg: { type: ['number', 'null'] },
            min: { type: ['number', 'null'] },
            max: { type: ['number', 'null'] },
            p50: { type: ['number', 'null'] },
            p95: { type: ['number', 'null'] },
            p99: { type: ['number', 'null'] },
          },
        },
      },
      responses: {
        Error: {
          description: 'A coded error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
    paths: {
      ...accessPaths(),
      ...healthPaths(errorResponse),
      ...alertPaths(errorResponse),
      ...analyticsPaths(errorResponse),
      ...reportPaths(errorResponse),
      '/api/v1/events': {
        post: {
          summary: 'Ingest one batch of events',
          security: [{ ingestKey: [] }],
          parameters: [strParam('key', 'Ingest key, for navigator.sendBeacon which cannot set headers')],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/Batch' } },
              'text/plain': { schema: { $ref: '#/components/schemas/Batch' } },
            },
          },
          responses: {
            '202': {
              description: 'Durable: valid events are stored; invalid ones are listed',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/IngestAnswer' } } },
            },
            '400': errorResponse,
            '401': errorResponse,
            '403': errorResponse,
            '413': errorResponse,
            '415': errorResponse,
            '429': errorResponse,
            '503': errorResponse,
          },
        },
        options: { summary: 'CORS preflight', responses: { '204': { description: 'Preflight answer' } } },
      },
      '/api/v1/series': {
        get: {
          summary: 'Merged rollups of one metric as buckets with count, avg and P50/P95/P99',
          security: [{ adminToken: [] }],
          parameters: [
            {
              name: 'metric',
              in: 'query',
              required: true,
              schema: {
                type: 'string',
                enum: ['action', 'timing', 'api', 'error', 'vital', 'gauge', 'rating', 'session'],
              },
            },
            strParam('phase', 'Phase (auth, content, pwa…); for vitals, the templated page'),
            strParam('page', 'Alias of phase for vitals'),
            strParam('name', 'Route template, timing/action/gauge name, vital, error kind'),
            strParam('method', 'HTTP method (api)'),
            strParam('statusClass', '2xx, 3xx, 4xx, 5xx or net (api)'),
            strParam('service', 'Service name'),
            strParam('environment', 'Environment'),
            strParam('project', 'Project (default: the default project)'),
            timeParam('from', 'Start, epoch ms or ISO 8601 (default: to - 24 h)'),
            timeParam('to', 'End, epoch ms or ISO 8601 (default: now)'),
            {
              name: 'step',
              in: 'query',
              required: false,
              description: 'Bucket width in ms (default: automatic, ≤ 300 points)',
              schema: { type: 'integer' },
            },
          ],
          responses: { '200': { description: 'Series' }, '400': errorResponse, '401': errorResponse },
        },
      },
      '/api/v1/errors': {
        get: {
          summary: 'Error groups with occurrences in the range, most frequent first',
          security: [{ adminToken: [] }],
          parameters: [
            timeParam('from', 'Start'),
            timeParam('to', 'End'),
            strParam('limit', '1–500, default 50'),
            strParam('project', 'Project'),
          ],
          responses: { '200': { description: 'Groups' }, '400': errorResponse, '401': errorResponse },
        },
      },
      '/api/v1/errors/{fingerprint}': {
        get: {
          summary: 'Sample occurrences of one error group, newest first',
          security: [{ adminToken: [] }],
          parameters: [
            { name: 'fingerprint', in: 'path', required: true, schema: { type: 'string' } },
            strParam('limit', '1–100, default 20'),
            strParam('project', 'Project'),
          ],
          responses: { '200': { description: 'Occurrences' }, '401': errorResponse, '404': errorResponse },
        },
      },
      '/metrics': {
        get: {
          summary: 'Self-metrics in Prometheus text format',
          security: [{ adminToken: [] }],
          responses: { '200': { description: 'Metrics' }, '401': errorResponse },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { '200': { description: 'Alive' } } } },
      '/readyz': {
        get: {
          summary: 'Readiness: the store answers',
          responses: { '200': { description: 'Ready' }, '503': { description: 'Store unavailable' } },
        },
      },
      '/api/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
      '/': { get: { summary: 'The dashboard (HTML)', responses: { '200': { description: 'index.html' } } } },
      '/assets/{file}': {
        get: {
          summary: 'A built dashboard asset (script, style, image)',
          parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'The file' }, '404': { description: 'No such asset' } },
        },
      },
    },
  };
}
