import type { FrameScheduler } from '../frame-batched.ts';

/**
 * Frames that run when the test says, and a clock and timers that move when it says. As in the
 * browser's (browserFrames), a callback asked for while a frame's run is in that frame.
 */
export function manualFrames() {
  const queue: (() => void)[] = [];
  let time = 0;
  const timers: { at: number; run: () => void }[] = [];
  const frames: FrameScheduler = {
    request(callback) {
      queue.push(callback);
      return () => {
        const at = queue.indexOf(callback);
        if (at !== -1) queue.splice(at, 1);
      };
    },
    later(run, ms) {
      const timer = { at: time + ms, run };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
    now: () => time,
  };
  const tick = () => {
    for (let run = queue.shift(); run !== undefined; run = queue.shift()) run();
  };
  /** Moves the clock on by `ms`, running the timers due by then. */
  const pass = (ms: number) => {
    time += ms;
    for (const timer of timers.filter((t) => t.at <= time)) {
      timers.splice(timers.indexOf(timer), 1);
      timer.run();
    }
  };
  return { frames, tick, queue, pass, timers };
}
