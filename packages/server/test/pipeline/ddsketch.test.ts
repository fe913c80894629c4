import { describe, expect, it } from 'vitest';
import { DDSketch, DEFAULT_RELATIVE_ACCURACY, mergeEncodedSketches } from '../../src/pipeline/ddsketch.js';

/** Mulberry32: a tiny seeded PRNG so every data set below is the same on every run. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-normal latencies (Box–Muller), rounded to 0.1 ms like real timings. */
function latencies(seed: number, n: number, medianMs = 120, sigma = 0.6): number[] {
  const random = prng(seed);
  return Array.from({ length: n }, () => {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.round(medianMs * Math.exp(sigma * normal) * 10) / 10;
  });
}

function sketchOf(values: number[], accuracy?: number): DDSketch {
  const sketch = new DDSketch(accuracy);
  for (const v of values) sketch.add(v);
  return sketch;
}

const QUANTILES = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

/** The largest relative error of the sketch against the exact lower quantiles of `values`. */
function worstRelativeError(sketch: DDSketch, values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  let worst = 0;
  for (const q of QUANTILES) {
    const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
    const estimate = sketch.quantile(q)!;
    worst = Math.max(worst, Math.abs(estimate - exact) / Math.abs(exact));
  }
  return worst;
}

// Floating-point slack on top of the guarantee; the bins themselves are exact to α.
const SLACK = 1e-12;

