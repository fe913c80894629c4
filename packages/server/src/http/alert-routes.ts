import { VigilError } from '@vigil/schema';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf } from '../access/principal.js';
import { ActionRefused, type AlertAction } from '../alerting/alert-lifecycle.js';
import { RuleInvalid, validateRule } from '../alerting/alert-rule.js';
import { validateEscalation } from '../alerting/alerting-config.js';
import type { AlertingRuntime } from '../alerting/alerting-runtime.js';
import { ChannelInvalid, redactChannel, validateChannel } from '../notify/channel-config.js';
import type { AlertSeverity, AlertStatus } from '../store/alert-records.js';
import type { Store } from '../store/store.js';
import { jsonBody, requiredString } from './body-fields.js';
import { parseDim, parseInteger, parseRange } from './query-params.js';

const DAY = 86_400_000;
const ID = /^[A-Za-z0-9_.-]{1,64}$/;
const STATUSES = new Set(['pending', 'firing', 'resolved', 'dismissed']);
const SEVERITIES = new Set(['critical', 'high', 'medium', 'low']);
const OUTBOX_STATUSES = new Set(['pending', 'sent', 'failed']);

/** Runs a validator and turns its field error into a coded 400 naming the field. */
function valid<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof RuleInvalid || e instanceof ChannelInvalid)
      throw new VigilError('VIGIL_ERR_INVALID_INPUT', e.message);
    throw e;
  }
}

function idParam(request: FastifyRequest): string {
  const { id } = request.params as { id: string };
  if (!ID.test(id)) throw new VigilError('VIGIL_ERR_NOT_FOUND');
  request.auditTarget = id;
  return id;
}

/** The body with the path's id filled in (a different id in the body is refused). */
function withId(request: FastifyRequest, key: 'id' | 'name', id: string): Record<string, unknown> {
  const body = jsonBody(request);
  if (body[key] !== undefined && body[key] !== id)
    throw new VigilError('VIGIL_ERR_INVALID_INPUT', `${key} must match the path (or be left out)`);
  return { ...body, [key]: id };
}

/**
 * Alerting routes: rules (admin edits), alerts with their history and people's actions
 * (operator), channels and the escalation matrix (admin edits, secrets masked on read), the
 * outbox (delivery state and give-ups) and the live stream (SSE). Every mutation is audited by
 * the access hook; handlers name the target.
 *
 * @example
 * await app.register(alertRoutes, { store, alerting, defaultProject, now });
 */
