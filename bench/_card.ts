import { templateRoute, validateBatch } from '@vigil/schema';
import { PortalSimulator } from '@vigil/simulator';
import { Aggregator } from '../packages/server/src/pipeline/aggregator.js';

const sim = new PortalSimulator({ seed: 42, scenario: 'normal' });
const now = Date.now();
const agg = new Aggregator({ maxNamesPerMetric: 1000 });
for (let i = 0; i < 200; i++) {
  const v = validateBatch(
    JSON.parse(JSON.stringify({ ...sim.nextBatch(100, now - (400 - i) * 50), batchId: `b-${i}-xxxxxxxx` })),
    now,
  );
  for (const e of v.events) {
    if (e.type === 'api') e.route = templateRoute(e.route);
    if (e.type === 'vital' && e.page) e.page = templateRoute(e.page);
  }
  agg.add({
    seq: i,
    project: 'p',
    receivedAt: 0,
    payload: JSON.stringify({ source: v.batch.source, events: v.events }),
  });
}
const c = agg.take();
const by = new Map<string, number>();
const buckets = new Set<number>();
for (const r of c.rollups) {
  by.set(r.key.metric, (by.get(r.key.metric) ?? 0) + 1);
  buckets.add(r.bucket);
}
console.log(by, 'buckets', buckets.size);
console.log(
  c.rollups
    .filter((r) => r.key.metric === 'api')
    .slice(0, 15)
    .map((r) => `${r.key.name} ${r.key.method} ${r.key.statusClass} ${r.key.service}`),
);
console.log(
  c.rollups
    .filter((r) => r.key.metric === 'vital')
    .slice(0, 8)
    .map((r) => `${r.key.name} ${r.key.phase}`),
);
console.log(
  c.rollups
    .filter((r) => r.key.metric === 'timing')
    .slice(0, 8)
    .map((r) => `${r.key.phase} ${r.key.name}`),
);
