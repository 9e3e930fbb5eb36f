import { memo, useLayoutEffect, useRef } from 'react';
import { useStickToBottom } from '../hooks/use-stick-to-bottom.ts';
import {
  appendToSegments,
  continuesShown,
  emptySegments,
  lineNumbers,
  type Segment,
  type SegmentState,
  splitSegment,
  textEnd,
} from '../lib/line-segments.ts';

/** Lines per segment element: small enough to skip off-screen, large enough to stay few. */
const SEGMENT_LINES = 400;

function segmentElement(segment: Segment): HTMLDivElement {
  const element = document.createElement('div');
  element.className = 'file-segment';
  element.dataset.lines = lineNumbers(segment.firstLine, segment.firstLine + segment.lines - 1);
  element.style.setProperty('--segment-lines', String(segment.lines));
  const code = document.createElement('code');
  code.textContent = segment.text;
  element.appendChild(code);
  return element;
}

/**
 * A file's text in monospace with line numbers, built for text that only grows (a file arriving
 * chunk by chunk, a preview while Claude writes it). Each update adds the newly completed lines
 * as one new element and rewrites only the open last line, so the browser lays out what is new,
 * not the whole file: a megabyte costs the same per chunk at the end as at the start. Line
 * numbers are generated content (globals.css), so the element's text is exactly the file.
 */
export const FileText = memo(function FileText({
  text,
  label,
  maxHeightClass = 'max-h-96',
}: {
  text: string;
  label: string;
  maxHeightClass?: string;
}) {
  const box = useRef<HTMLElement>(null);
  const column = useRef<HTMLDivElement>(null);
  const open = useRef<HTMLDivElement>(null);
  const shown = useRef<{ length: number; end: string; segments: SegmentState; gutter: number }>({
    length: 0,
    end: '',
    segments: emptySegments,
    gutter: 0,
  });

  useLayoutEffect(() => {
    const columnElement = column.current;
    const openElement = open.current;
    const openCode = openElement?.firstElementChild;
    if (!columnElement || !openElement || !openCode) return;
    // Text that does not continue what is shown (an edit, another call) starts afresh.
    if (!continuesShown(text, shown.current.length, shown.current.end)) {
      for (const element of [...columnElement.children]) {
        if (element !== openElement) element.remove();
      }
      delete openElement.dataset.lines;
      openCode.textContent = '';
      shown.current = { length: 0, end: '', segments: emptySegments, gutter: 0 };
    }
    const added = text.slice(shown.current.length);
    if (added === '') return;
    const { segment, state } = appendToSegments(shown.current.segments, added);
    if (segment) {
      for (const piece of splitSegment(segment, SEGMENT_LINES)) {
        columnElement.insertBefore(segmentElement(piece), openElement);
      }
    }
    openElement.dataset.lines = String(state.openLineNumber);
    openCode.textContent = state.openLine;
    // The gutter is as wide as the largest line number, in every segment alike. Set only when
    // that width changes: a custom property restyles every segment that inherits it.
    const gutter = String(state.openLineNumber).length;
    if (gutter !== shown.current.gutter) columnElement.style.setProperty('--gutter', `${gutter}ch`);
    shown.current = { length: text.length, end: textEnd(text), segments: state, gutter };
  }, [text]);
  // Declared after the append so that it scrolls to the new end, not the old one.
  const onScroll = useStickToBottom(box, text);

  return (
    <section
      ref={box}
      onScroll={onScroll}
      className={`${maxHeightClass} overflow-auto rounded-lg border border-slate-200 bg-slate-50 dark:border-slate-700 dark:bg-slate-900`}
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
      tabIndex={0}
    >
      <div
        ref={column}
        className="file-text min-w-fit font-mono text-xs leading-5 sm:text-sm sm:leading-6"
        data-testid="file-content"
      >
        <div ref={open} className="file-segment">
          <code />
        </div>
      </div>
    </section>
  );
});
