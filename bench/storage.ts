/**
 * `npm run bench:storage` — bytes on disk for a simulated day of learning-portal traffic at
 * 1M events/hour (compressed in time through the events' timestamps), through the real
 * collector and pipeline on SQLite, and the month extrapolated from it.
 *
 * Options: `--hours N` (default 24), `--rate N` events/hour (default 1,000,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PortalSimulator } from '@vigil/simulator';
import Database from 'better-sqlite3';
import { buildApp } from '../packages/server/src/app.js';
import { defaultConfig } from '../packages/server/src/config.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};
const HOURS = Number(opt('hours', '24'));
const PER_HOUR = Number(opt('rate', '1000000'));
const KEY = 'vk_bench_storage_key_00001';
const MB = 1024 * 1024;

const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-storage-'));
const end = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
const start = end - HOURS * 3_600_000;
const vigil = await buildApp(
  {
    ...defaultConfig(),
    dataDir,
    ingestKey: KEY,
    logLevel: 'warn',
    ingest: { ...defaultConfig().ingest, rateLimitEventsPerSecond: 100_000_000 },
  },
  { startPipeline: false },
);
const sim = new PortalSimulator({ seed: 2026, users: 50_000 });
let events = 0;
let batches = 0;
const started = performance.now();
// The daily load curve averages below its peak; scale the peak so the day averages PER_HOUR.
const peakPerSecond = (PER_HOUR / 3600) * 1.71;
for (const batch of sim.batchesFor(start, end, {
  eventsPerSecond: peakPerSecond,
  batchSize: 500,
  stepMillis: 10_000,
})) {
  const res = await vigil.app.inject({
    method: 'POST',
    url: '/api/v1/events',
    payload: JSON.stringify(batch),
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
  });
  if (res.statusCode !== 202) throw new Error(`ingest failed: ${res.statusCode} ${res.body}`);
  events += (res.json() as { accepted: number }).accepted;
  batches++;
  if (batches % 200 === 0) {
    await vigil.pipeline.drain();
    const hoursDone = (batch.sentAt - start) / 3_600_000;
    process.stdout.write(
      `\r  ${hoursDone.toFixed(1)} of ${HOURS} simulated hours, ${events.toLocaleString('en-US')} events`,
    );
  }
}
await vigil.pipeline.drain();
const seconds = (performance.now() - started) / 1000;
const stored = await vigil.store.countEvents({ project: 'learning-portal', from: 0, to: Date.now() + 86_400_000 });
const asIs = await vigil.store.sizeBytes();
await vigil.close();

// Per-table sizes (dbstat) after a VACUUM, so free pages left by the consumed journal do not count.
const db = new Database(path.join(dataDir, 'vigil.db'));
db.exec('VACUUM');
let tables: Array<{ name: string; bytes: number }> = [];
try {
  tables = db
    .prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC')
    .all() as Array<{ name: string; bytes: number }>;
} catch {
  // dbstat is a compile-time option; without it only the total is shown.
}
const rollupStats = db
  .prepare(
    'SELECT COUNT(*) AS rows, COUNT(DISTINCT bucket) AS minutes, AVG(LENGTH(sketch)) AS sketch FROM rollup_minute',
  )
  .get() as { rows: number; minutes: number; sketch: number };
const pageCount = db.pragma('page_count', { simple: true }) as number;
const pageSize = db.pragma('page_size', { simple: true }) as number;
const vacuumed = pageCount * pageSize;
db.close();
rmSync(dataDir, { recursive: true, force: true });

const perDay = (vacuumed / HOURS) * 24;
const rowsPerMinute = rollupStats.rows / Math.max(1, rollupStats.minutes);
const batchIdBytes = tables
  .filter((t) => t.name.startsWith('batches') || t.name.includes('batches'))
  .reduce((n, t) => n + t.bytes, 0);
console.log(
  `\nbench:storage  ${HOURS} simulated hours at ${PER_HOUR.toLocaleString('en-US')} events/hour (learning-portal mix), SQLite`,
);
console.log(
  `  events ingested ${events.toLocaleString('en-US')}, stored ${stored.toLocaleString('en-US')}, in ${seconds.toFixed(0)} s (${Math.round(events / seconds).toLocaleString('en-US')} events/s through collector + pipeline, in process)`,
);
console.log(
  `  database as left by the server ${(asIs / MB).toFixed(1)} MB, after VACUUM ${(vacuumed / MB).toFixed(1)} MB`,
);
console.log(
  `  minute rollups: ${rowsPerMinute.toFixed(0)} series per minute, sketches ${rollupStats.sketch.toFixed(0)} B on average`,
);
for (const t of tables.slice(0, 12))
  console.log(`    ${t.name.padEnd(40)} ${(t.bytes / MB).toFixed(2).padStart(8)} MB`);
console.log(`  per day ${(perDay / MB).toFixed(1)} MB  →  per 30-day month ${((perDay * 30) / MB).toFixed(0)} MB`);
if (batchIdBytes > 0) {
  console.log(
    `  of which replay-detection batch ids (a rolling 8-day window, not monthly growth): ${(((batchIdBytes / HOURS) * 24) / MB).toFixed(1)} MB/day`,
  );
  console.log(
    `  month without the batch-id window: ${(((perDay - (batchIdBytes / HOURS) * 24) * 30) / MB).toFixed(0)} MB`,
  );
}
