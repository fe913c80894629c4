import http from 'node:http';
import { PortalSimulator } from '@vigil/simulator';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../../../bench/lib/server-process.js';
import { createStore } from '../../src/store/create-store.js';
import { tempDir } from '../helpers/test-app.js';

const KEY = 'vk_kill9_test_key_000001';
const TOKEN = 'vt_kill9_test_token_00001';

interface Sent {
  body: string;
  /** Events the server said it accepted (the first 2xx answer, or the replayed one). */
  accepted: number | null;
}

function post(url: string, body: string, agent: http.Agent): Promise<{ status: number; accepted: number | null }> {
  return new Promise((resolve) => {
    const req = http.request(
      `${url}/api/v1/events`,
      { method: 'POST', agent, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve({ status, accepted: status === 202 ? (JSON.parse(text) as { accepted: number }).accepted : null });
        });
        res.on('error', () => resolve({ status: 0, accepted: null }));
      },
    );
    req.on('error', () => resolve({ status: 0, accepted: null }));
    req.end(body);
  });
}

describe('kill -9 during full-speed ingest', () => {
  const { dir, cleanup } = tempDir('vigil-kill9-');
  // The host sampler's own gauges would add to the count of events stored; only the client's count here.
  const env = {
    PORT: '0',
    VIGIL_DATA_DIR: dir,
    VIGIL_INGEST_KEY: KEY,
    VIGIL_ADMIN_TOKEN: TOKEN,
    VIGIL_HEALTH_SAMPLE_INTERVAL_MILLIS: '0',
  };
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    cleanup();
  });

  it('loses nothing acknowledged and stores nothing twice after the client replays unacknowledged batches', async () => {
    const sim = new PortalSimulator({ seed: 9, scenario: 'normal' });
    const sent = new Map<string, Sent>();
    server = await startServer('packages/server/src/main.ts', env);
    const agent = new http.Agent({ keepAlive: true });
    let killed = false;
    const killAt = Date.now() + 2_500;
    const worker = async (url: string) => {
      while (!killed) {
        const batch = sim.nextBatch(100, Date.now());
        const body = JSON.stringify(batch);
        const entry: Sent = { body, accepted: null };
        sent.set(batch.batchId, entry);
        const r = await post(url, body, agent);
        if (r.status === 202) entry.accepted = r.accepted;
        else if (r.status !== 0) throw new Error(`unexpected status ${r.status}`);
      }
    };
    const first = server;
    const workers = Array.from({ length: 8 }, () => worker(first.url));
    while (Date.now() < killAt) await new Promise((r) => setTimeout(r, 50));
    await first.stop('SIGKILL');
    killed = true;
    await Promise.all(workers);
    agent.destroy();

    const ackedBefore = [...sent.values()].filter((s) => s.accepted !== null).length;
    const unacked = [...sent.entries()].filter(([, s]) => s.accepted === null);
    expect(ackedBefore).toBeGreaterThan(50);
    expect(unacked.length).toBeGreaterThan(0);

    // Restart on the same data and replay every unacknowledged batch with its own batchId.
    server = await startServer('packages/server/src/main.ts', env);
    const agent2 = new http.Agent({ keepAlive: true });
    for (const [, s] of unacked) {
      const r = await post(server.url, s.body, agent2);
      expect(r.status).toBe(202);
      s.accepted = r.accepted;
    }
    agent2.destroy();
    await server.stop('SIGTERM');

    const expected = [...sent.values()].reduce((n, s) => n + (s.accepted ?? 0), 0);
    const store = createStore({ dataDir: dir, durability: 'normal' });
    await store.migrate();
    // Whatever the pipeline had not folded before the stop is still in the journal: fold it.
    const { Pipeline } = await import('../../src/pipeline/pipeline.js');
    const { SelfMetrics } = await import('../../src/metrics/self-metrics.js');
    const silent = { error() {}, warn() {}, info() {} } as never;
    await new Pipeline(store, new SelfMetrics(), silent, {
      intervalMillis: 1000,
      rowsPerStep: 200,
      maxNamesPerMetric: 1000,
    }).drain();
    const stored = await store.countEvents({ project: 'learning-portal', from: 0, to: Date.now() + 86_400_000 });
    await store.close();
    expect({ batches: sent.size, stored }).toEqual({ batches: sent.size, stored: expected });
  }, 120_000);
});
