/**
 * A token bucket per caller (user, or address when unauthenticated): `perMinute` sustained, with a
 * burst of ten seconds' worth. In memory, per process: it protects each process from a flood; the
 * limits that must hold across processes (sign-in attempts) are counted in the database.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private readonly burst: number;

  constructor(private readonly perMinute: number) {
    this.perMs = perMinute / 60_000;
    this.burst = Math.max(10, perMinute / 6);
  }

  /** Takes one request from the caller's bucket; the wait in seconds when it is empty, else 0. */
  take(key: string, now = Date.now()): number {
    if (this.perMinute === 0) return 0;
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    if (this.buckets.size >= 100_000 && !this.buckets.has(key)) this.buckets.clear();
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
    bucket.tokens -= 1;
    return 0;
  }
}
