// Work the page may do before it is needed, in a browser's idle period long enough for it. The
// browser gives one only when it expects that much time free of frames and timers (a stream that
// paces its messages closer together keeps every period shorter), though a message that arrives
// meanwhile still waits behind the work.

export interface IdlePeriod {
  timeRemaining(): number;
}

export interface IdleScheduler {
  /** Calls `callback` in the next idle period; returns what cancels it. */
  request(callback: (period: IdlePeriod) => void): () => void;
}

/**
 * The work runs only in an idle period with at least this much left. With nothing to do, the
 * browser gives periods of 50 ms; between frames, what is left of the frame.
 */
export const IDLE_MS = 40;

/** A browser without idle callbacks (Safari) never runs the work: it is only ever done ahead. */
export const browserIdle: IdleScheduler = {
  request(callback) {
    if (typeof requestIdleCallback !== 'function') return () => {};
    const id = requestIdleCallback(callback);
    return () => cancelIdleCallback(id);
  },
};

/** Runs `work` once, in the first idle period with IDLE_MS left; returns what cancels it. */
export function runWhenIdle(work: () => unknown, idle: IdleScheduler = browserIdle): () => void {
  let cancel = idle.request(function next(period) {
    if (period.timeRemaining() >= IDLE_MS) work();
    else cancel = idle.request(next);
  });
  return () => cancel();
}
