export interface Backoff {
  /** The wait before the first retry. */
  initialMs: number;
  /** The longest wait; also how long a server must stay up to count as recovered. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000 };

/** The wait before retry number `attempt` (1-based): initial, doubled each time, capped. */
export function backoffDelay(backoff: Backoff, attempt: number): number {
  const doublings = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(backoff.initialMs * 2 ** doublings, backoff.maxMs);
}
