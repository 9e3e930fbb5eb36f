import { type RefObject, useLayoutEffect } from 'react';

/** How close to the end still counts as "at the end", in pixels. */
const SLACK = 48;

/**
 * Follows new content at the end of a scrolling box, like a terminal: while the reader is at the
 * end it stays there as `content` grows (or the box shrinks); once they scroll up to read, it
 * leaves them alone. It acts in a ResizeObserver, which the browser calls right after it laid the
 * page out for a frame: reading the box's geometry there costs nothing, and the new scroll
 * position is painted in that same frame. (Reading `scrollHeight` after each render instead forced
 * a layout of its own, twice a frame with the timeline's box and the file panel's.) Whether the
 * reader was at the end is judged against the height the box had before it grew.
 */
export function useStickToBottom(
  box: RefObject<HTMLElement | null>,
  content: RefObject<HTMLElement | null>,
) {
  useLayoutEffect(() => {
    const scroller = box.current;
    const grower = content.current;
    if (scroller === null || grower === null) return;
    /** The box's scroll height when last seen; -1 before the first look (start at the end). */
    let height = -1;
    const observer = new ResizeObserver(() => {
      const atEnd = height < 0 || scroller.scrollTop + scroller.clientHeight >= height - SLACK;
      if (atEnd) scroller.scrollTop = scroller.scrollHeight;
      height = scroller.scrollHeight;
    });
    observer.observe(grower);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, [box, content]);
}
