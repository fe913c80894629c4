/**
 * `npm run bench:sdk`: the cost of the SDK's hot calls in Node, next to prom-client's
 * `Histogram.observe()` in the same run, and the heap of a host recording 1,000 events/s
 * while the collector is unreachable. Prints figures; asserts nothing.
 *
 * Run with `node --expose-gc --import tsx packages/sdk/bench/sdk.ts` (the npm script does).
 */
import { Histogram, Registry } from 'prom-client';
import { ApplicationMonitor, close, ErrorTracker, getStats, init } from '../src/index.js';
import { useMonitoring } from '../src/react.js';

const gc = (globalThis as { gc?: () => void }).gc;
const ROUND = 50_000;

function fresh(): void {
  // A collector that never answers: nothing leaves the queue while we time the record path.
  init({
    endpoint: 'http://127.0.0.1:9',
    key: 'bench',
    service: 'bench',
    flushIntervalMillis: 3_600_000,
    maxBatchSize: 1000,
    maxQueueEvents: ROUND * 2,
    maxQueueBytes: 512 * 1024 * 1024,
    request: () => new Promise(() => {}),
  });
}

/** Median ns per call over `rounds` rounds of ROUND calls, each on a fresh client. */
function nsPerCall(fn: (i: number) => void, rounds = 15, reset = fresh): number {
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) {
    reset();
    gc?.();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ROUND; i++) fn(i);
    results.push(Number(process.hrtime.bigint() - t0) / ROUND);
  }
  results.sort((a, b) => a - b);
  return results[Math.floor(results.length / 2)] as number;
}

const monitor = ApplicationMonitor.getInstance();
const { recordUserAction } = useMonitoring();
const err = new Error('Cannot read properties of undefined (reading "id")');
const registry = new Registry();
const noLabels = new Histogram({ name: 'h_plain', help: 'h', registers: [registry] });
const labelled = new Histogram({ name: 'h_labels', help: 'h', labelNames: ['route', 'status'], registers: [registry] });
const noop = (): void => {};

const rows: Array<[string, number]> = [
  ['ApplicationMonitor.recordAPIResponse(150)', nsPerCall(() => monitor.recordAPIResponse(150))],
  [
    "useMonitoring().recordUserAction('video_start', userId, { courseId, videoId })",
    nsPerCall((i) => recordUserAction('video_start', 'user-42', { courseId: 'c-17', videoId: `v-${i & 7}` })),
  ],
  [
    "ErrorTracker.trackError(err, 'javascript')",
    nsPerCall(() => ErrorTracker.getInstance().trackError(err, 'javascript'), 5),
  ],
  ['prom-client Histogram.observe(150), no labels', nsPerCall(() => noLabels.observe(150), 15, noop)],
  [
    'prom-client Histogram.observe({ route, status }, 150)',
    nsPerCall(() => labelled.observe({ route: '/api/courses/:id', status: '200' }, 150), 15, noop),
  ],
];
close();
console.log('Per call (median of rounds of 50,000, Node', process.version, gc ? 'with --expose-gc' : 'without gc', ')');
for (const [name, ns] of rows) {
  console.log(`  ${name.padEnd(80)} ${ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`}`);
}

// Heap with the collector unreachable: 1,000 events/s for 10 minutes (600,000 events). By default
// time is compressed (each "second" is one 1 ms tick, with retry delays scaled down to match);
// BENCH_SDK_REALTIME=1 runs the real 10 minutes with the default retry settings.
const realTime = process.env.BENCH_SDK_REALTIME === '1';
init({
  endpoint: 'http://127.0.0.1:9',
  key: 'bench',
  service: 'bench',
  ...(realTime ? {} : { flushIntervalMillis: 50, retryBaseMillis: 10 }),
});
const heap = (): number => {
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};
const start = heap();
const began = Date.now();
const samples: string[] = [];
let peak = start;
for (let second = 1; second <= 600; second++) {
  // Ten ticks of 100 events per second; in real time each tick waits for its slot on the clock.
  for (let tick = 0; tick < 10; tick++) {
    for (let i = 0; i < 100; i++) monitor.recordAPIResponse(100 + (i % 50), '/api/courses/:id', 200);
    const slot = began + (second - 1) * 1000 + (tick + 1) * 100;
    if (realTime) await new Promise((r) => setTimeout(r, Math.max(0, slot - Date.now())));
  }
  if (!realTime) await new Promise((r) => setTimeout(r, 1));
  if (second % 30 === 0) peak = Math.max(peak, heap());
  if (second % 120 === 0) samples.push(`${second / 60} min ${heap().toFixed(1)} MB`);
}
const s = getStats();
console.log(
  `Heap, collector unreachable, 600,000 events (10 ${realTime ? 'real' : 'simulated'} minutes at 1,000/s, ${((Date.now() - began) / 1000).toFixed(0)} s wall):`,
);
console.log(`  start ${start.toFixed(1)} MB; ${samples.join('; ')}; peak of samples ${peak.toFixed(1)} MB`);
console.log(`  queued ${s.queued}, dropped ${s.dropped} (counted, reported via onDiagnostic), retries ${s.retries}`);
close();
