import { PortalSimulator } from '@vigil/simulator';

const sim = new PortalSimulator({ seed: 42, scenario: 'normal' });
const re = /@|eyJ|bearer|pass|pwd|secret|token|key|auth|sid|session|\d{4}|\d\.\d/i;
const hits = new Map<string, number>();
const b = sim.nextBatch(500, Date.now());
for (const e of b.events)
  for (const [k, v] of Object.entries(e))
    if (typeof v === 'string' && re.test(v)) hits.set(`${e.type}.${k}`, (hits.get(`${e.type}.${k}`) ?? 0) + 1);
console.log(hits, b.events.length);
console.log(b.events.slice(0, 3));
