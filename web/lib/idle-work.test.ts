import { describe, expect, it } from 'vitest';
import { IDLE_MS, type IdlePeriod, type IdleScheduler, runWhenIdle } from './idle-work.ts';

/** Idle periods played by hand: `period(ms)` runs what waits for the next one, with `ms` left. */
function manualIdle() {
  // Each request is its own entry, so a cancel reaches only the request it was returned for.
  let waiting: { callback: (period: IdlePeriod) => void }[] = [];
  const idle: IdleScheduler = {
    request(callback) {
      const entry = { callback };
      waiting.push(entry);
      return () => {
        waiting = waiting.filter((item) => item !== entry);
      };
    },
  };
  return {
    idle,
    waiting: () => waiting.length,
    period(ms: number) {
      const now = waiting;
      waiting = [];
      for (const { callback } of now) callback({ timeRemaining: () => ms });
    },
  };
}

describe('runWhenIdle', () => {
  it('runs the work once, in the first idle period long enough for it', () => {
    const clock = manualIdle();
    let runs = 0;
    runWhenIdle(() => {
      runs += 1;
    }, clock.idle);
    expect(runs).toBe(0);
    clock.period(IDLE_MS - 1);
    clock.period(5);
    expect(runs).toBe(0);
    clock.period(IDLE_MS);
    expect(runs).toBe(1);
    expect(clock.waiting()).toBe(0);
  });

  it('runs nothing once cancelled, also after a period too short for it', () => {
    const clock = manualIdle();
    let runs = 0;
    const cancel = runWhenIdle(() => {
      runs += 1;
    }, clock.idle);
    clock.period(5);
    cancel();
    expect(clock.waiting()).toBe(0);
    clock.period(50);
    expect(runs).toBe(0);
  });
});
