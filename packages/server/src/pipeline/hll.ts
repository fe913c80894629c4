import { hash64 } from '@vigil/schema';

/**
 * HyperLogLog (Flajolet et al. 2007) for distinct sessions and users per rollup bucket. Minutes
 * usually see a handful of sessions, so the encoding switches to a sparse list when that is smaller.
 */

const MIN_PRECISION = 4;
const MAX_PRECISION = 16;
const DEFAULT_PRECISION = 10;
/** First byte of an encoding: the form. A future format gets new tags rather than a version byte. */
const DENSE_TAG = 1;
const SPARSE_TAG = 2;
/** Dense registers are packed 6 bits each: ranks never exceed 65 − precision ≤ 61. */
const REGISTER_BITS = 6;
/** A sparse entry packs (gap, rank) as gap·64 + rank; with ≤ 2^16 registers that is < 2^22, 4 varint bytes. */
const MAX_SPARSE_VARINT_BYTES = 4;

/** 2^−rank for every possible rank, so estimate() does no Math.pow. */
const INVERSE_POWERS = Array.from({ length: 66 }, (_, rank) => 2 ** -rank);

/**
 * A HyperLogLog distinct counter with 2^precision one-byte registers (standard error ≈ 1.04/√(2^p):
 * 3.25% at the default precision 10). Small cardinalities use linear counting, which is exact in
 * practice until collisions become likely.
 *
 * @example
 * const sessions = new HyperLogLog();
 * sessions.add('s-1');
 * sessions.add('s-2');
 * sessions.add('s-1');
 * sessions.estimate(); // 2
 */
export class HyperLogLog {
  readonly precision: number;
  private readonly registers: Uint8Array;

  constructor(precision = DEFAULT_PRECISION) {
    if (!Number.isInteger(precision) || precision < MIN_PRECISION || precision > MAX_PRECISION) {
      throw new RangeError(`precision must be an integer in [${MIN_PRECISION}, ${MAX_PRECISION}], got ${precision}`);
    }
    this.precision = precision;
    this.registers = new Uint8Array(1 << precision);
  }

  /** Counts `value` (an exact string: no trimming or case folding). */
  add(value: string): void {
    const [high, low] = hash64(value);
    const p = this.precision;
    const index = high >>> (32 - p);
    // The 64 − p hash bits after the index: rank is the position of their first 1 bit.
    const rest = (high << p) >>> 0;
    let rank: number;
    if (rest !== 0) rank = Math.clz32(rest) + 1;
    else if (low !== 0) rank = 32 - p + Math.clz32(low) + 1;
    else rank = 65 - p;
    if (rank > this.registers[index]!) this.registers[index] = rank;
  }

  /** Folds `other` into this counter (union). Throws when the precisions differ. */
  merge(other: HyperLogLog): void {
    if (other.precision !== this.precision) {
      throw new Error(`cannot merge HyperLogLogs of precision ${this.precision} and ${other.precision}`);
    }
    for (let i = 0; i < this.registers.length; i++) {
      const theirs = other.registers[i]!;
      if (theirs > this.registers[i]!) this.registers[i] = theirs;
    }
  }

  /** The estimated number of distinct values, rounded to an integer. */
  estimate(): number {
    const m = this.registers.length;
    let sum = 0;
    let zeros = 0;
    for (const rank of this.registers) {
      sum += INVERSE_POWERS[rank]!;
      if (rank === 0) zeros++;
    }
    const raw = (alpha(m) * m * m) / sum;
    // Linear counting below 2.5m, where the raw estimator is biased (the paper's small-range correction).
    // No large-range correction: with a 64-bit hash, collisions need far more values than any minute has.
    const estimate = raw <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : raw;
    return Math.round(estimate);
  }

  /**
   * Binary form: a tag byte (1 dense, 2 sparse), the precision, then either the registers packed
   * 6 bits each or varints of (gap since the previous non-zero register)·64 + rank, whichever is
   * shorter. An empty counter is 2 bytes; three sessions about 9.
   */
  encode(): Uint8Array {
    const sparse: number[] = [SPARSE_TAG, this.precision];
    const denseLength = 2 + (this.registers.length * REGISTER_BITS) / 8;
    let previous = -1;
    for (let i = 0; i < this.registers.length && sparse.length < denseLength; i++) {
      const rank = this.registers[i]!;
      if (rank === 0) continue;
      writeVarint(sparse, (i - previous - 1) * 64 + rank);
      previous = i;
    }
    if (sparse.length < denseLength) return Uint8Array.from(sparse);
    const dense = new Uint8Array(denseLength);
    dense[0] = DENSE_TAG;
    dense[1] = this.precision;
    let accumulator = 0;
    let bits = 0;
    let pos = 2;
    for (const rank of this.registers) {
      accumulator = (accumulator << REGISTER_BITS) | rank;
      bits += REGISTER_BITS;
      if (bits >= 8) {
        bits -= 8;
        dense[pos++] = (accumulator >>> bits) & 0xff;
        accumulator &= (1 << bits) - 1;
      }
    }
    return dense;
  }

