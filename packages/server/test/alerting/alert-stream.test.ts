import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultAlertingConfig } from '../../src/alerting/alerting-config.js';
import { ADMIN_TOKEN, testApp } from '../helpers/test-app.js';
import { clock, ingestGauges, ruleOf } from './alert-flow.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** A real HTTP client on the stream: the status, the headers, and the text as it arrives. */
function connect(port: number, token: string | null) {
  const state = {
    status: 0,
    headers: {} as http.IncomingHttpHeaders,
    text: '',
    waiters: [] as Array<() => void>,
  };
  let req: http.ClientRequest | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/stream',
        headers: token === null ? {} : { authorization: `Bearer ${token}` },
      },
      (res) => {
        state.status = res.statusCode ?? 0;
        state.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          state.text += chunk;
          for (const w of state.waiters.splice(0)) w();
        });
        res.on('end', () => {
          for (const w of state.waiters.splice(0)) w();
        });
        resolve();
      },
    );
    req.on('error', reject);
  });
  const close = (): void => {
    req?.destroy();
  };
  stops.push(async () => close());
  const until = async (pattern: RegExp): Promise<RegExpMatchArray> => {
    for (;;) {
      const m = pattern.exec(state.text);
      if (m) return m;
      await new Promise<void>((r) => state.waiters.push(r));
    }
  };
  return { state, ready, until, close };
}

describe('live stream GET /api/v1/stream (real HTTP)', () => {
  it('an admin client gets the firing alert as an SSE event, and keep-alive comments; anonymous gets 401', async () => {
    const c = clock();
    const vigil = await testApp(
      {
        pipeline: { worker: false, intervalMillis: 1000, rowsPerStep: 200, maxNamesPerMetric: 1000 },
        alerting: {
          ...defaultAlertingConfig(),
          streamHeartbeatMillis: 100,
          rules: [ruleOf('cpu-high', { severity: 'critical', forMillis: 0 })],
        },
      },
      { now: c.now },
    );
    stops.push(() => vigil.close());
    await vigil.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = vigil.app.server.address() as AddressInfo;

    const anonymous = connect(port, null);
    await anonymous.ready;
    await anonymous.until(/\}$/);
    expect(anonymous.state.status).toBe(401);
    expect(JSON.parse(anonymous.state.text).error.code).toBe('VIGIL_ERR_UNAUTHENTICATED');

    const client = connect(port, ADMIN_TOKEN);
    await client.ready;
    expect(client.state.status).toBe(200);
    expect(client.state.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await client.until(/^: connected\n\n/);
    expect(vigil.alerting.bus.size).toBe(1);

    await ingestGauges(vigil, c.t, { 'cpu.percent': 95 });
    await vigil.alerting.engine.evaluate();
    const [, data] = await client.until(/event: alert\ndata: (.*)\n\n/);
    const event = JSON.parse(data as string) as { event: string; alert: Record<string, unknown> };
    expect(event.event).toBe('firing');
    expect(event.alert).toMatchObject({
      ruleId: 'cpu-high',
      severity: 'critical',
      status: 'firing',
      value: 95,
      threshold: 80,
      firedAt: c.t,
    });
    // Critical and high alerts open an incident, announced on the same stream.
    const [, incident] = await client.until(/event: incident\ndata: (.*)\n\n/);
    expect(JSON.parse(incident as string)).toMatchObject({
      event: 'opened',
      incident: { source: 'alert', status: 'open' },
    });

    // Idle: the heartbeat comment keeps proxies from closing the connection.
    await client.until(/: keep-alive\n\n/);

    // A client that goes away is unsubscribed (the server sees the socket close).
    client.close();
    while (vigil.alerting.bus.size > 0) await new Promise((r) => setTimeout(r, 10));
    expect(vigil.alerting.bus.size).toBe(0);
  });
});
