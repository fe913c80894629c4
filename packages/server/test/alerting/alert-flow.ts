import type { AlertRule } from '../../src/alerting/alert-rule.js';
import { defaultAlertingConfig } from '../../src/alerting/alerting-config.js';
import { defaultRules } from '../../src/alerting/default-rules.js';
import type { EscalationConfig } from '../../src/alerting/escalation.js';
import { defaultEscalation } from '../../src/alerting/escalation.js';
import type { ChannelConfig } from '../../src/notify/channel-config.js';
import { ADMIN_TOKEN, batch, INGEST_KEY, testApp } from '../helpers/test-app.js';

/** A minute boundary plus 10 s: windows in the tests start on whole minutes. */
export const T0 = 1_750_000_020_000 + 10_000;

/** A settable clock for `options.now`. */
export function clock(start = T0) {
  const c = { t: start, now: () => c.t };
  return c;
}

/** A default rule with overrides (e.g. severity, forMillis 0). */
export function ruleOf(id: string, over: Partial<AlertRule>): AlertRule {
  const rule = defaultRules().find((r) => r.id === id);
  if (!rule) throw new Error(`no default rule ${id}`);
  return { ...rule, ...over };
}

/** An app with the given channels, contacts and rules; private targets allowed (loopback receivers). */
export async function alertApp(
  c: { now: () => number },
  setup: { channels: ChannelConfig[]; contacts: EscalationConfig['contacts']; rules?: AlertRule[] },
  dataDir?: { dataDir: string },
) {
  const alerting = {
    ...defaultAlertingConfig(),
    allowPrivateTargets: true,
    channels: setup.channels,
    rules: setup.rules ?? [],
    escalation: { ...defaultEscalation(), contacts: setup.contacts },
    delivery: {
      timeoutMillis: 1_000,
      baseBackoffMillis: 1_000,
      maxBackoffMillis: 8_000,
      maxAttempts: 5,
      pollMillis: 1_000,
    },
  };
  return testApp({ alerting, pipeline: { ...defaultPipeline(), worker: false }, ...(dataDir ?? {}) }, { now: c.now });
}

function defaultPipeline() {
  return { worker: false, intervalMillis: 1000, rowsPerStep: 200, maxNamesPerMetric: 1000 };
}

/** Ingests gauges at the clock's now and folds them into rollups. */
export async function ingestGauges(
  vigil: Awaited<ReturnType<typeof testApp>>,
  now: number,
  gauges: Record<string, number>,
  service = 'portal-web',
): Promise<void> {
  const events = Object.entries(gauges).map(([name, value]) => ({ type: 'gauge', ts: now, name, value, unit: '%' }));
  const body = batch(events, {
    sentAt: now,
    source: { service, environment: 'production', platform: 'node', sdk: 'test/1.0.0' },
  });
  const res = await vigil.app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { authorization: `Bearer ${INGEST_KEY}` },
    payload: body,
  });
  if (res.statusCode !== 202) throw new Error(`ingest answered ${res.statusCode}: ${res.body}`);
  await vigil.pipeline.drain();
}

/** An authenticated API call. */
export async function api(
  vigil: Awaited<ReturnType<typeof testApp>>,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  const res = await vigil.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
  return { status: res.statusCode, body: res.body === '' ? null : (JSON.parse(res.body) as Record<string, unknown>) };
}
