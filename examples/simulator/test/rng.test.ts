import { describe, expect, it } from 'vitest';
import { Rng } from '../src/rng.js';

describe('Rng', () => {
  it('yields the same sequence for the same seed', () => {
    const r = new Rng(42);
    expect([r.next(), r.next(), r.int(1, 6), r.hex(8)]).toEqual([
      0.23955312534235418,
      0.5859209857881069,
      1,
      '32dc7275',
    ]);
    const a = new Rng(7);
    const b = new Rng(7);
    const seqA = Array.from({ length: 100 }, () => a.next());
    const seqB = Array.from({ length: 100 }, () => b.next());
    expect(seqA).toEqual(seqB);
  });

  it('gives different sequences for nearby seeds', () => {
    expect(new Rng(1).next()).not.toBe(new Rng(2).next());
  });

  it('keeps int within bounds, both ends reachable', () => {
    const r = new Rng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.int(1, 3));
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  it('hits the median and P95 of the lognormal parameterisation', () => {
    const r = new Rng(11);
    const xs = Array.from({ length: 40_000 }, () => r.lognormal(45, 120)).sort((a, b) => a - b);
    const median = xs[20_000] as number;
    const p95 = xs[38_000] as number;
    expect(median).toBeGreaterThan(43);
    expect(median).toBeLessThan(47);
    expect(p95).toBeGreaterThan(112);
    expect(p95).toBeLessThan(128);
  });

  it('follows the weights of weighted()', () => {
    const r = new Rng(5);
    let a = 0;
    for (let i = 0; i < 20_000; i++)
      if (
        r.weighted([
          ['a', 3],
          ['b', 1],
        ] as const) === 'a'
      )
        a++;
    expect(a / 20_000).toBeGreaterThan(0.73);
    expect(a / 20_000).toBeLessThan(0.77);
  });

  it('formats uuid() like a version 4 UUID', () => {
    expect(new Rng(9).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
