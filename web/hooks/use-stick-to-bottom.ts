import { type RefObject, useCallback, useLayoutEffect, useRef } from 'react';
import { afterScroll, type EndFollowing } from '../lib/end-following.ts';

/**
 * Follows new content at the end of a scrolling box, like a terminal: while the reader is at the
 * end it stays there as content grows; once they scroll up to read, it leaves them alone
 * (lib/end-following.ts says when a scroll means that).
 * Give `onScroll` to the box; it follows after each change of `version` (in a layout effect), and
 * `toEnd` moves it to the end and follows from there.
 * Reading `scrollHeight` there lays the page out once per render. Judging it in a ResizeObserver
 * instead (as the file panel does, file-text.tsx) was measured slower for streaming text: the
 * text's live tail grows the timeline between renders, and each growth then cost a scroll.
 */
export function useStickToBottom(box: RefObject<HTMLElement | null>, version: unknown) {
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
  return { onScroll, toEnd };
}
