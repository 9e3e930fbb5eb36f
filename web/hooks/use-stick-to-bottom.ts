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
  /** The page scrolled to the end itself, and that scroll's event has not come yet. */
  const ownScroll = useRef(false);
  /** The event of the page's own scroll came, and where the box is has not been judged since. */
  const scrolled = useRef(false);
  const judge = useCallback((element: HTMLElement) => {
    scrolled.current = false;
    following.current = afterScroll(following.current, element);
  }, []);
  // Judging where the box is reads its layout. A scroll event runs in a frame's first steps,
  // before that frame's own changes (a render, a streamed chunk), so reading the layout there
  // would lay the page out twice in that frame. The event of the page's own scroll to the end
  // (one per frame while text streams) is therefore only noted, and judged where the page reads
  // the layout anyway, before it next follows. Any other scroll (the reader's, or the browser
  // keeping the view in place as older items are drawn above it) is judged at once, before
  // anything else moves the box.
  const onScroll = useCallback(() => {
    if (ownScroll.current) {
      ownScroll.current = false;
      scrolled.current = true;
      return;
    }
    const element = box.current;
    if (element !== null) judge(element);
  }, [box, judge]);
  /** Scrolls to the end and follows it from there (the page's own move, not the reader's). */
  const toEnd = useCallback(() => {
    const element = box.current;
    if (element === null) return;
    const from = element.scrollTop;
    element.scrollTop = element.scrollHeight;
    scrolled.current = false;
    following.current = { atEnd: true, endTop: element.scrollTop };
    // Only a scroll that moved the box has an event to come.
    if (element.scrollTop !== from) ownScroll.current = true;
  }, [box]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the trigger, by design.
  useLayoutEffect(() => {
    const element = box.current;
    if (element !== null && scrolled.current) judge(element);
    if (following.current.atEnd) toEnd();
  }, [box, judge, toEnd, version]);
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
        judge(element);
        if (following.current.atEnd) toEnd();
      });
    });
    return () => subscription.unsubscribe();
  }, [box, grows, judge, toEnd]);
  return { onScroll, toEnd };
}
