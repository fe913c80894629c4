/** A query parameter of type string. */
const param = (name: string, description: string, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema: { type: 'string' },
});

const range = [
  param('from', 'Start, epoch ms or ISO 8601 (default: to − 24 h)'),
  param('to', 'End, epoch ms or ISO 8601 (default: now)'),
  param('project', 'Project (default: the default project)'),
];

/**
 * The OpenAPI paths of the analytics and incident routes (`analytics-routes.ts`,
 * `incident-routes.ts`), merged into `openApiDocument()`. Formulas: docs/analytics.md.
 *
 * @example
 * const paths = { ...analyticsPaths({ $ref: '#/components/responses/Error' }) };
 */
export function analyticsPaths(errorResponse: unknown): Record<string, unknown> {
  const get = (summary: string, parameters: unknown[], extra: Record<string, unknown> = {}) => ({
    get: {
      summary,
      security: [{ adminToken: [] }],
      parameters,
      responses: { '200': { description: 'OK' }, '400': errorResponse, '401': errorResponse, ...extra },
    },
  });
  return {
    '/api/v1/kpis': get(
      'Seven operational and three business KPIs, each against the previous period of the same length',
      range,
    ),
    '/api/v1/score': get('Performance score 0–100 with its weighted components', range),
    '/api/v1/percentiles': get('P50/P95/P99, count and throughput per phase or per operation', [
      ...range,
      param('groupBy', 'phase (default) or operation'),
    ]),
    '/api/v1/trends': get('Trend of one series: points, change vs the previous period, slope, threshold forecast', [
      ...range,
      param('metric', 'Event type (gauge, api, timing…)', true),
      param('name', 'Series name, e.g. memory.percent'),
      param('phase', 'Phase or page'),
      param('method', 'HTTP method (api)'),
      param('statusClass', 'Status class (api)'),
      param('service', 'Service'),
      param('environment', 'Environment'),
      param('stat', 'avg, p50, p95, p99, count or max (default: avg for gauges, p95 for latencies, else count)'),
      param('threshold', 'Threshold for the crossing forecast (default: 80/80/85 for memory/cpu/disk)'),
    ]),
    '/api/v1/recommendations': get('Optimisation recommendations with evidence and priority', range),
    '/api/v1/errors/analysis': get(
      'Error distribution by kind and phase, top groups with trends, new, regressed and correlated groups',
      [...range, param('quietMinutes', 'Silence that makes a returning group regressed (default 1440)')],
    ),
    '/api/v1/ux': get(
      'Sessions, session length, actions per session, engagement by phase, satisfaction histogram',
      range,
    ),
    '/api/v1/incidents': get('Incidents whose life overlaps the range, newest first', [
      param('from', 'Start (default: to − 7 days)'),
      param('to', 'End (default: now)'),
      param('status', 'open, acknowledged or resolved'),
      param('source', 'detector, alert or manual'),
      param('limit', '1–1000, default 100'),
      param('project', 'Project'),
    ]),
    '/api/v1/incidents/{id}': get(
      'One incident with its timeline',
      [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      { '404': errorResponse },
    ),
    '/api/v1/mttr': get('MTTR and MTTA per severity over the incidents opened in the range', [
      param('from', 'Start (default: to − 30 days)'),
      param('to', 'End (default: now)'),
      param('project', 'Project'),
    ]),
  };
}
