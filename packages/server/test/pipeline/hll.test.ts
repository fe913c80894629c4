import { describe, expect, it } from 'vitest';
import { HyperLogLog, mergeEncodedHll } from '../../src/pipeline/hll.js';

function hllOf(values: Iterable<string>, precision?: number): HyperLogLog {
  const hll = new HyperLogLog(precision);
  for (const v of values) hll.add(v);
  return hll;
}

function ids(prefix: string, from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);
}

describe('HyperLogLog', () => {
  it('counts nothing, one and ten values exactly', () => {
    expect(new HyperLogLog().estimate()).toBe(0);
    expect(hllOf(['only']).estimate()).toBe(1);
    expect(hllOf(ids('user-', 0, 10)).estimate()).toBe(10);
  });

  it('is exact through linear counting until the first register collision', () => {
    // Linear counting gives m·ln(m/(m−n)) ≈ n + n²/2m, which rounds to n while no two values share
    // a register. The 18 strings user-0 … user-17 hold the first collision, so 18 reads as 17.
    for (let n = 0; n <= 17; n++) expect(hllOf(ids('user-', 0, n)).estimate()).toBe(n);
    expect(hllOf(ids('user-', 0, 18)).estimate()).toBe(17);
  });

  it('does not count duplicates twice', () => {
    const once = hllOf(ids('session-', 0, 1_000));
    const repeated = new HyperLogLog();
    for (let round = 0; round < 5; round++) for (const id of ids('session-', 0, 1_000)) repeated.add(id);
    expect(repeated.estimate()).toBe(once.estimate());
    expect(repeated.encode()).toEqual(once.encode());
  });

  it('estimates 10k and 100k distinct values within 5%', () => {
    // Pinned values also guard the hash: registers are persisted, so it must never change.
    const tenThousand = hllOf(ids('session-', 0, 10_000)).estimate();
    const hundredThousand = hllOf(ids('session-', 0, 100_000)).estimate();
    expect(tenThousand).toBe(10_169);
    expect(hundredThousand).toBe(95_239);
    expect(Math.abs(tenThousand / 10_000 - 1)).toBeLessThan(0.05);
    expect(Math.abs(hundredThousand / 100_000 - 1)).toBeLessThan(0.05);
  });

  it('has the standard error the theory predicts at precision 10', () => {
    // Theory: 1.04/√1024 = 3.25%. Over 20 independent sets the RMS error measured 3.07%; a biased or
    // clumping hash shows up as a much larger figure, so allow up to 4.5%.
    let squares = 0;
    for (let seed = 0; seed < 20; seed++) {
      const error = hllOf(ids(`s${seed}-`, 0, 10_000)).estimate() / 10_000 - 1;
      squares += error * error;
    }
    expect(Math.sqrt(squares / 20)).toBeLessThan(0.045);
  });

  it('supports precisions 4 to 16 and rejects others', () => {
    expect(hllOf(ids('x', 0, 1_000), 16).estimate()).toBe(1_000);
    expect(hllOf(ids('x', 0, 1_000), 4).estimate()).toBe(1_011);
    for (const p of [3, 17, 10.5, Number.NaN]) expect(() => new HyperLogLog(p)).toThrow(RangeError);
  });

  it('merges into exactly the counter of the union', () => {
    const a = ids('u', 0, 3_000);
    const b = ids('u', 2_000, 6_000);
    const merged = hllOf(a);
    merged.merge(hllOf(b));
    const union = hllOf([...a, ...b]);
    expect(merged.encode()).toEqual(union.encode());
    expect(merged.estimate()).toBe(union.estimate());
  });

  it('refuses to merge counters of different precision', () => {
    expect(() => new HyperLogLog(10).merge(new HyperLogLog(12))).toThrow(
      'cannot merge HyperLogLogs of precision 10 and 12',
    );
  });

  it('encodes small counters sparsely in a few bytes', () => {
    expect(Array.from(new HyperLogLog().encode())).toEqual([2, 10]);
    // Pinned: tag 2 (sparse), precision 10, then (gap·64 + rank) varints for three registers.
    expect(Array.from(hllOf(['a', 'b', 'c']).encode())).toEqual([2, 10, 131, 56, 193, 63, 195, 149, 1]);
  });

  it('switches to the 6-bit dense form when it is smaller', () => {
    const dense = hllOf(ids('session-', 0, 10_000)).encode();
    expect(dense[0]).toBe(1);
    expect(dense.length).toBe(2 + 768);
    // Close registers pack (gap·64 + rank) into one byte, so sparse wins until most registers are set:
    // 1,000 values set 628 registers in 723 bytes; 2,000 set 868 and the dense 770 bytes win.
    expect(hllOf(ids('session-', 0, 100)).encode().length).toBe(178);
    expect(hllOf(ids('session-', 0, 1_000)).encode().length).toBe(723);
    expect(hllOf(ids('session-', 0, 1_000)).encode()[0]).toBe(2);
    expect(hllOf(ids('session-', 0, 2_000)).encode()[0]).toBe(1);
  });

  it('round-trips sparse and dense encodings', () => {
    for (const n of [0, 1, 3, 100, 1_000, 50_000]) {
      for (const precision of [4, 10, 16]) {
        const hll = hllOf(ids('v', 0, n), precision);
        const decoded = HyperLogLog.decode(hll.encode());
        expect(decoded.precision).toBe(precision);
        expect(decoded.estimate()).toBe(hll.estimate());
        expect(decoded.encode()).toEqual(hll.encode());
      }
    }
  });

  it('rejects malformed encodings', () => {
    const cases: Array<[number[], string]> = [
      [[], 'truncated HyperLogLog'],
      [[2], 'truncated HyperLogLog'],
      [[2, 3], 'invalid HyperLogLog precision 3'],
      [[1, 17], 'invalid HyperLogLog precision 17'],
      [[9, 10], 'unknown HyperLogLog encoding tag 9'],
      [[1, 10, 0, 0], 'HyperLogLog dense length mismatch'],
      [[2, 10, 0x80], 'truncated HyperLogLog'],
      [[2, 10, 0xff, 0xff, 0xff, 0xff, 0x01], 'HyperLogLog varint too long'],
      // rank 0 has no place in the sparse list; 56 is above the largest rank at precision 10 (55)
      [[2, 10, 0], 'invalid HyperLogLog rank 0'],
      [[2, 10, 56], 'invalid HyperLogLog rank 56'],
      // gap 1024 → register 1024 of 1024
      [[2, 10, 0x81, 0x80, 0x04], 'HyperLogLog register index 1024 out of range'],
    ];
    for (const [bytes, message] of cases) {
      expect(() => HyperLogLog.decode(Uint8Array.from(bytes))).toThrow(message);
    }
    // A dense register of 63 (all six bits set) is above the maximum rank.
    const dense = new Uint8Array(2 + 768);
    dense.set([1, 10, 0xfc]);
    expect(() => HyperLogLog.decode(dense)).toThrow('invalid HyperLogLog rank 63');
  });
});

describe('mergeEncodedHll', () => {
  it('treats null as the empty counter', () => {
    const bytes = hllOf(['a']).encode();
    expect(mergeEncodedHll(null, null)).toBeNull();
    expect(mergeEncodedHll(null, bytes)).toBe(bytes);
    expect(mergeEncodedHll(bytes, null)).toBe(bytes);
  });

  it('merges sparse with sparse and sparse with dense', () => {
    const few = ['s1', 's2', 's3'];
    const many = ids('s', 0, 5_000);
    expect(mergeEncodedHll(hllOf(few).encode(), hllOf(['s4']).encode())).toEqual(hllOf([...few, 's4']).encode());
    expect(mergeEncodedHll(hllOf(few).encode(), hllOf(many).encode())).toEqual(hllOf([...few, ...many]).encode());
  });
});