export async function alertRoutes(
  app: FastifyInstance,
  opts: { store: Store; alerting: AlertingRuntime; defaultProject: string; now: () => number },
): Promise<void> {
  const { store, alerting, defaultProject, now } = opts;
  const engine = alerting.engine;

  app.get('/api/v1/rules', { config: { access: 'viewer' } }, async () => ({
    rules: await engine
      .activeRules()
      .then((active) => [...active, ...[...engine.rules.values()].filter((r) => !r.enabled)]),
  }));

  app.post('/api/v1/rules', { config: { access: 'admin' } }, async (request, reply) => {
    const rule = valid(() => validateRule(request.body));
    request.auditTarget = rule.id;
    if (engine.rules.has(rule.id))
      throw new VigilError('VIGIL_ERR_CONFLICT', `a rule with id ${rule.id} exists; PUT replaces it`);
    await engine.putRule(rule);
    return reply.code(201).send({ rule });
  });

  app.put('/api/v1/rules/:id', { config: { access: 'admin' } }, async (request) => {
    const id = idParam(request);
    const rule = valid(() => validateRule(withId(request, 'id', id)));
    await engine.putRule(rule);
    return { rule };
  });

  app.delete('/api/v1/rules/:id', { config: { access: 'admin' } }, async (request, reply) => {
    if (!(await engine.deleteRule(idParam(request)))) throw new VigilError('VIGIL_ERR_NOT_FOUND');
    return reply.code(204).send();
  });

  app.get('/api/v1/alerts', { config: { access: 'viewer' } }, async (request) => {
    const q = request.query as Record<string, unknown>;
    const { from, to } = parseRange(q, now() + 1, 7 * DAY);
    const status = parseDim('status', q.status, 16);
    if (status !== undefined && !STATUSES.has(status))
      throw new VigilError('VIGIL_ERR_INVALID_QUERY', 'status must be pending, firing, resolved or dismissed');
    const severity = parseDim('severity', q.severity, 16);
    if (severity !== undefined && !SEVERITIES.has(severity))
      throw new VigilError('VIGIL_ERR_INVALID_QUERY', 'severity must be critical, high, medium or low');
    const type = parseDim('type', q.type, 32);
    const ruleId = parseDim('rule', q.rule, 64);
    const alerts = await store.alerts.listAlerts({
      project: defaultProject,
      from,
      to,
      limit: parseInteger('limit', q.limit, 1, 1000, 100),
      ...(status === undefined ? {} : { status: status as AlertStatus }),
      ...(severity === undefined ? {} : { severity: severity as AlertSeverity }),
      ...(type === undefined ? {} : { type }),
      ...(ruleId === undefined ? {} : { ruleId }),
    });
    return { from, to, alerts };
  });

  app.get('/api/v1/alerts/:id', { config: { access: 'viewer' } }, async (request) => {
    const id = idParam(request);
    const alert = await store.alerts.getAlert(id);
    if (alert === null) throw new VigilError('VIGIL_ERR_NOT_FOUND');
    return { alert, history: await store.alerts.listAlertEvents(id) };
  });

  const action = (path: string, make: (request: FastifyRequest) => AlertAction) =>
    app.post(`/api/v1/alerts/:id/${path}`, { config: { access: 'operator' } }, async (request) => {
      const id = idParam(request);
      let alert: Awaited<ReturnType<typeof engine.act>>;
      try {
        alert = await engine.act(id, make(request), actorOf(request.principal));
      } catch (e) {
        if (e instanceof ActionRefused) throw new VigilError('VIGIL_ERR_CONFLICT', e.message);
        throw e;
      }
      if (alert === null) throw new VigilError('VIGIL_ERR_NOT_FOUND');
      return { alert };
    });
  action('ack', () => ({ type: 'acknowledge' }));
  action('dismiss', () => ({ type: 'dismiss' }));
  action('reopen', () => ({ type: 'reopen' }));
  action('resolve', () => ({ type: 'resolve' }));
  action('notes', (request) => ({ type: 'note', text: requiredString(jsonBody(request), 'text', 4000) }));

  app.post('/api/v1/alerts/:id/incident', { config: { access: 'operator' } }, async (request, reply) => {
    const id = idParam(request);
    const before = await store.alerts.getAlert(id);
    if (before === null) throw new VigilError('VIGIL_ERR_NOT_FOUND');
    if (before.incidentId !== null)
      throw new VigilError('VIGIL_ERR_CONFLICT', `the alert is in incident ${before.incidentId} already`);
    const alert = await engine.openIncident(id, actorOf(request.principal));
    return reply.code(201).send({ alert });
  });

  app.get('/api/v1/channels', { config: { access: 'viewer' } }, async () => ({
    channels: [...engine.channelConfigs.values()].map(redactChannel),
  }));

  app.put('/api/v1/channels/:id', { config: { access: 'admin' } }, async (request) => {
    const name = idParam(request);
    const channel = valid(() => validateChannel(withId(request, 'name', name)));
    await engine.putChannel(channel);
    return { channel: redactChannel(channel) };
  });

  app.delete('/api/v1/channels/:id', { config: { access: 'admin' } }, async (request, reply) => {
    if (!(await engine.deleteChannel(idParam(request)))) throw new VigilError('VIGIL_ERR_NOT_FOUND');
    return reply.code(204).send();
  });

  app.get('/api/v1/escalation', { config: { access: 'viewer' } }, async () => ({ escalation: engine.escalation }));

  app.put('/api/v1/escalation', { config: { access: 'admin' } }, async (request) => {
    const escalation = valid(() => validateEscalation(request.body));
    request.auditTarget = 'escalation';
    await engine.putEscalation(escalation);
    return { escalation };
  });

  app.get('/api/v1/outbox', { config: { access: 'operator' } }, async (request) => {
    const q = request.query as Record<string, unknown>;
    const status = parseDim('status', q.status, 16);
    if (status !== undefined && !OUTBOX_STATUSES.has(status))
      throw new VigilError('VIGIL_ERR_INVALID_QUERY', 'status must be pending, sent or failed');
    const limit = parseInteger('limit', q.limit, 1, 1000, 100);
    const rows = await store.alerts.listOutbox(
      status === undefined ? { limit } : { status: status as 'pending', limit },
    );
    return { notifications: rows.map(({ payload: _payload, ...row }) => row) };
  });

  app.get('/api/v1/stream', { config: { access: 'viewer' } }, async (request, reply) => {
    const raw = reply.raw;
    const unsubscribe = alerting.bus.subscribe((e) => {
      raw.write(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
    });
    if (unsubscribe === null) throw new VigilError('VIGIL_ERR_OVERLOADED', 'too many live stream clients');
    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    raw.write(': connected\n\n');
    // Proxies close idle connections; a comment every 15 s (default) keeps the stream open.
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), alerting.streamHeartbeatMillis);
    heartbeat.unref();
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
}
