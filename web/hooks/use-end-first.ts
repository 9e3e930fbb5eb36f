import { useEffect, useState } from 'react';

/** How many items a long conversation opens with at most, from its end (a screen's worth). */
export const FIRST_ITEMS = 8;
/** How many older items are added at a time, each in a task of its own after a paint. */
export const MORE_ITEMS = 8;

/**
 * Where a list of `count` items starts being drawn: a long conversation opens on its last items,
 * as a reader wants it (`first()` of them, as many as fill the screen: lib/first-screen.ts, at
 * most FIRST_ITEMS), and the older ones are drawn above them a few at a time, each batch in a
 * task after the frame that showed the last (so a long history never holds the page for long).
 * Drawing all of it first was most of what opening one cost: its answers' markdown, their layout
 * and paint (docs/performance.md). Nothing is drawn before the conversation has caught up
 * (`ready`): mid-catch-up, its end is not yet known. With `whole`, everything is drawn at once,
 * and from then on (to open it at an item that may be anywhere, a search result).
 */
export function useEndFirst(
  count: number,
  ready: boolean,
  whole: boolean,
  first: () => number,
): number {
  const [from, setFrom] = useState<number | null>(null);
  let start = from;
  if ((start === null && ready) || (whole && start !== 0)) {
    // Once whole, it stays whole: going back would take drawn items away.
    start = whole ? 0 : Math.max(0, count - first());
    // Set while rendering: React renders again at once with it, before anything is drawn.
    setFrom(start);
  }
  useEffect(() => {
    if (from === null || from === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setFrom(Math.max(0, from - MORE_ITEMS)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [from]);
  return start ?? count;
}
