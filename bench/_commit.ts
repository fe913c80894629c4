import { mkdtempSync } from 'node:fs';
import { validateBatch } from '@vigil/schema';
import { PortalSimulator } from '@vigil/simulator';
import { Aggregator } from '../packages/server/src/pipeline/aggregator.js';
import { createStore } from '../packages/server/src/store/create-store.js';

const sim = new PortalSimulator({ seed: 42, scenario: 'normal' });
const now = Date.now();
const payloads = Array.from({ length: 400 }, (_, i) => {
  const v = validateBatch(
    JSON.parse(JSON.stringify({ ...sim.nextBatch(100, now - (400 - i) * 50), batchId: `b-${i}-xxxxxxxx` })),
    now,
  );
  return JSON.stringify({ source: v.batch.source, events: v.events });
});
const agg = new Aggregator({ maxNamesPerMetric: 1000 });
const store = createStore({ dataDir: mkdtempSync('/tmp/micro-'), durability: 'normal' });
await store.migrate();
let seq = 0;
let rollups = 0,
  errors = 0,
  sessions = 0;
const t = performance.now();
for (let s = 0; s < 30; s++) {
  for (let i = 0; i < 200; i++) agg.add({ seq: seq++, project: 'p', receivedAt: 0, payload: payloads[seq % 400]! });
  const c = agg.take();
  rollups += c.rollups.length;
  errors += c.errors.length;
  sessions += c.sessions.length;
  c.seqs = [];
  await store.commitPipeline(c);
}
console.log(
  ((performance.now() - t) / 30).toFixed(1),
  'ms/step',
  rollups / 30,
  'rollups/step',
  errors / 30,
  'errors',
  sessions / 30,
  'sessions',
);
