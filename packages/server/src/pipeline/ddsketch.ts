/**
 * DDSketch (Masson, Rim & Lee, VLDB 2019): a mergeable quantile sketch whose answers are within a
 * fixed *relative* error of the exact quantile. Rollups keep one per series per minute, so the
 * in-memory form is bounded and the encoded form is small.
 */

/**
 * Relative accuracy used when none is given: quantiles are within ±1% of the exact value.
 *
 * @example
 * new DDSketch(DEFAULT_RELATIVE_ACCURACY * 2); // coarser: ±2%, half the bins
 */
export const DEFAULT_RELATIVE_ACCURACY = 0.01;

/**
 * Most bins one store keeps. At 1% accuracy 2048 bins span a factor of about 6e17 between the
 * smallest and largest value, so collapsing only ever touches absurd ranges, yet memory stays bounded.
 */
const MAX_BINS = 2048;
/** Smaller magnitudes count as zero: the smallest normal double keeps every key a safe integer. */
const MIN_INDEXABLE = 2.2250738585072014e-308;
/** Below this the keys of the largest doubles would stop fitting comfortably in a safe integer. */
const MIN_ACCURACY = 1e-6;
const FORMAT_VERSION = 1;
/** Accuracies that are a whole number of parts per million are encoded as that number (2 bytes for 1%). */
const PPM = 1e6;
/** Runs of occupied bins separated by at most this many empty bins are written as one run: a zero count costs one byte, opening a run at least two. */
const MAX_BRIDGED_GAP = 2;
/** 8 varint bytes carry 56 bits, more than any safe integer needs. */
const MAX_VARINT_BYTES = 8;

/** Dense bins with an offset; the lowest bins collapse into one when the span would pass MAX_BINS. */
class BinStore {
  /** Key of `bins[0]`. */
  offset = 0;
  bins: number[] = [];

  get isEmpty(): boolean {
    return this.bins.length === 0;
  }

  get maxKey(): number {
    return this.offset + this.bins.length - 1;
  }

  add(key: number, count: number): void {
    this.ensureRange(key, key);
    const index = Math.max(key, this.offset) - this.offset;
    this.bins[index] = (this.bins[index] ?? 0) + count;
  }

  addStore(other: BinStore): void {
    if (other.isEmpty) return;
    this.ensureRange(other.offset, other.maxKey);
    for (let i = 0; i < other.bins.length; i++) {
      const count = other.bins[i]!;
      if (count === 0) continue;
      const index = Math.max(other.offset + i, this.offset) - this.offset;
      this.bins[index] = (this.bins[index] ?? 0) + count;
    }
  }

  /**
   * Grows the bins to cover [minKey, maxKey]. The floor only ever rises and everything below it is
   * summed into it, so the result does not depend on the order values or sketches arrive in:
   * merging sketches gives exactly the sketch of the union.
   */
  ensureRange(minKey: number, maxKey: number): void {
    const length = this.bins.length;
    const low = length === 0 ? minKey : Math.min(minKey, this.offset);
    const high = length === 0 ? maxKey : Math.max(maxKey, this.maxKey);
    const floor = Math.max(low, high - MAX_BINS + 1);
    if (length > 0 && floor === this.offset && high === this.maxKey) return;
    const next = new Array<number>(high - floor + 1).fill(0);
    for (let i = 0; i < length; i++) {
      const count = this.bins[i]!;
      if (count === 0) continue;
      const index = Math.max(this.offset + i, floor) - floor;
      next[index] = (next[index] ?? 0) + count;
    }
    this.offset = floor;
    this.bins = next;
  }
}

/**
 * A quantile sketch with relative-error guarantees: `quantile(q)` is within `relativeAccuracy`
 * (relative) of the exact lower quantile of the values added. Values land in logarithmic bins
 * (γ = (1+α)/(1−α)); negatives use a mirrored store and magnitudes below ~2e-308 count as zero.
 * NaN and ±Infinity are ignored.
 *
 * @example
 * const sketch = new DDSketch();
 * for (const ms of [12, 15, 230]) sketch.add(ms);
 * sketch.quantile(0.5); // ≈ 15, within 1%
 * const restored = DDSketch.decode(sketch.encode());
 */
export class DDSketch {
  readonly relativeAccuracy: number;
  private readonly lnGamma: number;
  /** ln(1−α): shifts a bin's upper bound to the point with equal relative error to both ends. */
  private readonly lnValueShift: number;
  private readonly positive = new BinStore();
  private readonly negative = new BinStore();
  private zeroCount = 0;
  private total = 0;

  constructor(relativeAccuracy = DEFAULT_RELATIVE_ACCURACY) {
    if (!(relativeAccuracy >= MIN_ACCURACY && relativeAccuracy < 1)) {
      throw new RangeError(`relativeAccuracy must be in [${MIN_ACCURACY}, 1), got ${relativeAccuracy}`);
    }
    this.relativeAccuracy = relativeAccuracy;
    this.lnGamma = Math.log1p((2 * relativeAccuracy) / (1 - relativeAccuracy));
    this.lnValueShift = Math.log1p(-relativeAccuracy);
  }