describe('DDSketch', () => {
  it('is empty until a value is added', () => {
    const sketch = new DDSketch();
    expect(sketch.relativeAccuracy).toBe(DEFAULT_RELATIVE_ACCURACY);
    expect(sketch.count).toBe(0);
    expect(sketch.isEmpty).toBe(true);
    expect(sketch.quantile(0.5)).toBeNull();
    // version 1, accuracy 10000 ppm (varint 0x90 0x4e), zero count 0, no positive runs, no negative runs
    expect(Array.from(sketch.encode())).toEqual([1, 0x90, 0x4e, 0, 0, 0]);
  });

  it('answers quantiles of 1..10000 within 1%', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const sketch = sketchOf(values);
    expect(sketch.count).toBe(10_000);
    expect(worstRelativeError(sketch, values)).toBeLessThanOrEqual(0.01 + SLACK);
  });

  it('answers quantiles of 20,000 log-normal latencies within 1%', () => {
    const values = latencies(7, 20_000);
    expect(worstRelativeError(sketchOf(values), values)).toBeLessThanOrEqual(0.01 + SLACK);
  });

  it('honours a coarser accuracy', () => {
    const values = latencies(8, 5_000);
    const sketch = sketchOf(values, 0.05);
    const error = worstRelativeError(sketch, values);
    expect(error).toBeLessThanOrEqual(0.05 + SLACK);
    // Coarser bins really are used: a 1% sketch would not err this much on 5,000 spread values.
    expect(error).toBeGreaterThan(0.01);
  });

  it('handles zeros, tiny magnitudes and negative values', () => {
    // 1e-320 is below the smallest indexable magnitude and counts as zero, like -0.
    const sketch = sketchOf([10, -5, 0, 3, -1, -0, 1e-320]);
    expect(sketch.count).toBe(7);
    // sorted: -5, -1, 0, 0, 0, 3, 10 → rank q·6
    expect(Math.abs(sketch.quantile(0)! + 5) / 5).toBeLessThanOrEqual(0.01 + SLACK);
    expect(Math.abs(sketch.quantile(1 / 6)! + 1)).toBeLessThanOrEqual(0.01 + SLACK);
    expect(sketch.quantile(2 / 6)).toBe(0);
    expect(sketch.quantile(0.5)).toBe(0);
    expect(sketch.quantile(4 / 6)).toBe(0);
    expect(Math.abs(sketch.quantile(5 / 6)! - 3) / 3).toBeLessThanOrEqual(0.01 + SLACK);
    expect(Math.abs(sketch.quantile(1)! - 10) / 10).toBeLessThanOrEqual(0.01 + SLACK);
  });

  it('answers quantiles of mixed-sign data within 1%', () => {
    const random = prng(3);
    const values = Array.from({ length: 4_000 }, () => (random() - 0.3) * 1000);
    expect(worstRelativeError(sketchOf(values), values)).toBeLessThanOrEqual(0.01 + SLACK);
  });

  it('ignores NaN and infinities', () => {
    const sketch = sketchOf([1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(sketch.count).toBe(1);
    expect(sketch.encode()).toEqual(sketchOf([1]).encode());
  });

  it('treats add(v, n) as n single adds and rejects counts that are not positive integers', () => {
    const weighted = new DDSketch();
    weighted.add(7, 3);
    weighted.add(9);
    expect(weighted.count).toBe(4);
    expect(weighted.encode()).toEqual(sketchOf([7, 7, 7, 9]).encode());
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => weighted.add(1, bad)).toThrow(RangeError);
    }
    expect(weighted.count).toBe(4);
  });

  it('rejects quantiles outside [0, 1] and accuracies outside [1e-6, 1)', () => {
    const sketch = sketchOf([1]);
    for (const q of [-0.01, 1.01, Number.NaN]) expect(() => sketch.quantile(q)).toThrow(RangeError);
    for (const a of [0, 1e-7, 1, -0.01, Number.NaN]) expect(() => new DDSketch(a)).toThrow(RangeError);
  });

  it('merges into exactly the sketch of the union', () => {
    const values = latencies(11, 3_000);
    values.push(0, 0, -12.5, -3, 1e9);
    const left = sketchOf(values.filter((_, i) => i % 3 === 0));
    const right = sketchOf(values.filter((_, i) => i % 3 !== 0));
    left.merge(right);
    const union = sketchOf(values);
    expect(left.count).toBe(values.length);
    expect(left.encode()).toEqual(union.encode());
    for (const q of QUANTILES) expect(left.quantile(q)).toBe(union.quantile(q));
  });

  it('merges empty sketches in either direction', () => {
    const full = sketchOf([1, 2, 3]);
    const empty = new DDSketch();
    empty.merge(full);
    expect(empty.encode()).toEqual(full.encode());
    full.merge(new DDSketch());
    expect(full.encode()).toEqual(sketchOf([1, 2, 3]).encode());
  });

  it('refuses to merge sketches of different accuracy', () => {
    expect(() => new DDSketch(0.01).merge(new DDSketch(0.02))).toThrow(
      'cannot merge sketches of different accuracy (0.01 and 0.02)',
    );
  });

  it('bounds its bins by collapsing the lowest ones, independently of merge order', () => {
    // 1e-60 … 1e60 spans ~13,800 bins at 1%; only the top 2,048 survive.
    const values = Array.from({ length: 2_001 }, (_, i) => 10 ** ((i - 1000) * 0.06));
    const union = sketchOf(values);
    const low = sketchOf(values.slice(0, 1_000));
    const high = sketchOf(values.slice(1_000));
    high.merge(low);
    const reversed = sketchOf([...values].reverse());
    expect(high.encode()).toEqual(union.encode());
    expect(reversed.encode()).toEqual(union.encode());
    expect(union.count).toBe(2_001);
    // The top keeps its accuracy …
    expect(Math.abs(union.quantile(1)! - 1e60) / 1e60).toBeLessThanOrEqual(0.01 + SLACK);
    expect(Math.abs(union.quantile(0.99)! - values[1_980]!) / values[1_980]!).toBeLessThanOrEqual(0.01 + SLACK);
    // … while everything below the 2,048-bin window sits in its lowest bin, γ^2047 below the top.
    const gamma = 1.01 / 0.99;
    expect(union.quantile(0)! / union.quantile(1)! / gamma ** -2047).toBeCloseTo(1, 9);
    expect(union.quantile(0.5)).toBe(union.quantile(0));
    // Dense runs cost about a byte per bin: 2,048 bins, counts of 0 or 1.
    expect(union.encode().length).toBeLessThan(2_100);
  });

  it('round-trips through encode/decode exactly', () => {
    const values = latencies(5, 2_000);
    values.push(0, -4, -4000, 1e-300, 1e300, Number.MAX_VALUE, -Number.MAX_VALUE);
    for (const accuracy of [0.01, 0.02, 0.0123456789]) {
      const sketch = sketchOf(values, accuracy);
      const decoded = DDSketch.decode(sketch.encode());
      expect(decoded.relativeAccuracy).toBe(accuracy);
      expect(decoded.count).toBe(sketch.count);
      for (const q of QUANTILES) expect(decoded.quantile(q)).toBe(sketch.quantile(q));
      expect(decoded.encode()).toEqual(sketch.encode());
    }
    expect(DDSketch.decode(new DDSketch().encode()).isEmpty).toBe(true);
  });

  it('answers for the largest doubles without overflowing to Infinity', () => {
    for (const accuracy of [0.01, 0.3]) {
      const top = sketchOf([Number.MAX_VALUE, -Number.MAX_VALUE], accuracy);
      expect(Number.isFinite(top.quantile(1))).toBe(true);
      expect(Number.isFinite(top.quantile(0))).toBe(true);
      expect(Math.abs(top.quantile(1)! / Number.MAX_VALUE - 1)).toBeLessThanOrEqual(accuracy + SLACK);
    }
  });

  it('encodes a minute of 150 latencies in under 160 bytes', () => {
    // Measured over 200 seeded minutes (median 120 ms, σ 0.6): 114–149 bytes, about one byte per bin.
    const sizes = Array.from({ length: 50 }, (_, seed) => sketchOf(latencies(1_000 + seed, 150)).encode().length);
    expect(Math.max(...sizes)).toBeLessThan(160);
    // The same minute with a float64 accuracy header is 7 bytes longer, so the ppm header matters.
    const minute = latencies(1_000, 150);
    const ppmLength = sketchOf(minute).encode().length;
    expect(sketchOf(minute, 0.0100000001).encode().length).toBe(ppmLength + 7);
  });

  it('writes a few repeated values in a handful of bytes', () => {
    const bytes = sketchOf([100, 100, 100, 103]).encode();
    // version 1, accuracy 2, zero count 1, one positive run (run count 1, key 231 as zigzag 462 = 2,
    // length 1, counts 3 and 1 → 2), no negative runs 1.
    expect(Array.from(bytes)).toEqual([1, 0x90, 0x4e, 0, 1, 0xce, 0x03, 2, 3, 1, 0]);
  });

  it('rejects malformed encodings', () => {
    const valid = sketchOf([1, 2, 3, -7, 0]).encode();
    expect(() => DDSketch.decode(new Uint8Array())).toThrow('truncated DDSketch');
    expect(() => DDSketch.decode(Uint8Array.from([2, 0x90, 0x4e, 0, 0, 0]))).toThrow(
      'unsupported DDSketch format version 2',
    );
    // Every strict prefix of a valid encoding is truncated.
    for (let end = 0; end < valid.length; end++) expect(() => DDSketch.decode(valid.subarray(0, end))).toThrow(Error);
    expect(() => DDSketch.decode(Uint8Array.from([...valid, 0]))).toThrow('trailing bytes after DDSketch');
    // Accuracy of 1,000,000 ppm (= 1) is not a valid accuracy.
    expect(() => DDSketch.decode(Uint8Array.from([1, 0xc0, 0x84, 0x3d, 0, 0, 0]))).toThrow(
      'invalid DDSketch accuracy 1',
    );
    // A run claiming 2^40 bins in a 9-byte buffer.
    expect(() =>
      DDSketch.decode(Uint8Array.from([1, 0x90, 0x4e, 0, 1, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 1])),
    ).toThrow('invalid DDSketch run length');
    // A varint that never ends.
    expect(() => DDSketch.decode(Uint8Array.from([1, 0x90, 0x4e, ...new Array(20).fill(0xff)]))).toThrow(
      'DDSketch varint too long',
    );
    // A bin key of 10^9, far beyond the largest double's 35,500 (zigzag 2·10^9).
    expect(() =>
      DDSketch.decode(Uint8Array.from([1, 0x90, 0x4e, 0, 1, 0x80, 0xa8, 0xd6, 0xb9, 0x07, 1, 1, 0])),
    ).toThrow('DDSketch bin key out of range');
    // Two runs 5,000 bins apart: more than one store ever holds.
    expect(() => DDSketch.decode(Uint8Array.from([1, 0x90, 0x4e, 0, 2, 0, 1, 1, 0x88, 0x27, 1, 1, 0]))).toThrow(
      'DDSketch store spans too many bins',
    );
  });

  it('never hangs or crashes with anything but an Error on random bytes', () => {
    const random = prng(99);
    let rejected = 0;
    for (let i = 0; i < 2_000; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 48) }, () => Math.floor(random() * 256));
      if (i % 2 === 0) bytes[0] = 1; // get past the version check half of the time
      try {
        const sketch = DDSketch.decode(bytes);
        expect(Number.isSafeInteger(sketch.count)).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(Error);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(1_900);
  });
});

describe('mergeEncodedSketches', () => {
  it('treats null as the empty sketch', () => {
    const bytes = sketchOf([1, 2]).encode();
    expect(mergeEncodedSketches(null, null)).toBeNull();
    expect(mergeEncodedSketches(null, bytes)).toBe(bytes);
    expect(mergeEncodedSketches(bytes, null)).toBe(bytes);
  });

  it('merges two encodings into the encoding of the union', () => {
    const a = latencies(21, 100);
    const b = latencies(22, 100);
    expect(mergeEncodedSketches(sketchOf(a).encode(), sketchOf(b).encode())).toEqual(sketchOf([...a, ...b]).encode());
  });

  it('refuses encodings of different accuracy', () => {
    expect(() => mergeEncodedSketches(sketchOf([1], 0.01).encode(), sketchOf([1], 0.02).encode())).toThrow(
      'cannot merge sketches of different accuracy',
    );
  });
});
