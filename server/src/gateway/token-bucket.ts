/**
 * A per-connection rate limit: `burst` messages at once, refilled at `perSecond`. The clock is
 * passed in so the limit is decided by the same time source everywhere.
 */
export function createTokenBucket(perSecond: number, burst: number, now: () => number) {
  let tokens = burst;
  let last = now();
  return {
    take(): boolean {
      const current = now();
      tokens = Math.min(burst, tokens + ((current - last) / 1000) * perSecond);
      last = current;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
