import { type RefObject, useCallback, useLayoutEffect, useRef } from 'react';

/** How close to the end still counts as "at the end", in pixels. */
const SLACK = 48;

/**
 * Follows new content at the end of a scrolling box, like a terminal: while the reader is at the
 * end it stays there as content grows; once they scroll up to read, it leaves them alone.
 * Call the returned function after content changed (it runs in a layout effect on `version`).
 * Reading `scrollHeight` there lays the page out once per render. Judging it in a ResizeObserver
 * instead (as the file panel does, file-text.tsx) was measured slower for streaming text: the
 * text's live tail grows the timeline between renders, and each growth then cost a scroll.
 */
export function useStickToBottom(box: RefObject<HTMLElement | null>, version: unknown) {
  const atEnd = useRef(true);
  const onScroll = useCallback(() => {
    const element = box.current;
    if (element === null) return;
    atEnd.current = element.scrollHeight - element.scrollTop - element.clientHeight <= SLACK;
  }, [box]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the trigger, by design.
  useLayoutEffect(() => {
    const element = box.current;
    if (element !== null && atEnd.current) element.scrollTop = element.scrollHeight;
  }, [box, version]);
  return onScroll;
}
