/** A query parameter of type string. */
const param = (name: string, description: string, required = false, extra: Record<string, unknown> = {}) => ({
  name,
  in: 'query',
  required,
  description,
  schema: { type: 'string', ...extra },
});

/**
 * The OpenAPI paths of the report routes (`report-routes.ts`), merged into `openApiDocument()`.
 * Shapes: docs/reports.md.
 *
 * @example
 * const paths = { ...reportPaths({ $ref: '#/components/responses/Error' }) };
 */
export function reportPaths(errorResponse: unknown): Record<string, unknown> {
  return {
    '/api/v1/reports/{kind}': {
      get: {
        summary:
          'A performance, error, user-experience, SLA or optimization report as JSON, CSV (zip or one table) or PDF',
        security: [{ adminToken: [] }],
        parameters: [
          {
            name: 'kind',
            in: 'path',
            required: true,
            schema: { type: 'string', enum: ['performance', 'error', 'user-experience', 'sla', 'optimization'] },
          },
          param('from', 'Start, epoch ms or ISO 8601 (default: to − 7 days)'),
          param('to', 'End, epoch ms or ISO 8601 (default: now)'),
          param('project', 'Project (default: the default project)'),
          param('format', 'json (default), csv or pdf', false, { enum: ['json', 'csv', 'pdf'] }),
          param('table', 'format=csv only: one table as text/csv instead of a zip of all tables'),
        ],
        responses: {
          '200': {
            description: 'The report as a download (Content-Disposition: attachment)',
            content: {
              'application/json': { schema: { type: 'object', description: 'Report version 1 (docs/reports.md)' } },
              'application/zip': { schema: { type: 'string', format: 'binary' } },
              'text/csv': { schema: { type: 'string' } },
              'application/pdf': { schema: { type: 'string', format: 'binary' } },
            },
          },
          '400': errorResponse,
          '401': errorResponse,
          '404': errorResponse,
        },
      },
    },
    '/api/v1/reports/archive': {
      get: {
        summary: 'Scheduled reports kept for download, newest first',
        security: [{ adminToken: [] }],
        responses: {
          '200': {
            description:
              '{ reports: [{ id, schedule, kind, format, from, to, generatedAt, fileName, contentType, bytes }] }',
          },
          '401': errorResponse,
        },
      },
    },
    '/api/v1/reports/archive/{id}': {
      get: {
        summary: 'One kept scheduled report file',
        security: [{ adminToken: [] }],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'The file as a download' }, '401': errorResponse, '404': errorResponse },
      },
    },
    '/api/v1/exports/{what}': {
      get: {
        summary: 'Alerts, incidents or the audit log over a range as JSON or CSV, streamed (admin)',
        security: [{ adminToken: [] }],
        parameters: [
          {
            name: 'what',
            in: 'path',
            required: true,
            schema: { type: 'string', enum: ['alerts', 'incidents', 'audit'] },
          },
          param('from', 'Start, epoch ms or ISO 8601 (default: to − 30 days)'),
          param('to', 'End, epoch ms or ISO 8601 (default: now)'),
          param('project', 'Project (alerts and incidents; default: the default project)'),
          param('format', 'json (default) or csv', false, { enum: ['json', 'csv'] }),
        ],
        responses: {
          '200': {
            description: 'The rows in (time, id) order as a download',
            content: {
              'application/json': {
                schema: { type: 'object', description: '{ version: 1, what, project, from, to, rows }' },
              },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          '400': errorResponse,
          '401': errorResponse,
          '403': errorResponse,
          '404': errorResponse,
        },
      },
    },
  };
}
