import { PortalSimulator } from '@vigil/simulator';

const sim = new PortalSimulator({ seed: 42, scenario: 'normal' });
const now = Date.now();
const counts = new Map<number, number>();
for (let i = 0; i < 400; i++) {
  const n = sim.nextBatch(100, now - (400 - i) * 50).events.length;
  counts.set(n, (counts.get(n) ?? 0) + 1);
}
console.log(counts);
