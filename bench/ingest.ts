/**
 * `npm run bench:ingest` — acknowledged events/s of the real collector against a parse-only
 * baseline (same framework, same bodies), with p50/p99 batch latency, server CPU, peak RSS and
 * lost = acked − stored.
 *
 * Options: `--seconds N` (default 20), `--connections N` (10), `--batch N` (100),
 * `--stores sqlite,postgres` (default both; PostgreSQL is skipped with a note when unreachable).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PortalSimulator } from '@vigil/simulator';
import { createStore } from '../packages/server/src/store/create-store.js';
import { closedLoop, type LoadResult, quantile } from './lib/load.js';
import { cpuSeconds, memory, type ServerProcess, startServer } from './lib/server-process.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};
const SECONDS = Number(opt('seconds', '20'));
const CONNECTIONS = Number(opt('connections', '10'));
const BATCH = Number(opt('batch', '100'));
const STORES = opt('stores', 'sqlite,postgres').split(',');
/** `--profile FILE`: write the server's CPU profile of the measured run to FILE. */
const PROFILE = opt('profile', '');
const KEY = 'vk_bench_ingest_key_000001';
const TOKEN = 'vt_bench_admin_token_00001';
const PG_ADMIN_URL = process.env.VIGIL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Pre-serialised batches split around the batch id, so each request gets a fresh id for free. */
function makeBodies(): { parts: Array<[Buffer, Buffer]>; eventBytes: number } {
  const sim = new PortalSimulator({ seed: 42, scenario: 'normal' });
  const parts: Array<[Buffer, Buffer]> = [];
  let bytes = 0;
  let events = 0;
  const now = Date.now();
  for (let i = 0; i < 400; i++) {
    const batch = sim.nextBatch(BATCH, now - (400 - i) * 50);
    batch.batchId = '__BATCH_ID__';
    const text = JSON.stringify(batch);
    const [a, b] = text.split('__BATCH_ID__') as [string, string];
    parts.push([Buffer.from(a), Buffer.from(b)]);
    for (const e of batch.events) bytes += JSON.stringify(e).length;
    events += batch.events.length;
  }
  return { parts, eventBytes: bytes / events };
}

const { parts, eventBytes } = makeBodies();
let sequence = 0;
const runId = Date.now().toString(36);
function nextBody(): { body: Buffer; events: number } {
  const [a, b] = parts[sequence % parts.length] as [Buffer, Buffer];
  sequence++;
  return { body: Buffer.concat([a, Buffer.from(`b-${runId}-${sequence}`), b]), events: BATCH };
}

async function load(server: ServerProcess, seconds: number): Promise<LoadResult & { cpu: number }> {
  const cpu0 = cpuSeconds(server.pid);
  const r = await closedLoop({
    url: server.url,
    path: '/api/v1/events',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    connections: CONNECTIONS,
    seconds,
    nextBody,
  });
  return { ...r, cpu: (cpuSeconds(server.pid) - cpu0) / seconds };
}

function line(label: string, r: LoadResult & { cpu: number }, peakRss?: number): string {
  const eps = r.acceptedEvents / r.seconds;
  const parts = [
    `${label.padEnd(22)} ${Math.round(eps).toLocaleString('en-US').padStart(9)} events/s`,
    `p50 ${quantile(r.latencies, 0.5).toFixed(1)} ms`,
    `p99 ${quantile(r.latencies, 0.99).toFixed(1)} ms`,
    `server CPU ${(r.cpu * 100).toFixed(0)}%`,
    `statuses ${JSON.stringify(r.statuses)}`,
  ];
  if (peakRss !== undefined) parts.push(`peak RSS ${(peakRss / 1048576).toFixed(0)} MB`);
  return parts.join('  ');
}

async function waitForDrain(server: ServerProcess): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const text = await res.text();
    const backlog = Number(/vigil_journal_backlog_rows (\d+)/.exec(text)?.[1] ?? '1');
    if (backlog === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the pipeline did not drain in 5 minutes');
}

async function runVigil(store: string): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-'));
  let databaseUrl = '';
  if (store === 'postgres') {
    const db = `vigil_bench_${process.pid}`;
    try {
      execFileSync('psql', [PG_ADMIN_URL, '-qc', `DROP DATABASE IF EXISTS ${db}`, '-c', `CREATE DATABASE ${db}`], {
        stdio: 'pipe',
      });
    } catch {
      console.log('postgres               skipped: PostgreSQL is not reachable at', PG_ADMIN_URL);
      return;
    }
    databaseUrl = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${db}`);
  }
  const server = await startServer(PROFILE ? 'bench/lib/profiled-main.ts' : 'packages/server/src/main.ts', {
    VIGIL_PROFILE_OUT: PROFILE,
    PORT: '0',
    VIGIL_DATA_DIR: dataDir,
    VIGIL_DATABASE_URL: databaseUrl,
    VIGIL_INGEST_KEY: KEY,
    VIGIL_ADMIN_TOKEN: TOKEN,
    // The host sampler's gauges would count as stored events: lost = acked − stored needs only the load's.
    VIGIL_HEALTH_SAMPLE_INTERVAL_MILLIS: '0',
  });
  try {
    await load(server, 2); // warm-up (JIT, connections, first series)
    await waitForDrain(server);
    const before = await countStored(dataDir, databaseUrl);
    const r = await load(server, SECONDS);
    const { peak } = memory(server.pid);
    if (PROFILE) {
      process.kill(server.pid, 'SIGUSR2');
      await new Promise((r) => setTimeout(r, 3000));
    }
    await waitForDrain(server);
    await server.stop('SIGTERM');
    const stored = (await countStored(dataDir, databaseUrl)) - before;
    console.log(line(`vigil (${store})`, r, peak));
    console.log(
      `${''.padEnd(22)} acked ${r.acceptedEvents.toLocaleString('en-US')}  stored ${stored.toLocaleString('en-US')}  lost ${r.acceptedEvents - stored}`,
    );
    lastVigil[store] = r.acceptedEvents / r.seconds;
  } finally {
    await server.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) {
      try {
        execFileSync('psql', [PG_ADMIN_URL, '-qc', `DROP DATABASE IF EXISTS vigil_bench_${process.pid}`], {
          stdio: 'pipe',
        });
      } catch {}
    }
  }
}

async function countStored(dataDir: string, databaseUrl: string): Promise<number> {
  const store = createStore({ databaseUrl: databaseUrl || undefined, dataDir, durability: 'normal' });
  try {
    return await store.countEvents({ project: 'learning-portal', from: 0, to: Date.now() + 86_400_000 });
  } finally {
    await store.close();
  }
}

const lastVigil: Record<string, number> = {};
console.log(
  `bench:ingest  ${CONNECTIONS} connections, batches of ${BATCH} learning-portal events (~${Math.round(eventBytes)} B each), ${SECONDS} s per run, ${process.env.VIGIL_DURABILITY ?? 'normal'} durability`,
);
const baseline = await startServer('bench/baseline-server.ts', { PORT: '0' }, /running at (http:\/\/\S+)/);
let baselineEps = 0;
try {
  await load(baseline, 2);
  const r = await load(baseline, SECONDS);
  baselineEps = r.acceptedEvents / r.seconds;
  console.log(line('parse-only baseline', r, memory(baseline.pid).peak));
} finally {
  await baseline.stop('SIGKILL');
}
for (const store of STORES) await runVigil(store);
for (const [store, eps] of Object.entries(lastVigil)) {
  console.log(`ratio vigil (${store}) / baseline: ${(eps / baselineEps).toFixed(2)}`);
}
