/**
 * `npm run bench:reports` — a one-year export of the audit log streams with flat memory.
 * Fills a fresh SQLite store with `--rows N` audit records spread over 365 days (default
 * 1,000,000, one every ~32 s), then downloads `GET /api/v1/exports/audit` for the whole year as
 * CSV and as JSON over real HTTP, discarding the bytes, while sampling the server process's RSS
 * every 20 ms. Prints rows, bytes, time, and RSS before the export, at each quarter of it and at
 * its peak: flat means the peak stays near the baseline however many rows go out.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../packages/server/src/app.js';
import { defaultConfig } from '../packages/server/src/config.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};
const ROWS = Number(opt('rows', '1000000'));
const TOKEN = 'vt_bench_reports_token_0001';
const DAY = 86_400_000;
const END = Math.floor(Date.now() / DAY) * DAY;
const START = END - 365 * DAY;
const MB = (n: number) => (n / 1_048_576).toFixed(0);

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-reports-'));
const vigil = await buildApp(
  { ...defaultConfig(), dataDir: dir, port: 0, adminToken: TOKEN, logLevel: 'silent' },
  { startPipeline: false },
);
try {
  const t0 = performance.now();
  const step = (END - START) / ROWS;
  for (let i = 0; i < ROWS; i++) {
    await vigil.store.access.appendAudit({
      ts: Math.floor(START + i * step),
      actor: `user:u${i % 50}`,
      role: 'admin',
      action: 'PATCH /api/v1/alerts/rules/:id',
      target: `rule:r${i % 200}`,
      result: 'ok',
      status: 200,
      ip: '10.0.0.1',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) bench',
    });
    if (i > 0 && i % 250_000 === 0) process.stdout.write(`  inserted ${i.toLocaleString('en-US')} audit records\n`);
  }
  console.log(
    `loaded ${ROWS.toLocaleString('en-US')} audit records over 365 days in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  await vigil.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = vigil.app.server.address() as { port: number };

  for (const format of ['csv', 'json']) {
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const quarters: number[] = [];
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const started = performance.now();
    const bytes = await new Promise<number>((resolve, reject) => {
      const url = `http://127.0.0.1:${port}/api/v1/exports/audit?from=${START}&to=${END}&format=${format}`;
      http
        .get(url, { headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
          if (res.statusCode !== 200) reject(new Error(`export answered ${res.statusCode}`));
          let n = 0;
          let lines = 0;
          res.on('data', (chunk: Buffer) => {
            n += chunk.length;
            for (const b of chunk) if (b === 10) lines++;
            if (quarters.length < 4 && lines >= ((quarters.length + 1) * ROWS) / 4)
              quarters.push(process.memoryUsage().rss);
          });
          res.on('end', () => resolve(n));
          res.on('error', reject);
        })
        .on('error', reject);
    });
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${format.padEnd(4)} export: ${MB(bytes)} MB in ${seconds.toFixed(1)} s (${Math.round(ROWS / seconds).toLocaleString('en-US')} rows/s); ` +
        `RSS before ${MB(baseline)} MB, at 25/50/75/100 % ${quarters.map(MB).join(' / ')} MB, peak ${MB(peak)} MB (+${MB(peak - baseline)} MB)`,
    );
  }
} finally {
  await vigil.close();
  rmSync(dir, { recursive: true, force: true });
}