  /** Number of values added (including merged sketches). */
  get count(): number {
    return this.total;
  }

  /** True when no value has been added. */
  get isEmpty(): boolean {
    return this.total === 0;
  }

  /**
   * Adds `value` `count` times. NaN and ±Infinity are ignored; `count` must be a positive integer.
   */
  add(value: number, count = 1): void {
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new RangeError(`count must be a positive integer, got ${count}`);
    }
    if (!Number.isFinite(value)) return;
    this.addCount(count);
    const magnitude = Math.abs(value);
    if (magnitude < MIN_INDEXABLE) this.zeroCount += count;
    else if (value > 0) this.positive.add(this.keyOf(magnitude), count);
    else this.negative.add(this.keyOf(magnitude), count);
  }

  /** Adds every value of `other` to this sketch. Throws when the two accuracies differ. */
  merge(other: DDSketch): void {
    if (other.relativeAccuracy !== this.relativeAccuracy) {
      throw new Error(
        `cannot merge sketches of different accuracy (${this.relativeAccuracy} and ${other.relativeAccuracy})`,
      );
    }
    if (other.total === 0) return;
    this.addCount(other.total);
    this.zeroCount += other.zeroCount;
    this.positive.addStore(other.positive);
    this.negative.addStore(other.negative);
  }

  /**
   * The value at rank `q·(count−1)` (the lower quantile), within the relative accuracy; null when
   * the sketch is empty. `q` must be in [0, 1].
   */
  quantile(q: number): number | null {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
    if (this.total === 0) return null;
    const rank = q * (this.total - 1);
    let seen = 0;
    const neg = this.negative;
    for (let i = neg.bins.length - 1; i >= 0; i--) {
      seen += neg.bins[i]!;
      if (seen > rank) return -this.valueOf(neg.offset + i);
    }
    seen += this.zeroCount;
    if (seen > rank) return 0;
    const pos = this.positive;
    for (let i = 0; i < pos.bins.length; i++) {
      seen += pos.bins[i]!;
      if (seen > rank) return this.valueOf(pos.offset + i);
    }
    // Only reachable if counts and total disagree, which add/merge/decode never allow.
    return pos.isEmpty ? 0 : this.valueOf(pos.maxKey);
  }

  /**
   * The occupied bins as (representative value, count), ascending. Small integers such as 1–5
   * ratings land in distinct bins, so this reads their histogram back exactly.
   */
  bins(): { value: number; count: number }[] {
    const out: { value: number; count: number }[] = [];
    const neg = this.negative;
    for (let i = neg.bins.length - 1; i >= 0; i--) {
      const count = neg.bins[i]!;
      if (count > 0) out.push({ value: -this.valueOf(neg.offset + i), count });
    }
    if (this.zeroCount > 0) out.push({ value: 0, count: this.zeroCount });
    const pos = this.positive;
    for (let i = 0; i < pos.bins.length; i++) {
      const count = pos.bins[i]!;
      if (count > 0) out.push({ value: this.valueOf(pos.offset + i), count });
    }
    return out;
  }

  /**
   * Compact binary form: version, accuracy, zero count, then each store (positive, negative) as
   * runs of bins — zigzag start key (later runs: gap from the previous run) + length + counts, all
   * varints: one to two bytes per occupied bin.
   */
  encode(): Uint8Array {
    const out: number[] = [FORMAT_VERSION];
    const ppm = Math.round(this.relativeAccuracy * PPM);
    if (ppm >= 1 && ppm / PPM === this.relativeAccuracy) {
      writeVarint(out, ppm);
    } else {
      writeVarint(out, 0);
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, this.relativeAccuracy, true);
      for (let i = 0; i < 8; i++) out.push(view.getUint8(i));
    }
    writeVarint(out, this.zeroCount);
    writeStore(out, this.positive);
    writeStore(out, this.negative);
    return Uint8Array.from(out);
  }

  /**
   * Adds every value of an encoded sketch without building it: what a long range's quantile does
   * per stored row. Throws when the accuracies differ or the input is malformed (this sketch may
   * then hold part of it, so callers discard it).
   */
  mergeEncoded(bytes: Uint8Array): void {
    const reader = new Reader(bytes);
    const version = reader.byte();
    if (version !== FORMAT_VERSION) throw new Error(`unsupported DDSketch format version ${version}`);
    const ppm = reader.varint();
    const accuracy = ppm === 0 ? reader.float64() : ppm / PPM;
    if (accuracy !== this.relativeAccuracy) {
      throw new Error(`cannot merge sketches of different accuracy (${this.relativeAccuracy} and ${accuracy})`);
    }
    const maxKey = Math.ceil(710 / this.lnGamma);
    const zeros = reader.varint();
    this.zeroCount += zeros;
    this.addCount(zeros);
    this.addCount(readStore(reader, this.positive, maxKey));
    this.addCount(readStore(reader, this.negative, maxKey));
    if (!reader.done) throw new Error('trailing bytes after DDSketch');
  }

  /** Reads the output of `encode()`. Throws an Error on malformed or truncated input. */
  static decode(bytes: Uint8Array): DDSketch {
    const reader = new Reader(bytes);
    const version = reader.byte();
    if (version !== FORMAT_VERSION) throw new Error(`unsupported DDSketch format version ${version}`);
    const ppm = reader.varint();
    const accuracy = ppm === 0 ? reader.float64() : ppm / PPM;
    if (!(accuracy >= MIN_ACCURACY && accuracy < 1)) throw new Error(`invalid DDSketch accuracy ${accuracy}`);
    const sketch = new DDSketch(accuracy);
    // The largest double has key ln(MAX_VALUE)/lnγ < 710/lnγ; anything beyond is garbage.
    const maxKey = Math.ceil(710 / sketch.lnGamma);
    sketch.zeroCount = reader.varint();
    sketch.addCount(sketch.zeroCount);
    sketch.addCount(readStore(reader, sketch.positive, maxKey));
    sketch.addCount(readStore(reader, sketch.negative, maxKey));
    if (!reader.done) throw new Error('trailing bytes after DDSketch');
    return sketch;
  }

  private addCount(count: number): void {
    const next = this.total + count;
    if (!Number.isSafeInteger(next)) throw new RangeError('DDSketch count exceeds the safe integer range');
    this.total = next;
  }

  private keyOf(magnitude: number): number {
    return Math.ceil(Math.log(magnitude) / this.lnGamma);
  }

  private valueOf(key: number): number {
    return Math.min(Math.exp(key * this.lnGamma + this.lnValueShift), Number.MAX_VALUE);
  }
}

