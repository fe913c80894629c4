const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const q = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string' },
});
const json = { required: true, content: { 'application/json': { schema: { type: 'object' } } } };

/**
 * The OpenAPI paths of the alerting routes (`alert-routes.ts`), merged into `openApiDocument()`.
 *
 * @example
 * const paths = { ...alertPaths({ $ref: '#/components/responses/Error' }) };
 */
export function alertPaths(errorResponse: Record<string, unknown>): Record<string, unknown> {
  const security = [{ adminToken: [] }];
  const ok = (description: string, extra: Record<string, unknown> = {}) => ({
    security,
    responses: {
      '200': { description },
      '400': errorResponse,
      '401': errorResponse,
      '403': errorResponse,
      '404': errorResponse,
    },
    ...extra,
  });
  const action = (summary: string, body = false) => ({
    post: {
      summary,
      ...ok('The alert after the action', { parameters: [idParam], ...(body ? { requestBody: json } : {}) }),
      responses: {
        '200': { description: 'The alert' },
        '401': errorResponse,
        '403': errorResponse,
        '404': errorResponse,
        '409': errorResponse,
      },
    },
  });
  return {
    '/api/v1/rules': {
      get: {
        summary: 'Alert rules: stored ones and one generated service-down rule per health check (viewer)',
        ...ok('Rules'),
      },
      post: {
        summary: 'Create a rule (admin); a bad field is named in the 400',
        ...ok('Created', { requestBody: json }),
      },
    },
    '/api/v1/rules/{id}': {
      put: {
        summary: 'Create or replace a rule (admin)',
        ...ok('Saved', { parameters: [idParam], requestBody: json }),
      },
      delete: {
        summary: 'Delete a rule (admin); its open alert resolves at the next evaluation',
        ...ok('Removed', { parameters: [idParam] }),
      },
    },
    '/api/v1/alerts': {
      get: {
        summary: 'Alerts whose life overlaps the range, newest first (viewer)',
        ...ok('Alerts', {
          parameters: [
            q('from', 'epoch ms or ISO 8601'),
            q('to', 'epoch ms or ISO 8601'),
            q('status', 'pending|firing|resolved|dismissed'),
            q('severity', 'critical|high|medium|low'),
            q('type', 'rule type'),
            q('rule', 'rule id'),
            q('limit', '1–1000'),
          ],
        }),
      },
    },
    '/api/v1/alerts/{id}': {
      get: { summary: 'One alert with its full history (viewer)', ...ok('Alert', { parameters: [idParam] }) },
    },
    '/api/v1/alerts/{id}/ack': action(
      'Acknowledge (operator): records who and when, stops escalation, tells those notified',
    ),
    '/api/v1/alerts/{id}/dismiss': action('Dismiss (operator): no more notifications; closes quietly once healthy'),
    '/api/v1/alerts/{id}/notes': action('Add a note `{ text }` (operator)', true),
    '/api/v1/alerts/{id}/reopen': action(
      'Reopen a resolved or dismissed alert (operator); it stays open until resolved by hand',
    ),
    '/api/v1/alerts/{id}/resolve': action('Resolve by hand (operator); sends the resolved notice'),
    '/api/v1/alerts/{id}/incident': {
      post: {
        summary: 'Open an incident by hand from the alert (operator)',
        security,
        parameters: [idParam],
        responses: {
          '201': { description: 'The alert with its incident' },
          '401': errorResponse,
          '404': errorResponse,
          '409': errorResponse,
        },
      },
    },
    '/api/v1/channels': { get: { summary: 'Notification channels, secrets masked (viewer)', ...ok('Channels') } },
    '/api/v1/channels/{id}': {
      put: {
        summary: 'Create or replace a channel (admin): webhook, email or browser; validated when saved',
        ...ok('Saved', { parameters: [idParam], requestBody: json }),
      },
      delete: { summary: 'Delete a channel (admin)', ...ok('Removed', { parameters: [idParam] }) },
    },
    '/api/v1/escalation': {
      get: { summary: 'The escalation matrix, contacts and correlation window (viewer)', ...ok('Escalation') },
      put: { summary: 'Replace the escalation configuration (admin)', ...ok('Saved', { requestBody: json }) },
    },
    '/api/v1/outbox': {
      get: {
        summary: 'Notifications and their delivery state: attempts, last error, give-ups (operator)',
        ...ok('Outbox', { parameters: [q('status', 'pending|sent|failed'), q('limit', '1–1000')] }),
      },
    },
    '/api/v1/stream': {
      get: {
        summary: 'Live stream (Server-Sent Events): `alert`, `incident` and `notification` events (viewer)',
        security,
        responses: { '200': { description: 'text/event-stream' }, '401': errorResponse },
      },
    },
  };
}
