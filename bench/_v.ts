import { validateBatch } from '@vigil/schema';
import { PortalSimulator } from '@vigil/simulator';

const sim = new PortalSimulator({ seed: 42, scenario: 'normal' });
const now = Date.now();
for (let i = 0; i < 50; i++) sim.nextBatch(100, now - 60000 + i * 100);
const bodies = Array.from({ length: 400 }, (_, i) =>
  JSON.stringify({ ...sim.nextBatch(100, now - (400 - i) * 50), batchId: `b-${i}-xxxxxxxx` }),
);
const parsed = bodies.map((b) => JSON.parse(b));
let t = performance.now();
for (let i = 0; i < 4000; i++) validateBatch(parsed[i % 400], now);
console.log('validate', (((performance.now() - t) * 1000) / 4000).toFixed(1), 'µs/batch');
const v = parsed.map((p) => validateBatch(p, now));
t = performance.now();
for (let i = 0; i < 4000; i++) JSON.stringify({ source: v[i % 400]!.batch.source, events: v[i % 400]!.events });
console.log('stringify', (((performance.now() - t) * 1000) / 4000).toFixed(1), 'µs/batch');
t = performance.now();
for (let i = 0; i < 4000; i++) JSON.parse(bodies[i % 400]!);
console.log('parse', (((performance.now() - t) * 1000) / 4000).toFixed(1), 'µs/batch');
