import { type RefObject, useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { afterScroll, type EndFollowing } from '../lib/end-following.ts';
import type { Changes } from '../lib/live-text.ts';

/**
 * Follows new content at the end of a scrolling box, like a terminal: while the reader is at the
 * end it stays there as content grows; once they scroll up to read, it leaves them alone
 * (lib/end-following.ts says when a scroll means that).
 * Give `onScroll` to the box; it follows after each change of `version` (in a layout effect), and
 * after each change of `grows` (what grows the box between renders, the streaming text's live
 * tails), and `toEnd` moves it to the end and follows from there.
 * Reading `scrollHeight` there lays the page out once per render or delta. Judging it in a
 * ResizeObserver instead (as the file panel does, file-text.tsx) was measured slower for
 * streaming text: the observer runs during a frame, and so does the scroll it makes.
 */
export function useStickToBottom(
  box: RefObject<HTMLElement | null>,
  version: unknown,
  grows: Changes | null = null,
) {
  const following = useRef<EndFollowing>({ atEnd: true, endTop: 0 });
  const onScroll = useCallback(() => {
    const element = box.current;
    if (element !== null) following.current = afterScroll(following.current, element);
  }, [box]);
  /** Scrolls to the end and follows it from there (the page's own move, not the reader's). */
  const toEnd = useCallback(() => {
    const element = box.current;
    if (element === null) return;
    element.scrollTop = element.scrollHeight;
    following.current = { atEnd: true, endTop: element.scrollTop };
  }, [box]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the trigger, by design.
  useLayoutEffect(() => {
    if (following.current.atEnd) toEnd();
  }, [toEnd, version]);
  // Followed in the task that grew the box, once its observers have all written (a microtask), so
  // the frame that paints the text also runs the scroll's event. A scroll made during a frame's
  // rendering (the layout effect of a render in an animation frame) has its event run at the
  // next frame, which then uses up that vsync interval: the browser starts a frame at once only
  // in an interval that has not run one, so the next delta would wait for the next vsync. That
  // costs more than laying the page out here, before the frame (docs/performance.md).
  useEffect(() => {
    if (grows === null) return;
    let queued = false;
    const subscription = grows.subscribe(() => {
      if (queued || !following.current.atEnd) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        const element = box.current;
        if (element === null) return;
        // The reader may have scrolled since the last frame, and its scroll event runs only at
        // the next one: judge where the box is first, or this would pull them back to the end.
        following.current = afterScroll(following.current, element);
        if (following.current.atEnd) toEnd();
      });
    });
    return () => subscription.unsubscribe();
  }, [box, grows, toEnd]);
  return { onScroll, toEnd };
}
