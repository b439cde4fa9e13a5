/** Token-bucket settings: a burst of `burst` requests, refilled at `perSecond`. */
export interface RateLimitOptions {
  burst: number;
  perSecond: number;
}

/** Generous enough that a healthy agent (or a benchmark of a few) never meets it. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 600, perSecond: 50 };

interface Bucket {
  tokens: number;
  at: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * One token bucket per key (an agent id, or a client address for enrollment).
 * In memory: a restart forgives everyone, which is the right failure for a limiter.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => Date,
  ) {
    if (!(options.burst >= 1) || !(options.perSecond > 0)) throw new RangeError('rate limit needs burst >= 1 and perSecond > 0');
  }

  take(key: string): RateDecision {
    const t = this.now().getTime() / 1000;
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, at: t };
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + Math.max(0, t - bucket.at) * this.options.perSecond);
    bucket.at = t;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.buckets.set(key, bucket);
      this.forgetFullBuckets();
      return { ok: true };
    }
    this.buckets.set(key, bucket);
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.perSecond)) };
  }

  /** Keeps memory bounded: a bucket that would be full again carries no information. */
  private forgetFullBuckets(): void {
    if (this.buckets.size < 10_000) return;
    const t = this.now().getTime() / 1000;
    for (const [key, b] of this.buckets) {
      if (b.tokens + (t - b.at) * this.options.perSecond >= this.options.burst) this.buckets.delete(key);
    }
  }
}
