import { useEffect } from 'react';

/** Classes that mark the message a search opened, for a moment. */
const FOCUSED = ['ring-2', 'ring-amber-400', 'rounded-2xl'];
/** Frames to wait for the message to be drawn (the page redraws once per frame). */
const MAX_FRAMES = 60;

/**
 * Once the conversation has caught up (`ready`), scrolls the timeline item named `anchor` (its
 * `data-anchor`, as the timeline keys items) into the middle of the view, marks it for a few
 * seconds and gives it focus, so a search result opens the conversation at what it matched.
 * Scrolling away from the end also stops the timeline following it.
 */
export function useScrollToAnchor(anchor: string | null, ready: boolean) {
  useEffect(() => {
    if (anchor === null || !ready) return;
    let frame = 0;
    let request = 0;
    let unmark: ReturnType<typeof setTimeout> | undefined;
    const find = () => {
      const item = document.querySelector<HTMLElement>(`[data-anchor="${CSS.escape(anchor)}"]`);
      if (item === null) {
        if (++frame < MAX_FRAMES) request = requestAnimationFrame(find);
        return;
      }
      item.scrollIntoView({ block: 'center' });
      item.tabIndex = -1;
      item.focus({ preventScroll: true });
      item.classList.add(...FOCUSED);
      item.dataset.focused = 'true';
      unmark = setTimeout(() => {
        item.classList.remove(...FOCUSED);
        delete item.dataset.focused;
      }, 3_000);
    };
    request = requestAnimationFrame(find);
    return () => {
      cancelAnimationFrame(request);
      if (unmark) clearTimeout(unmark);
    };
  }, [anchor, ready]);
}
