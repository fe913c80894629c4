import { validateBatch } from '@vigil/schema';
import { PortalSimulator } from '@vigil/simulator';
import { Aggregator } from '../packages/server/src/pipeline/aggregator.js';

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
let seq = 0;
const t = performance.now();
for (let i = 0; i < 6000; i++) {
  agg.add({ seq: seq++, project: 'p', receivedAt: 0, payload: payloads[i % 400]! });
  if (i % 200 === 199) agg.take();
}
console.log((((performance.now() - t) * 1000) / 6000).toFixed(1), 'µs/batch');
