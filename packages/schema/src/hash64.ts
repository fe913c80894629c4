/**
 * A 64-bit string hash as two 32-bit halves, without BigInt (old browsers run it too). Each
 * step per UTF-16 unit (xor, odd multiply, rotate) is a bijection of the lane state, so
 * equal-length strings differing in one unit never collide; a Feistel cross-mix and murmur3's
 * fmix32 then spread every input bit over both halves. Error fingerprints and HyperLogLog
 * registers are persisted from it, so this function must never change.
 *
 * @example
 * const [high, low] = hash64('session-1');
 */
export function hash64(s: string): [number, number] {
  let h1 = 0x9e3779b9 ^ s.length;
  let h2 = 0x7f4a7c15;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x85ebca77);
    h1 = (h1 << 13) | (h1 >>> 19);
    h2 = Math.imul(h2 ^ c, 0xc2b2ae3d);
    h2 = (h2 << 17) | (h2 >>> 15);
  }
  h1 ^= Math.imul(h2 ^ (h2 >>> 15), 0x2c1b3c6d);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 0x297a2d39);
  return [fmix32(h1), fmix32(h2)];
}

/**
 * {@link hash64} as 16 hex characters.
 *
 * @example
 * hash64Hex('TypeError…'); // e.g. '3f2a9c1e8b7d4c6e'
 */
export function hash64Hex(s: string): string {
  const [h1, h2] = hash64(s);
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/** MurmurHash3's 32-bit finaliser: full avalanche of a 32-bit word. */
function fmix32(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
