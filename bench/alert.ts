/**
 * `npm run bench:alert` — time from ingesting a breaching batch (HTTP POST to the real server)
 * to the webhook request arriving at a real local receiver, over 100 breaches: P50 and P95.
 * Each breach is a different service (its own rule), so every one is a fresh alert; the rules
 * fire at once (`forMillis` 0, severity critical → on-call at once). Default pipeline (worker
 * thread), default evaluation interval; the kick after each pipeline run is what is measured.
 *
 * Options: `--breaches N` (default 100).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultAlertingConfig } from '../packages/server/src/alerting/alerting-config.js';
import { defaultEscalation } from '../packages/server/src/alerting/escalation.js';
import { buildApp } from '../packages/server/src/app.js';
import { defaultConfig } from '../packages/server/src/config.js';

const args = process.argv.slice(2);
const i = args.indexOf('--breaches');
const BREACHES = i >= 0 ? Number(args[i + 1]) : 100;
const KEY = 'vk_bench_ingest_key_000001';

const arrivals = new Map<string, number>();
const waiters = new Map<string, () => void>();
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = performance.now();
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      kind: string;
      alerts: Array<{ labels: { service: string } }>;
    };
    res.writeHead(200).end();
    const service = body.alerts[0]?.labels.service;
    if (body.kind !== 'firing' || service === undefined || arrivals.has(service)) return;
    arrivals.set(service, at);
    waiters.get(service)?.();
  });
});
receiver.listen(0, '127.0.0.1');
await new Promise((r) => receiver.once('listening', r));
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const services = Array.from({ length: BREACHES }, (_, n) => `bench-${n}`);
const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-alert-'));
const config = {
  ...defaultConfig(),
  dataDir: dir,
  port: 0,
  logLevel: 'silent' as const,
  ingestKey: KEY,
  adminToken: 'vt_bench_admin_token_00001',
  alerting: {
    ...defaultAlertingConfig(),
    allowPrivateTargets: true,
    channels: [
      {
        name: 'hook',
        type: 'webhook' as const,
        url: hookUrl,
        secret: 'bench-secret-0123456789',
        format: 'vigil' as const,
      },
    ],
    escalation: { ...defaultEscalation(), contacts: [{ name: 'ops', roles: ['on-call'], channels: ['hook'] }] },
    rules: services.map((service) => ({
      id: `cpu-${service}`,
      name: `CPU above 80 % on ${service}`,
      type: 'system',
      severity: 'critical' as const,
      query: { metric: 'gauge', name: 'cpu.percent', service, aggregation: 'avg' as const, windowMillis: 120_000 },
      comparator: '>' as const,
      threshold: 80,
      resolveThreshold: 75,
      forMillis: 0,
      labels: { service },
      enabled: true,
    })),
  },
};
const vigil = await buildApp(config);
await vigil.app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(vigil.app.server.address() as AddressInfo).port}`;

const latencies: number[] = [];
let seq = 0;
for (const service of services) {
  const arrived = new Promise<void>((r) => waiters.set(service, r));
  const now = Date.now();
  const body = {
    batchId: `bench-alert-${process.pid}-${seq++}`,
    sentAt: now,
    source: { service, environment: 'production', platform: 'node', sdk: 'bench/1.0.0' },
    events: [{ type: 'gauge', ts: now, name: 'cpu.percent', value: 97, unit: '%' }],
  };
  const started = performance.now();
  const res = await fetch(`${base}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
  await arrived;
  latencies.push((arrivals.get(service) as number) - started);
}
await vigil.close();
receiver.close();
rmSync(dir, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] as number;
console.log(
  `breaches ${latencies.length} (ingest POST → webhook request arrival, real server and HTTP, SQLite, pipeline worker)`,
);
console.log(`p50 ${Math.round(q(0.5))} ms`);
console.log(`p95 ${Math.round(q(0.95))} ms`);
console.log(`max ${Math.round(q(1))} ms`);
