import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './reconnect-backoff.ts';

describe('reconnectDelay', () => {
  it('doubles from half a second up to fifteen seconds', () => {
    const upper = (attempt: number) => reconnectDelay(attempt, () => 0.999_999);
    expect([0, 1, 2, 3, 4, 5, 6, 10, 50].map(upper)).toEqual([
      500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000, 15_000,
    ]);
  });

  it('jitters within the upper half of each step, never to zero', () => {
    expect(reconnectDelay(0, () => 0)).toBe(250);
    expect(reconnectDelay(3, () => 0)).toBe(2000);
    for (let i = 0; i < 100; i += 1) {
      const delay = reconnectDelay(2);
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });

  it('takes its own limits', () => {
    expect(reconnectDelay(4, () => 0.999_999, { baseMs: 10, maxMs: 100 })).toBe(100);
  });
});
