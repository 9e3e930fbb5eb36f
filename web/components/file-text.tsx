import { memo, useCallback, useLayoutEffect, useRef } from 'react';
import {
  appendText,
  continuesShown,
  emptyFileLines,
  lineCount,
  lineNumbers,
  linesInView,
  linesText,
  textEnd,
} from '../lib/file-lines.ts';

/**
 * At least this many lines are drawn above and below the view, so a short scroll shows text at
 * once; the drawn stretch moves in steps of this many lines (file-lines.ts, `linesInView`).
 */
const SPARE_LINES = 20;

/**
 * A file's text in monospace with line numbers, built for text that only grows (a file arriving
 * chunk by chunk, a preview while Claude writes it). Only the lines in view are in the page (and
 * a few more): the column is as tall as all the lines, and the drawn lines sit where they belong
 * in it. Laying out text is what costs, so a frame costs the same at the end of a megabyte as at
 * its start, and the browser never lays out lines nobody sees. While the reader is at the end the
 * panel follows it, like a terminal; once they scroll up, it leaves them alone.
 *
 * `data-length` on the column is how much of the text is drawn in (the page's tests and
 * benchmark read it); the column's drawn lines carry the number of the first one.
 */
export const FileText = memo(function FileText({
  text,
  label,
  maxHeightClass = 'max-h-96',
  readAdded,
  onFull,
}: {
  text: string;
  label: string;
  maxHeightClass?: string;
  /**
   * The text between two lengths of `text`, if known without reading `text` (a run's chunks,
   * use-chunk-tail.ts), else null. Reading a megabyte built by appending copies all of it.
   */
  readAdded?: (from: number, to: number) => string | null;
  /**
   * Told, when it changes, whether the box is full: at its greatest height, so that more text no
   * longer makes it taller.
   */
  onFull?: (full: boolean) => void;
}) {
  const box = useRef<HTMLElement>(null);
  const column = useRef<HTMLDivElement>(null);
  const drawn = useRef<HTMLDivElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const code = useRef<HTMLElement>(null);
  const file = useRef(emptyFileLines());
  const shown = useRef({ length: 0, end: '' });
  /**
   * The view: its first line in view (fractional), its height in lines, and whether it follows
   * the end; plus the box's geometry as the last ResizeObserver call saw it, and the scroll
   * position the panel itself set to follow the end.
   */
  const view = useRef({
    top: 0,
    rows: 0,
    follow: true,
    lineHeight: 0,
    scrollHeight: 0,
    clientHeight: 0,
    followedTo: -1,
    /** Whether the box is full, as `onFull` was last told (null: not yet). */
    full: null as boolean | null,
  });
  /** The drawn stretch, and the first line whose text changed since it was drawn. */
  const last = useRef({ first: -1, last: -1, total: -1, widest: -1, changed: 0 });

  const draw = useCallback(() => {
    const columnElement = column.current;
    const drawnElement = drawn.current;
    if (!columnElement || !drawnElement || !gutter.current || !code.current) return;
    const total = lineCount(file.current);
    const rows = Math.max(1, view.current.rows);
    const range = linesInView(total, { ...view.current, rows }, SPARE_LINES);
    const before = last.current;
    const { widest } = file.current;
    if (before.total !== total) columnElement.style.setProperty('--lines', String(total));
    if (before.widest !== widest) columnElement.style.setProperty('--widest', String(widest));
    // The gutter is as wide as the largest line number.
    if (String(before.total).length !== String(total).length) {
      columnElement.style.setProperty('--gutter', `${String(total).length}ch`);
    }
    columnElement.dataset.length = String(shown.current.length);
    // Drawn again only if the stretch moved or text in it changed: a redraw clears a selection.
    const same = before.first === range.first && before.last === range.last;
    if (!same || before.changed < range.last) {
      drawnElement.style.setProperty('--first', String(range.first));
      drawnElement.dataset.firstLine = String(range.first + 1);
      gutter.current.textContent = lineNumbers(range.first, range.last);
      code.current.textContent = linesText(file.current, range.first, range.last);
    }
    last.current = { ...range, total, widest, changed: Number.POSITIVE_INFINITY };
  }, []);

  // New text: add it to the lines and draw, before the frame is painted.
  useLayoutEffect(() => {
    let added = readAdded?.(shown.current.length, text.length) ?? null;
    let changed = lineCount(file.current) - 1;
    if (added === null) {
      // Text that does not continue what is shown (an edit, another call) starts afresh.
      if (!continuesShown(text, shown.current.length, shown.current.end)) {
        file.current = emptyFileLines();
        shown.current = { length: 0, end: '' };
        changed = 0;
      }
      added = text.slice(shown.current.length);
    }
    if (added !== '') changed = appendText(file.current, added);
    else if (changed !== 0 && last.current.total !== -1) return;
    shown.current = { length: text.length, end: textEnd(shown.current.end, added) };
    last.current.changed = Math.min(last.current.changed, changed);
    draw();
  }, [text, readAdded, draw]);

  // The view's size and position. The browser calls a ResizeObserver right after it laid the
  // frame out, so reading the geometry there costs no layout of its own, and what it changes is
  // painted in that same frame. The panel follows the end until the reader scrolls up from where
  // it put them, and again once they come back to the end.
  useLayoutEffect(() => {
    const scroller = box.current;
    const columnElement = column.current;
    if (!scroller || !columnElement) return;
    // A new listener is told afresh.
    view.current.full = null;
    const observer = new ResizeObserver(() => {
      const state = view.current;
      state.lineHeight = Number.parseFloat(getComputedStyle(columnElement).lineHeight) || 20;
      state.clientHeight = scroller.clientHeight;
      state.rows = Math.ceil(state.clientHeight / state.lineHeight);
      if (state.follow) {
        scroller.scrollTop = scroller.scrollHeight;
        state.followedTo = scroller.scrollTop;
      }
      state.scrollHeight = scroller.scrollHeight;
      state.top = scroller.scrollTop / state.lineHeight;
      // As tall as it may be: more text only makes it scroll further.
      const full = scroller.offsetHeight >= Number.parseFloat(getComputedStyle(scroller).maxHeight);
      if (full !== state.full) {
        state.full = full;
        onFull?.(full);
      }
      draw();
    });
    const onScroll = () => {
      const state = view.current;
      if (state.lineHeight === 0) return;
      const top = scroller.scrollTop;
      state.top = top / state.lineHeight;
      if (state.follow && top < state.followedTo - 1) state.follow = false;
      else if (!state.follow && top + state.clientHeight >= state.scrollHeight - 2) {
        state.follow = true;
      }
      draw();
    };
    observer.observe(columnElement);
    observer.observe(scroller);
    scroller.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      observer.disconnect();
      scroller.removeEventListener('scroll', onScroll);
    };
  }, [draw, onFull]);

  return (
    <section
      ref={box}
      className={`${maxHeightClass} overflow-auto rounded-lg border border-slate-200 bg-slate-50 dark:border-slate-700 dark:bg-slate-900`}
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
      tabIndex={0}
    >
      <div
        ref={column}
        className="file-text font-mono text-xs leading-5 sm:text-sm sm:leading-6"
        data-testid="file-content"
      >
        <div ref={drawn} className="file-lines">
          <div ref={gutter} className="file-gutter" aria-hidden="true" />
          <code ref={code} className="file-code" />
        </div>
      </div>
    </section>
  );
});
