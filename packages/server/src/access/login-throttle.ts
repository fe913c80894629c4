/** Limits of the login throttle; the defaults suit a campus behind a few NAT addresses. */
export interface LoginThrottleOptions {
  /** Attempts one IP may burst. */
  ipBurst: number;
  /** Milliseconds to earn back one attempt per IP. */
  ipRefillMillis: number;
  /** Failures of one (IP, account) pair before delays start. */
  freeFailures: number;
  /** First delay after the free failures; it doubles with each further failure. */
  baseDelayMillis: number;
  maxDelayMillis: number;
  /** A pair's failures are forgotten after this long without one. */
  forgetMillis: number;
}

const DEFAULTS: LoginThrottleOptions = {
  ipBurst: 30,
  ipRefillMillis: 10_000,
  freeFailures: 3,
  baseDelayMillis: 1_000,
  maxDelayMillis: 15 * 60_000,
  forgetMillis: 3_600_000,
};
/** Entries kept per map before the oldest half is dropped (bounds memory under a spray of IPs). */
const MAX_ENTRIES = 50_000;

interface Bucket {
  tokens: number;
  at: number;
}
interface Failures {
  count: number;
  last: number;
  blockedUntil: number;
}

/**
 * Login throttling keyed by IP (a token bucket) and by IP + account (exponential delay after a
 * few failures). There is deliberately no per-account lock: an attacker guessing one
 * account's password from one address slows only themselves, and cannot lock the real user out
 * from another address.
 *
 * @example
 * const wait = throttle.check(ip, 'admin'); // 0 or milliseconds to wait
 * throttle.record(ip, 'admin', ok);
 */
export class LoginThrottle {
  readonly #ips = new Map<string, Bucket>();
  readonly #pairs = new Map<string, Failures>();
  readonly #options: LoginThrottleOptions;

  constructor(
    options: Partial<LoginThrottleOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.#options = { ...DEFAULTS, ...options };
  }

  /** Milliseconds the caller must wait before this attempt is allowed (0: go ahead; consumes one IP token). */
  check(ip: string, account: string): number {
    const t = this.now();
    const o = this.#options;
    const pair = this.#pairs.get(pairKey(ip, account));
    if (pair !== undefined && pair.blockedUntil > t) return pair.blockedUntil - t;
    const bucket = this.#ips.get(ip) ?? { tokens: o.ipBurst, at: t };
    bucket.tokens = Math.min(o.ipBurst, bucket.tokens + (t - bucket.at) / o.ipRefillMillis);
    bucket.at = t;
    if (bucket.tokens < 1) {
      this.#ips.set(ip, bucket);
      return Math.ceil((1 - bucket.tokens) * o.ipRefillMillis);
    }
    bucket.tokens -= 1;
    bound(this.#ips);
    this.#ips.set(ip, bucket);
    return 0;
  }

  /** Records the outcome of an allowed attempt. */
  record(ip: string, account: string, ok: boolean): void {
    const key = pairKey(ip, account);
    if (ok) {
      this.#pairs.delete(key);
      return;
    }
    const t = this.now();
    const o = this.#options;
    const previous = this.#pairs.get(key);
    const count = previous !== undefined && t - previous.last < o.forgetMillis ? previous.count + 1 : 1;
    const over = count - o.freeFailures;
    const delay = over <= 0 ? 0 : Math.min(o.maxDelayMillis, o.baseDelayMillis * 2 ** (over - 1));
    bound(this.#pairs);
    this.#pairs.set(key, { count, last: t, blockedUntil: t + delay });
  }
}

function pairKey(ip: string, account: string): string {
  return `${ip}\u0000${account.toLowerCase()}`;
}

function bound<V>(map: Map<string, V>): void {
  if (map.size < MAX_ENTRIES) return;
  let drop = map.size / 2;
  for (const key of map.keys()) {
    if (drop-- <= 0) break;
    map.delete(key);
  }
}
