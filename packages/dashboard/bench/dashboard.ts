/**
 * `npm run bench:dashboard`: the JS the dashboard ships (gzipped), Lighthouse 12.2.3 on the
 * overview page (performance and accessibility), and the JS heap of a live dashboard left open
 * while the simulator feeds the server (VIGIL_BENCH_MINUTES, default 10).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { runSimulator } from '@vigil/simulator';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { CHROMIUM, settled } from '../test/support/browser.js';
import { ADMIN_PASSWORD, ensureBuilt, startDashboardServer } from '../test/support/dashboard-server.js';
import { growth, type HeapCensus, heapCensus } from './heap-snapshot.js';

const MINUTES = Number(process.env.VIGIL_BENCH_MINUTES ?? 10);
const PORT = 9_300 + Math.floor(Math.random() * 500);
const DIST = fileURLToPath(new URL('../dist/assets/', import.meta.url));
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--remote-debugging-port=${PORT}`,
];

function shippedJs(): { files: number; raw: number; gzip: number } {
  const js = readdirSync(DIST).filter((f) => f.endsWith('.js'));
  const bytes = js.map((f) => readFileSync(path.join(DIST, f)));
  return {
    files: js.length,
    raw: bytes.reduce((a, b) => a + b.length, 0),
    gzip: bytes.reduce((a, b) => a + gzipSync(b, { level: 9 }).length, 0),
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** Below this least-squares growth (bytes per minute) the heap counts as flat: 10 KB/min is 14 MB a day. */
const SLOPE_FLAT = 10 * 1024;

/** Least-squares slope of per-minute samples, the first taken at minute `start`, in bytes per minute. */
function slopePerMinute(ys: number[], start: number): number {
  const xs = ys.map((_, i) => start + i);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / den;
}

await ensureBuilt();
const js = shippedJs();
console.log(`JS shipped: ${js.files} file(s), ${kb(js.raw)} raw, ${kb(js.gzip)} gzipped (target ≤ 150 KB)`);

const server = await startDashboardServer();
const profile = mkdtempSync(path.join(tmpdir(), 'vigil-bench-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  args: ARGS,
  viewport: { width: 1350, height: 940 },
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(server.url);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('tablist').waitFor();

  // Lighthouse shares the signed-in profile: storage is not reset, so the session cookie stays.
  const result = await lighthouse(`${server.url}/?tab=overview`, {
    port: PORT,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility'],
    disableStorageReset: true,
  });
  const cats = result?.lhr.categories;
  const score = (k: string) => Math.round((cats?.[k]?.score ?? 0) * 100);
  const audit = (k: string) => result?.lhr.audits[k]?.displayValue ?? 'n/a';
  console.log(
    `Lighthouse 12.2.3 (mobile, simulated throttling) on /?tab=overview: performance ${score('performance')}, ` +
      `accessibility ${score('accessibility')}; FCP ${audit('first-contentful-paint')}, LCP ${audit('largest-contentful-paint')}, ` +
      `TBT ${audit('total-blocking-time')}, CLS ${audit('cumulative-layout-shift')}`,
  );

  // Live heap: the Performance tab (charts) in real-time mode while the simulator sends traffic.
  await page.goto(`${server.url}/?tab=performance`);
  // Minute 0 is the rendered tab, not the page before its data arrived.
  await settled(page);
  const cdp = await context.newCDPSession(page);
  const abort = new AbortController();
  const sim = runSimulator({
    url: server.url,
    key: server.vigil.ingestKey,
    eventsPerSecond: 40,
    signal: abort.signal,
    seed: 5,
  });
  const fold = setInterval(() => {
    void server.vigil.pipeline.drain().then(() => server.vigil.alerting.engine.evaluate());
  }, 5_000);
  // Two forced collections before each sample: the figure is retained memory, not garbage
  // waiting for the next cycle (a second pass frees what the first one's finalizers released).
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
  };
  // DOM size and alert count next to the heap tell growth of the data shown from a leak.
  const shown = () =>
    page.evaluate(() => ({
      nodes: document.getElementsByTagName('*').length,
      alerts: document.querySelectorAll('[data-testid="alert-list"] > li').length,
    }));
  const samples: number[] = [await heap()];
  const line = async (m: number) => {
    const s = await shown();
    console.log(`  min ${m}: heap ${kb(samples[m]!)}, ${s.nodes} DOM elements, ${s.alerts} active alerts listed`);
  };
  console.log(`Heap of the live Performance tab over ${MINUTES} min (after GC each minute):`);
  await line(0);
  // Snapshots at the half and at the end split the heap into the app's JS data and compiled code.
  const census: HeapCensus[] = [];
  const half = Math.floor((MINUTES + 1) / 2);
  for (let m = 1; m <= MINUTES; m++) {
    await new Promise((r) => setTimeout(r, 60_000));
    samples.push(await heap());
    await line(m);
    if (m === half || m === MINUTES) census.push(await heapCensus(cdp));
  }
  clearInterval(fold);
  abort.abort();
  await sim.catch(() => undefined);
  const firstHalf = Math.max(...samples.slice(0, half + 1));
  const secondHalf = Math.max(...samples.slice(half));
  const slope = slopePerMinute(samples.slice(half), half);
  console.log(
    `Heap: start ${kb(samples[0]!)}, end ${kb(samples.at(-1)!)}, max first half ${kb(firstHalf)}, max second half ${kb(secondHalf)}; ` +
      `slope over min ${half}–${MINUTES} ${(slope / 1024).toFixed(1)} KB/min ` +
      `(${secondHalf <= firstHalf * 1.1 && slope < SLOPE_FLAT ? 'flat' : 'rising; see the snapshot split below'})`,
  );
  const [mid, end] = census;
  if (mid !== undefined && end !== undefined) {
    // The app's retained data decides: compiled code is V8's (JIT output and the scripts the
    // bench's evaluate calls compile) and native objects are the browser's, printed apart.
    const dataFlat = end.jsDataBytes <= mid.jsDataBytes * 1.05;
    console.log(
      `Heap snapshots at min ${half} and ${MINUTES}: JS data ${kb(mid.jsDataBytes)} → ${kb(end.jsDataBytes)} ` +
        `(${dataFlat ? 'flat' : 'GROWING'}), compiled code ${kb(mid.codeBytes)} → ${kb(end.codeBytes)}; ` +
        `most grown: ${growth(mid, end, 6).join(', ') || 'none'}`,
    );
  }
} finally {
  await context.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
