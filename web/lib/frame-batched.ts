// A view of an actor that reports changes at most once per animation frame. A conversation can
// receive thousands of entries a second (a tool input streaming in, a file in small chunks); the
// mirror folds every one at once, but the screen can only show one state per frame, so rendering
// more often than that is wasted work that makes the page stutter. Hidden tabs get no animation
// frames, so a timer stands in for them.

import type { Observer, Subscribable, Subscription } from 'xstate';

/** What @xstate/react's useSelector needs from an actor. */
export interface SnapshotSource<T> extends Subscribable<T> {
  getSnapshot(): T;
}

export interface FrameScheduler {
  request(callback: () => void): () => void;
}

const FALLBACK_MS = 100;

export const browserFrames: FrameScheduler = {
  request(callback) {
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      callback();
    };
    const frame = requestAnimationFrame(run);
    const timer = setTimeout(run, FALLBACK_MS);
    return () => {
      done = true;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  },
};

/** The same snapshots as `source`, announced once per frame, with the latest one at that time. */
export function frameBatched<T>(
  source: SnapshotSource<T>,
  frames: FrameScheduler = browserFrames,
): SnapshotSource<T> {
  let current = source.getSnapshot();
  const observers = new Set<(value: T) => void>();
  let inner: Subscription | null = null;
  let cancel: (() => void) | null = null;

  const flush = () => {
    cancel = null;
    const next = source.getSnapshot();
    if (next === current) return;
    current = next;
    for (const observer of [...observers]) observer(current);
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
        inner = source.subscribe({
          next: () => {
            cancel ??= frames.request(flush);
          },
        });
      }
      return {
        unsubscribe() {
          observers.delete(observer);
          if (observers.size > 0) return;
          inner?.unsubscribe();
          inner = null;
          cancel?.();
          cancel = null;
        },
      };
    },
  };
}
