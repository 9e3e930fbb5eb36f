import { useCallback, useContext, useEffect, useLayoutEffect, useRef } from 'react';
import { LiveContext, liveBlockText } from '../lib/live-text.ts';

/**
 * The text that has arrived since the last render, shown at once. The page renders markdown at
 * most once per frame; the characters that arrive in between are written straight into a span at
 * the end of the streaming paragraph the moment the mirror folds them, and handed over to the
 * markdown at the next render (cleared before that render is painted, so nothing shows twice).
 * Returns the ref for that span. `rendered` is the whole text the current render shows; a
 * streaming block only grows, so the tail is what lies past it.
 */
export function useLiveTail(turn: number, index: number, rendered: string) {
  const source = useContext(LiveContext);
  const span = useRef<HTMLSpanElement | null>(null);
  const shown = useRef(rendered);

  const update = useCallback(() => {
    const element = span.current;
    if (!element || !source) return;
    const live = liveBlockText(source.getSnapshot().context, turn, index);
    // Markdown drops the whitespace at the end of a paragraph: the tail starts before it.
    const from = shown.current.trimEnd().length;
    const tail = live.length > shown.current.length ? live.slice(from) : '';
    if (element.textContent !== tail) element.textContent = tail;
  }, [source, turn, index]);

  // After every render, before it is painted: the markdown now holds `rendered`.
  useLayoutEffect(() => {
    shown.current = rendered;
    update();
  });

  useEffect(() => {
    if (!source) return;
    const subscription = source.subscribe({ next: update });
    return () => subscription.unsubscribe();
  }, [source, update]);

  return span;
}
