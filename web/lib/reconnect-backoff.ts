// How long to wait before the next reconnect attempt. Exponential, so a server that is down is not
// hammered; jittered, so many tabs that lost the same server do not all come back in the same
// millisecond; and never below half the step, so a retry is never instant.

export interface BackoffOptions {
  /** The first delay's ceiling. */
  baseMs: number;
  /** No delay is longer than this, however many attempts failed. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000 };

/** The delay before attempt `attempt` (0 for the first retry), with `random` in [0, 1). */
export function reconnectDelay(
  attempt: number,
  random: () => number = Math.random,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const step = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + random() * (step / 2));
}