  /**
   * Folds an encoded counter into this one (union) without building it: what a long range's
   * distinct count does per stored minute. Throws when the precisions differ or it is malformed.
   */
  mergeEncoded(bytes: Uint8Array): void {
    if (bytes[1] !== this.precision) {
      throw new Error(`cannot merge HyperLogLogs of precision ${this.precision} and ${bytes[1]}`);
    }
    HyperLogLog.readInto(bytes, this);
  }

  /** Reads the output of `encode()`. Throws an Error on malformed or truncated input. */
  static decode(bytes: Uint8Array): HyperLogLog {
    const precision = bytes[1];
    if (precision === undefined) throw new Error('truncated HyperLogLog');
    if (precision < MIN_PRECISION || precision > MAX_PRECISION) {
      throw new Error(`invalid HyperLogLog precision ${precision}`);
    }
    const hll = new HyperLogLog(precision);
    HyperLogLog.readInto(bytes, hll);
    return hll;
  }

  /** Raises `hll`'s registers to the encoded ones (on a fresh counter: decoding). */
  private static readInto(bytes: Uint8Array, hll: HyperLogLog): void {
    const tag = bytes[0];
    const precision = hll.precision;
    const maxRank = 65 - precision;
    const m = hll.registers.length;
    if (tag === DENSE_TAG) {
      if (bytes.length !== 2 + (m * REGISTER_BITS) / 8) throw new Error('HyperLogLog dense length mismatch');
      let accumulator = 0;
      let bits = 0;
      let index = 0;
      for (let pos = 2; pos < bytes.length; pos++) {
        accumulator = (accumulator << 8) | bytes[pos]!;
        bits += 8;
        while (bits >= REGISTER_BITS) {
          bits -= REGISTER_BITS;
          const rank = (accumulator >>> bits) & 0x3f;
          accumulator &= (1 << bits) - 1;
          if (rank > maxRank) throw new Error(`invalid HyperLogLog rank ${rank}`);
          if (rank > hll.registers[index]!) hll.registers[index] = rank;
          index++;
        }
      }
      return;
    }
    if (tag !== SPARSE_TAG) throw new Error(`unknown HyperLogLog encoding tag ${tag}`);
    let pos = 2;
    let previous = -1;
    while (pos < bytes.length) {
      let value = 0;
      let scale = 1;
      for (let i = 0; ; i++) {
        if (i === MAX_SPARSE_VARINT_BYTES) throw new Error('HyperLogLog varint too long');
        const b = bytes[pos++];
        if (b === undefined) throw new Error('truncated HyperLogLog');
        value += (b & 0x7f) * scale;
        if (b < 0x80) break;
        scale *= 0x80;
      }
      const rank = value % 64;
      const index = previous + 1 + Math.floor(value / 64);
      if (rank === 0 || rank > maxRank) throw new Error(`invalid HyperLogLog rank ${rank}`);
      if (index >= m) throw new Error(`HyperLogLog register index ${index} out of range`);
      if (rank > hll.registers[index]!) hll.registers[index] = rank;
      previous = index;
    }
  }
}

/**
 * Merges two encoded counters; null stands for "nothing counted", so `null + x = x`.
 * Throws when both are present and their precisions differ, or either is malformed.
 *
 * @example
 * row.sessions = mergeEncodedHll(row.sessions, minute.encode());
 */
export function mergeEncodedHll(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (a === null) return b;
  if (b === null) return a;
  const merged = HyperLogLog.decode(a);
  merged.merge(HyperLogLog.decode(b));
  return merged.encode();
}

/** Bias constant α_m from the HyperLogLog paper. */
function alpha(m: number): number {
  if (m === 16) return 0.673;
  if (m === 32) return 0.697;
  if (m === 64) return 0.709;
  return 0.7213 / (1 + 1.079 / m);
}

function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}
