/**
 * `npm run bench:query` — read latency of the analytics API over 30 days of learning-portal
 * rollups. The simulator's traffic is folded by the real Aggregator and written straight into
 * a fresh store with `commitPipeline` (no HTTP ingest: a month of data loads in minutes), then
 * `/api/v1/kpis`, `/api/v1/score` and `/api/v1/series` are timed through `app.inject()` over
 * 24 h and 30 d ranges. Targets: P95 < 50 ms (24 h) and < 250 ms (30 d).
 *
 * Options: `--days N` (default 30), `--rate N` simulated events/s at the daily peak (default 20),
 * `--runs N` timed requests per case (default 30), `--stores sqlite,postgres` (default both;
 * PostgreSQL is skipped with a note when unreachable).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { templateRoute } from '@vigil/schema';
import { PortalSimulator } from '@vigil/simulator';
import pg from 'pg';
import { buildApp, type VigilApp } from '../packages/server/src/app.js';
import { defaultConfig, type VigilConfig } from '../packages/server/src/config.js';
import { Aggregator } from '../packages/server/src/pipeline/aggregator.js';
import { quantile } from './lib/load.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};
const DAYS = Number(opt('days', '30'));
const RATE = Number(opt('rate', '20'));
const RUNS = Number(opt('runs', '30'));
const STORES = opt('stores', 'sqlite,postgres').split(',');
const TOKEN = 'vt_bench_query_token_000001';
const PG_URL = process.env.VIGIL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const END = Math.floor(Date.now() / HOUR) * HOUR;
const START = END - DAYS * DAY;

async function pgReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Folds the simulated month hour by hour and commits each hour's rollups. */
async function load(vigil: VigilApp, project: string): Promise<{ events: number; seconds: number }> {
  const started = performance.now();
  const sim = new PortalSimulator({ seed: 2026, users: 20_000 });
  const agg = new Aggregator({ maxNamesPerMetric: defaultConfig().pipeline.maxNamesPerMetric });
  let events = 0;
  for (let hour = START; hour < END; hour += HOUR) {
    for (const batch of sim.batchesFor(hour, hour + HOUR, {
      eventsPerSecond: RATE,
      batchSize: 500,
      stepMillis: 10_000,
    })) {
      // The collector templates routes and pages (ids out of series names); do the same here.
      for (const e of batch.events) {
        if (e.type === 'api') e.route = templateRoute(e.route);
        else if (e.type === 'vital' && e.page !== undefined) e.page = templateRoute(e.page);
      }
      agg.add({
        seq: 0,
        project,
        receivedAt: hour,
        payload: JSON.stringify({ source: batch.source, events: batch.events }),
      });
      events += batch.events.length;
    }
    await vigil.store.commitPipeline({ ...agg.take(), seqs: [] });
    if ((hour - START) % (5 * DAY) === 0 && hour > START) {
      process.stdout.write(
        `  loaded ${((hour - START) / DAY).toFixed(0)} days, ${(events / 1e6).toFixed(1)}M events\n`,
      );
    }
  }
  return { events, seconds: (performance.now() - started) / 1000 };
}

async function time(vigil: VigilApp, url: string): Promise<{ p50: number; p95: number; max: number }> {
  const once = async (): Promise<number> => {
    const t = performance.now();
    const res = await vigil.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TOKEN}` } });
    const ms = performance.now() - t;
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return ms;
  };
  for (let i = 0; i < 3; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await once());
  samples.sort((a, b) => a - b);
  return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95), max: samples.at(-1) as number };
}

async function bench(name: string, overrides: Partial<VigilConfig>): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-query-'));
  const config: VigilConfig = { ...defaultConfig(), dataDir, adminToken: TOKEN, logLevel: 'warn', ...overrides };
  const vigil = await buildApp(config, { startPipeline: false, now: () => END });
  try {
    console.log(`\n${name}: loading ${DAYS} days at ${RATE} events/s peak…`);
    const loaded = await load(vigil, config.defaultProject);
    const size = await vigil.store.sizeBytes();
    console.log(
      `  ${(loaded.events / 1e6).toFixed(2)}M events folded and written in ${loaded.seconds.toFixed(0)} s; store ${(size / 1024 / 1024).toFixed(0)} MB`,
    );
    const kpis = await vigil.app.inject({
      method: 'GET',
      url: `/api/v1/kpis?from=${END - DAY}&to=${END}`,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const values = (kpis.json() as { operational: { key: string; value: number | null }[] }).operational;
    console.log(`  last 24 h: ${values.map((k) => `${k.key} ${k.value}`).join(', ')}`);
    const ranges = [
      ['24 h', END - DAY],
      ['30 d', START],
    ] as const;
    const routes = [
      ['kpis', '/api/v1/kpis'],
      ['score', '/api/v1/score'],
      ['series api', '/api/v1/series?metric=api'],
      ['series gauge memory', '/api/v1/series?metric=gauge&name=memory.percent'],
    ] as const;
    console.log(
      `  ${'route'.padEnd(22)}${'range'.padEnd(7)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'max ms'.padStart(9)}  target`,
    );
    for (const [label, from] of ranges) {
      for (const [route, url] of routes) {
        const sep = url.includes('?') ? '&' : '?';
        const r = await time(vigil, `${url}${sep}from=${from}&to=${END}`);
        const target = label === '24 h' ? 50 : 250;
        console.log(
          `  ${route.padEnd(22)}${label.padEnd(7)}${r.p50.toFixed(1).padStart(9)}${r.p95.toFixed(1).padStart(9)}${r.max.toFixed(1).padStart(9)}  ${r.p95 < target ? 'ok' : 'SLOW'} (< ${target})`,
        );
      }
    }
  } finally {
    await vigil.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (STORES.includes('sqlite')) await bench('SQLite', {});
if (STORES.includes('postgres')) {
  if (await pgReachable()) {
    const schema = `vigil_bench_query_${process.pid}`;
    try {
      await bench('PostgreSQL', { databaseUrl: PG_URL, databaseSchema: schema });
    } finally {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  } else {
    console.log(`\nPostgreSQL: skipped (unreachable at ${PG_URL})`);
  }
}