/**
 * Merges two encoded sketches; null stands for "no values", so `null + x = x`.
 * Throws when both are present and their accuracies differ, or either is malformed.
 *
 * @example
 * row.sketch = mergeEncodedSketches(row.sketch, incoming.encode());
 */
export function mergeEncodedSketches(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (a === null) return b;
  if (b === null) return a;
  const merged = DDSketch.decode(a);
  merged.merge(DDSketch.decode(b));
  return merged.encode();
}

function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

function writeStore(out: number[], store: BinStore): void {
  const runs: Array<[number, number]> = [];
  const bins = store.bins;
  for (let i = 0; i < bins.length; i++) {
    if (bins[i] === 0) continue;
    const last = runs[runs.length - 1];
    if (last !== undefined && i - last[1] - 1 <= MAX_BRIDGED_GAP) last[1] = i;
    else runs.push([i, i]);
  }
  writeVarint(out, runs.length);
  let previousEnd = 0;
  for (let r = 0; r < runs.length; r++) {
    const [start, end] = runs[r]!;
    writeVarint(out, r === 0 ? zigzag(store.offset + start) : start - previousEnd - 1);
    writeVarint(out, end - start + 1);
    for (let i = start; i <= end; i++) writeVarint(out, bins[i]!);
    previousEnd = end;
  }
}

/** Reads one store into `store` and returns the sum of its counts. */
function readStore(reader: Reader, store: BinStore, maxKey: number): number {
  const runCount = reader.varint();
  const keys: number[] = [];
  const counts: number[] = [];
  let total = 0;
  let key = 0;
  let firstKey = 0;
  for (let r = 0; r < runCount; r++) {
    key = r === 0 ? unzigzag(reader.varint()) : key + 1 + reader.varint();
    if (r === 0) firstKey = key;
    // Each bin costs at least one byte, so a bogus length fails here instead of looping or allocating.
    const length = reader.varint();
    if (length < 1 || length > reader.remaining) throw new Error(`invalid DDSketch run length ${length}`);
    const lastKey = key + length - 1;
    if (key < -maxKey || lastKey > maxKey) throw new Error(`DDSketch bin key out of range: ${key}`);
    if (lastKey - firstKey + 1 > MAX_BINS) throw new Error('DDSketch store spans too many bins');
    for (let i = 0; i < length; i++, key++) {
      const count = reader.varint();
      if (count === 0) continue;
      total += count;
      if (!Number.isSafeInteger(total)) throw new Error('DDSketch count exceeds the safe integer range');
      keys.push(key);
      counts.push(count);
    }
    key = lastKey;
  }
  const first = keys[0];
  const last = keys[keys.length - 1];
  if (first === undefined || last === undefined) return total;
  store.ensureRange(first, last);
  for (let i = 0; i < keys.length; i++) store.add(keys[i]!, counts[i]!);
  return total;
}

/** Bounds-checked cursor over untrusted bytes. */
class Reader {
  private pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  get done(): boolean {
    return this.pos === this.bytes.length;
  }

  byte(): number {
    const b = this.bytes[this.pos];
    if (b === undefined) throw new Error('truncated DDSketch');
    this.pos++;
    return b;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (!Number.isSafeInteger(value)) throw new Error('DDSketch varint exceeds the safe integer range');
        return value;
      }
      scale *= 0x80;
    }
    throw new Error('DDSketch varint too long');
  }

  float64(): number {
    if (this.remaining < 8) throw new Error('truncated DDSketch');
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 8);
    this.pos += 8;
    return view.getFloat64(0, true);
  }
}
