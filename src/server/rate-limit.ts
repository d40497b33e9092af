/**
 * A per-caller token bucket. It slows a compromised or misbehaving account trying to sweep
 * through children's records; normal portal use never meets it. 0 disables it.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(private readonly perMinute: number, private readonly burst = Math.max(1, Math.ceil(perMinute / 4))) {}

  /** True when the caller may proceed. */
  take(key: string, now = Date.now()): boolean {
    if (this.perMinute <= 0) return true;
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updated: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updated) / 60_000) * this.perMinute);
    bucket.updated = now;
    if (this.buckets.size > 100_000) this.buckets.clear();
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
