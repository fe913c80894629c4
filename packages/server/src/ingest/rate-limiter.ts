/**
 * A token bucket per project, in events. Refills continuously at `ratePerSecond` up to `burst`.
 *
 * @example
 * const wait = limiter.take('learning-portal', 100, Date.now()); // 0 = allowed, else seconds to wait
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {}

  /** Takes `n` tokens; returns 0 when allowed, otherwise the whole seconds until `n` are available. */
  take(project: string, n: number, now: number): number {
    let b = this.#buckets.get(project);
    if (b === undefined) {
      b = { tokens: this.burst, at: now };
      this.#buckets.set(project, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.ratePerSecond);
    b.at = now;
    if (b.tokens >= n) {
      b.tokens -= n;
      return 0;
    }
    return Math.max(1, Math.ceil((n - b.tokens) / this.ratePerSecond));
  }
}
