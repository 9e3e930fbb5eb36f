import { useCallback, useContext, useEffect, useLayoutEffect, useRef } from 'react';
import { LiveContext, liveBlockText, markLiveTail } from '../lib/live-text.ts';
import { showsAsCode } from '../lib/markdown-blocks.ts';
import {
  endAfter,
  endOf,
  spacedOtherwise,
  TEXT_START,
  type TextEnd,
} from '../lib/plain-continuation.ts';
import { startingAt, type TailText, tailFromText, withDelta } from '../lib/tail-text.ts';

/**
 * Marks the spans the markdown puts at the end of each paragraph of the growing last block, or
 * at the end of its code when it is a code block (`code`).
 */
export const LIVE_TAIL = 'data-live-tail';

/**
 * The element at the very end of `container`: its last element, then that one's last, and so on.
 * The tail is shown only if this is a tail span, i.e. the text ends in a paragraph, or in the
 * code of a code block rendered up to its last line break (not inside a list, nor in another
 * code block).
 */
function deepestLast(container: Element): Element | null {
  let node = container.lastElementChild;
  while (node?.lastElementChild) node = node.lastElementChild;
  return node;
}

/**
 * Writes `text` into the tail span, which shows `shown`. A tail that grew is added to the end of
 * the span's text node instead of replacing the node: a plain paragraph's words stay in the tail
 * until it ends, up to a thousand characters (PLAIN_TAIL_MAX), and the browser then keeps the
 * node's layout object and shaped text, and shapes only what was added (docs/performance.md).
 */
function showText(span: Element, text: string, shown: string) {
  const node = span.firstChild;
  const grew =
    text.startsWith(shown) &&
    node instanceof Text &&
    node === span.lastChild &&
    node.length === shown.length;
  if (grew) node.appendData(text.slice(shown.length));
  else span.textContent = text;
}

/**
 * The text that has arrived since the last render, shown at once. The page renders markdown at
 * most once per frame; the characters that arrive in between are written straight into the span
 * that ends the streaming paragraph (or code block), the moment the mirror folds them, and handed
 * over to the markdown at the next render (cleared before that render is painted, so nothing
 * shows twice). Returns the ref for the markdown's container. `rendered` is the whole text the
 * current render shows; a streaming block only grows, so the tail is what lies past it, from
 * `tailFrom` on (before the end of `rendered`, where the render does not show its last
 * characters).
 */
export function useLiveTail(turn: number, index: number, rendered: string, tailFrom: number) {
  const source = useContext(LiveContext);
  const container = useRef<HTMLDivElement | null>(null);
  /** The length of the text the markdown shows (-1 before the first render's layout effect). */
  const shownLength = useRef(-1);
  const tail = useRef<TailText>(tailFromText('', 0));
  /** How the block's text ends (as long as the tail says), and how it did before its last delta. */
  const end = useRef<{ now: TextEnd; before: TextEnd | null }>({ now: TEXT_START, before: null });
  const written = useRef<Element | null>(null);
  /** The text last written into `written` (read back from the page, it would cost a copy). */
  const writtenText = useRef('');

  const update = useCallback(() => {
    const box = container.current;
    if (!box || !source) return;
    // Only the live text's length is read (that costs nothing); the tail's text comes from the
    // deltas themselves (tail-text.ts).
    const live = liveBlockText(source.actor.getSnapshot().context, turn, index);
    const event = source.lastEvent();
    if (live.length !== tail.current.length) {
      const ours =
        event?.type === 'assistant.text_delta' && event.turn === turn && event.index === index
          ? event
          : null;
      const delta = ours && withDelta(tail.current, ours.text, live.length);
      if (ours && delta) {
        end.current = { now: endAfter(end.current.now, ours.text), before: end.current.now };
        tail.current = delta;
      } else {
        end.current = { now: endOf(live), before: null };
        tail.current = tailFromText(live, tail.current.from);
      }
    }
    const text = live.length > shownLength.current ? tail.current.text : '';
    const last = deepestLast(box);
    const target = last?.hasAttribute(LIVE_TAIL) ? last : null;
    // A span written before that no longer ends the text (a new paragraph, a list) is emptied.
    if (written.current !== target) {
      if (written.current) written.current.textContent = '';
      written.current = target;
      writtenText.current = '';
    }
    const code = target?.getAttribute(LIVE_TAIL) === 'code';
    markLiveTail(
      source,
      turn,
      index,
      target && {
        end: end.current.now,
        endBefore: end.current.before,
        through: event,
        length: text.length,
        // It keeps the whitespace the render's text ended with. Code shows its whitespace as it
        // is, and its wait never reads this (live-text.ts): not checked at each of its deltas.
        broken: !code && spacedOtherwise(text),
        code,
      },
    );
    // Code that would not show as it is (a line that may close the block) is left to the render,
    // which comes at the next frame (live-text.ts, lastChangeWait), before this frame is painted.
    const held = code && !showsAsCode(text);
    if (target && !held && text !== writtenText.current) {
      showText(target, text, writtenText.current);
      writtenText.current = text;
    }
  }, [source, turn, index]);

  // After every render, before it is painted: the markdown now holds `rendered`.
  useLayoutEffect(() => {
    if (rendered.length !== shownLength.current) {
      shownLength.current = rendered.length;
      tail.current = startingAt(tail.current, tailFrom);
    }
    update();
  });

  useEffect(() => {
    if (!source) return;
    const subscription = source.actor.subscribe({ next: update });
    return () => {
      subscription.unsubscribe();
      markLiveTail(source, turn, index, null);
    };
  }, [source, update, turn, index]);

  return container;
}
