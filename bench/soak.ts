/**
 * `npm run bench:soak` — a steady open-loop load for `--minutes` (default 10) at `--rate`
 * events/s (default 50,000: about half of what `bench:ingest` sustains on SQLite here), sampling
 * the server's RSS, the journal backlog and the database size every 10 s. It prints the growth
 * over the last half of the run; flat means < 10 %.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PortalSimulator } from '@vigil/simulator';
import Database from 'better-sqlite3';
import { memory, startServer } from './lib/server-process.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};
const MINUTES = Number(opt('minutes', '10'));
const RATE = Number(opt('rate', '50000'));
const BATCH = 100;
const KEY = 'vk_bench_soak_key_0000001';
const TOKEN = 'vt_bench_soak_token_000001';

const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-soak-'));
const server = await startServer('packages/server/src/main.ts', {
  PORT: '0',
  VIGIL_DATA_DIR: dataDir,
  VIGIL_INGEST_KEY: KEY,
  VIGIL_ADMIN_TOKEN: TOKEN,
});
// Bodies are generated up front (the simulator would otherwise compete with the server for the
// CPU); each send moves the events' timestamps to now and gets a fresh batch id.
const sim = new PortalSimulator({ seed: 7, scenario: 'normal' });
const generatedAt = Date.now();
const templates = Array.from({ length: 600 }, (_, i) =>
  JSON.stringify({ ...sim.nextBatch(BATCH, generatedAt - (600 - i) * 100), batchId: '__ID__' }),
);
let sequence = 0;
function nextBody(): string {
  const shift = Date.now() - generatedAt;
  const template = templates[sequence % templates.length] as string;
  sequence++;
  return template
    .replace('__ID__', `soak-${generatedAt.toString(36)}-${sequence}`)
    .replace(/"ts":(\d+)/g, (_, ts: string) => `"ts":${Number(ts) + shift}`);
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
let accepted = 0;
let failed = 0;
let inFlight = 0;

function send(body: string): void {
  inFlight++;
  const req = http.request(
    `${server.url}/api/v1/events`,
    { method: 'POST', agent, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } },
    (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
      });
      res.on('end', () => {
        inFlight--;
        if (res.statusCode === 202) accepted += (JSON.parse(text) as { accepted: number }).accepted;
        else failed++;
      });
    },
  );
  req.on('error', () => {
    inFlight--;
    failed++;
  });
  req.end(body);
}

const dbBytes = () => {
  let n = 0;
  for (const f of ['vigil.db', 'vigil.db-wal']) {
    try {
      n += statSync(path.join(dataDir, f)).size;
    } catch {}
  }
  return n;
};
/** Bytes of the journal and of the batch-id table (replay detection), read with dbstat. */
const tableBytes = (): { journal: number; batchIds: number } => {
  const db = new Database(path.join(dataDir, 'vigil.db'), { readonly: true });
  try {
    const rows = db
      .prepare(
        "SELECT name, SUM(pgsize) AS bytes FROM dbstat WHERE name IN ('journal', 'batches', 'batches_received_at') GROUP BY name",
      )
      .all() as Array<{ name: string; bytes: number }>;
    const of = (n: string) => rows.find((r) => r.name === n)?.bytes ?? 0;
    return { journal: of('journal'), batchIds: of('batches') + of('batches_received_at') };
  } finally {
    db.close();
  }
};
const backlog = async () => {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return Number(/vigil_journal_backlog_rows (\d+)/.exec(await res.text())?.[1] ?? 'NaN');
};

console.log(`bench:soak  ${RATE.toLocaleString('en-US')} events/s for ${MINUTES} min, SQLite, batches of ${BATCH}`);
console.log('  min   accepted/s   RSS MB   backlog rows   journal MB   batch ids MB   db+wal MB   in flight');
const samples: Array<{ t: number; rss: number; backlog: number; db: number; journal: number }> = [];
const started = Date.now();
const end = started + MINUTES * 60_000;
let lastAccepted = 0;
let nextSample = started + 10_000;
let due = 0;
// Open loop: batches are due at the rate whatever the answers do (bounded in flight, counted).
while (Date.now() < end) {
  const elapsed = (Date.now() - started) / 1000;
  const target = Math.floor((elapsed * RATE) / BATCH);
  while (due < target && inFlight < 64) {
    send(nextBody());
    due++;
  }
  if (Date.now() >= nextSample) {
    nextSample += 10_000;
    const { rss } = memory(server.pid);
    const tables = tableBytes();
    const s = {
      t: (Date.now() - started) / 60_000,
      rss,
      backlog: await backlog(),
      db: dbBytes(),
      journal: tables.journal,
    };
    samples.push(s);
    const mb = (n: number, w: number) => (n / 1048576).toFixed(1).padStart(w);
    const rate = Math.round((accepted - lastAccepted) / 10).toLocaleString('en-US');
    console.log(
      [
        `  ${s.t.toFixed(1).padStart(4)}`,
        rate.padStart(10),
        (s.rss / 1048576).toFixed(0).padStart(6),
        String(s.backlog).padStart(12),
        mb(s.journal, 10),
        mb(tables.batchIds, 12),
        mb(s.db, 9),
        String(inFlight).padStart(9),
      ].join('   '),
    );
    lastAccepted = accepted;
  }
  await new Promise((r) => setTimeout(r, 5));
}
while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
const peak = memory(server.pid).peak;
await server.stop('SIGTERM');
agent.destroy();
rmSync(dataDir, { recursive: true, force: true });

const half = samples.filter((s) => s.t >= MINUTES / 2);
const growth = (pick: (s: (typeof samples)[number]) => number) => {
  const first = half[0];
  const last = half.at(-1);
  if (!first || !last || pick(first) === 0) return 'n/a';
  return `${(((pick(last) - pick(first)) / pick(first)) * 100).toFixed(1)}%`;
};
console.log(
  `  accepted ${accepted.toLocaleString('en-US')} events, failed requests ${failed}, peak RSS ${(peak / 1048576).toFixed(0)} MB`,
);
console.log(
  `  over the last ${MINUTES / 2} min: RSS growth ${growth((s) => s.rss)}, journal table at most ${(Math.max(...half.map((s) => s.journal)) / 1048576).toFixed(1)} MB, backlog at most ${Math.max(...half.map((s) => s.backlog))} rows`,
);
console.log(
  `  database+WAL growth ${growth((s) => s.db)}: batch ids for replay detection are kept 8 days, so they grow with the batch rate until retention removes them`,
);
