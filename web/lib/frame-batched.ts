// A view of an actor that reports changes at most once per animation frame. A conversation can
// receive thousands of entries a second (a tool input streaming in, a file in small chunks); the
// mirror folds them as they come (a file's chunks, a run at each frame), but the screen can only
// show one state per frame, so rendering more often than that is wasted work that makes the page
// stutter. Hidden tabs get no animation frames, so a timer stands in for them.

import type { Observer, Subscribable, Subscription } from 'xstate';

/** What @xstate/react's useSelector needs from an actor. */
export interface SnapshotSource<T> extends Subscribable<T> {
  getSnapshot(): T;
}

export interface FrameScheduler {
  /**
   * Calls `callback` at the next frame, after those asked for before it; returns what cancels
   * it. One asked for while a frame's callbacks run is called in that same frame, so a callback
   * must not ask again for itself every time.
   */
  request(callback: () => void): () => void;
  /** Calls `callback` after `ms`; returns what cancels it. */
  later(callback: () => void, ms: number): () => void;
  now(): number;
}

/**
 * How long a change may wait to be announced:
 * - `none`: it is announced at the next frame, with everything before it;
 * - `paced`: the page already shows it some other way (the streaming text's live tail writes each
 *   delta into the DOM itself), so announcing it at every frame would only re-render what shows
 *   nothing new. It is announced at the next frame once `everyMs` has passed since the last
 *   announcement, so the render shares the frame that paints the change that brought it; one that
 *   comes sooner waits for the next change, or at most `everyMs`;
 * - `unneeded`: the page already shows it as a render would (plain words the live tail shows,
 *   plain-continuation.ts). It is announced with the next change that is not.
 *
 * Why not a timer of its own: the browser starts a frame at once only when the current vsync
 * interval has not already run one. A render in a frame of its own uses up that interval, and the
 * delta that arrives next waits for the next vsync (up to 16.7 ms) to be painted.
 */
export type Wait = 'none' | 'paced' | 'unneeded';

export interface Pacing {
  /** How long the change the source just announced may wait. */
  wait(): Wait;
  everyMs: number;
}

const FALLBACK_MS = 100;

/** What waits for the next frame, in the order asked; `done` once it ran or was cancelled. */
const waiting: { callback: () => void; done: boolean }[] = [];
/** Cancels the frame (and its fallback timer) that will run `waiting`, if one is requested. */
let frameRequested: (() => void) | null = null;
let draining = false;

function drain() {
  frameRequested?.();
  frameRequested = null;
  draining = true;
  try {
    // A callback may ask for another (a fold at the frame announces a change): it runs in this
    // frame too, after those already here, instead of a frame later.
    for (let at = 0; at < waiting.length; at++) {
      const next = waiting[at]!;
      if (next.done) continue;
      next.done = true;
      try {
        next.callback();
      } catch (error) {
        // One callback's failure must not cost the others their frame; it is still reported.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  } finally {
    waiting.length = 0;
    draining = false;
  }
}

/**
 * The browser's frames: every callback asked for runs at the next animation frame (or after
 * FALLBACK_MS in a hidden tab, which has none), in the order asked, and one asked for while they
 * run, in the same frame.
 */
export const browserFrames: FrameScheduler = {
  request(callback) {
    const entry = { callback, done: false };
    waiting.push(entry);
    if (!draining && frameRequested === null) {
      const frame = requestAnimationFrame(drain);
      const timer = setTimeout(drain, FALLBACK_MS);
      frameRequested = () => {
        cancelAnimationFrame(frame);
        clearTimeout(timer);
      };
    }
    return () => {
      entry.done = true;
    };
  },
  later(callback, ms) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
  now: () => performance.now(),
};

/** The same snapshots as `source`, announced once per frame, with the latest one at that time. */
export function frameBatched<T>(
  source: SnapshotSource<T>,
  frames: FrameScheduler = browserFrames,
  pacing: Pacing | null = null,
): SnapshotSource<T> {
  let current = source.getSnapshot();
  const observers = new Set<(value: T) => void>();
  let inner: Subscription | null = null;
  /** Cancels the frame requested, if one is. */
  let frame: (() => void) | null = null;
  /** Cancels the timer that requests a frame for changes that waited, if one is set. */
  let timer: (() => void) | null = null;
  let announcedAt = Number.NEGATIVE_INFINITY;

  const flush = () => {
    frame = null;
    const next = source.getSnapshot();
    if (next === current) return;
    current = next;
    announcedAt = frames.now();
    for (const observer of [...observers]) observer(current);
  };
  const requestFrame = () => {
    timer?.();
    timer = null;
    frame ??= frames.request(flush);
  };
  const changed = () => {
    if (frame !== null) return;
    const wait = pacing?.wait() ?? 'none';
    if (wait === 'unneeded') return;
    if (pacing && wait === 'paced' && frames.now() - announcedAt < pacing.everyMs) {
      timer ??= frames.later(requestFrame, pacing.everyMs);
      return;
    }
    requestFrame();
  };

  return {
    getSnapshot: () => current,
    subscribe(observerOrNext: Partial<Observer<T>> | ((value: T) => void)): Subscription {
      const observer =
        typeof observerOrNext === 'function'
          ? observerOrNext
          : (value: T) => observerOrNext.next?.(value);
      observers.add(observer);
      if (inner === null) {
        // Catch up with anything that happened while nobody was watching.
        current = source.getSnapshot();
        inner = source.subscribe({ next: changed });
      }
      return {
        unsubscribe() {
          observers.delete(observer);
          if (observers.size > 0) return;
          inner?.unsubscribe();
          inner = null;
          frame?.();
          frame = null;
          timer?.();
          timer = null;
        },
      };
    },
  };
}
