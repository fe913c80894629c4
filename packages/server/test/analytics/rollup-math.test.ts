import { describe, expect, it } from 'vitest';
import { distinctVisitors, percent, round } from '../../src/analytics/rollup-math.js';
import { DDSketch } from '../../src/pipeline/ddsketch.js';
import { HyperLogLog } from '../../src/pipeline/hll.js';
import { sessionMinute } from './rollup-builders.js';

describe('distinctVisitors', () => {
  it('unions per-minute sketches: a session seen in two minutes counts once', () => {
    const minutes = Array.from({ length: 10 }, (_, i) =>
      sessionMinute(i * 60_000, [`s-${i}`, `s-${i + 1}`], [`u-${i % 7}`]),
    );
    expect(distinctVisitors(minutes)).toEqual({ sessions: 11, users: 7 });
    expect(distinctVisitors([])).toEqual({ sessions: 0, users: 0 });
  });

  it('folds encoded counters (sparse and dense) exactly like decode + merge', () => {
    const a = new HyperLogLog(9);
    const b = new HyperLogLog(9);
    for (let i = 0; i < 3000; i++) a.add(`a-${i}`); // dense
    for (let i = 0; i < 5; i++) b.add(`b-${i}`); // sparse
    const folded = HyperLogLog.decode(b.encode());
    folded.mergeEncoded(a.encode());
    const merged = HyperLogLog.decode(a.encode());
    merged.merge(HyperLogLog.decode(b.encode()));
    expect(folded.encode()).toEqual(merged.encode());
    expect(() => folded.mergeEncoded(new HyperLogLog(10).encode())).toThrow(/precision 9 and 10/);
  });
});

describe('round and percent', () => {
  it('round to the given decimals, null stays null; percent is null on an empty whole', () => {
    expect(round(99.87654, 2)).toBe(99.88);
    expect(round(null)).toBeNull();
    expect(percent(3, 4)).toBe(75);
    expect(percent(1, 0)).toBeNull();
  });
});

describe('DDSketch.mergeEncoded', () => {
  it('gives exactly the sketch that decode + merge gives, and refuses another accuracy', () => {
    const a = new DDSketch(0.02);
    const b = new DDSketch(0.02);
    for (const v of [1, 5, 12, 300, 0, -4]) a.add(v);
    for (const v of [2, 5, 7000, 0.001]) b.add(v);
    const folded = DDSketch.decode(a.encode());
    folded.mergeEncoded(b.encode());
    const merged = DDSketch.decode(a.encode());
    merged.merge(DDSketch.decode(b.encode()));
    expect(folded.encode()).toEqual(merged.encode());
    expect(folded.count).toBe(10);
    expect(() => folded.mergeEncoded(new DDSketch(0.01).encode())).toThrow(/different accuracy/);
  });
});
