import {
  type KeyboardEvent,
  memo,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useStickToBottom } from '../../hooks/use-stick-to-bottom.ts';
import type { EventLine } from '../../lib/inspector/event-lines.ts';
import { type ListView, rowWindow, scrollToShow } from '../../lib/inspector/row-window.ts';
import type { Ui } from '../ui.ts';

/** Every row is this tall (Tailwind's h-7), so which rows are in view is arithmetic. */
const ROW_HEIGHT = 28;
/** Rows drawn above and below the view, so a short scroll shows rows at once. */
const SPARE_ROWS = 15;

/**
 * The log, one row per entry or run of streamed entries: seq, time, type and summary. Only the
 * rows in view are in the page (a 10,000-line list costs what 60 lines cost); spacer rows keep
 * the scroll height. While live it follows the end as long as the reader is there. Up and Down
 * step through the rows, End goes back to live.
 */
export const EventsTable = memo(function EventsTable({
  ui,
  lines,
  types,
  type,
  currentKey,
  live,
  loading,
  onType,
  onSelect,
  onToggle,
  onStep,
  onLive,
  liveRequests,
}: {
  ui: Ui;
  lines: readonly EventLine[];
  types: readonly string[];
  type: string | null;
  currentKey: string | null;
  live: boolean;
  loading: boolean;
  onType: (type: string | null) => void;
  onSelect: (line: EventLine) => void;
  onToggle: (runFirstSeq: number) => void;
  onStep: (direction: -1 | 1) => void;
  onLive: () => void;
  /** Counts the person's requests to go live: each one brings the list to its end. */
  liveRequests: number;
}) {
  const { t, locale } = ui;
  const id = useId();
  const box = useRef<HTMLElement>(null);
  const head = useRef<HTMLTableSectionElement>(null);
  const [view, setView] = useState<ListView>({ top: 0, height: 600 });
  const time = useMemo(
    () =>
      new Intl.DateTimeFormat(locale, {
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        fractionalSecondDigits: 3,
        hourCycle: 'h23',
      }),
    [locale],
  );

  const measure = () => {
    const element = box.current;
    if (element === null) return;
    const header = head.current?.offsetHeight ?? 0;
    setView({ top: element.scrollTop, height: Math.max(0, element.clientHeight - header) });
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: measure reads only refs.
  useLayoutEffect(() => {
    const element = box.current;
    if (element === null) return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Live, the list keeps to its end while the reader is there; travelling, it stays put.
  const followEnd = useStickToBottom(box, live ? lines.length : -1);
  // Back to live: to the end, following it from there.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `liveRequests` is the trigger.
  useEffect(() => {
    if (live) followEnd.toEnd();
  }, [live, liveRequests, followEnd.toEnd]);
  // A line selected by stepping is scrolled into view; a click selects a line already in view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new selection scrolls.
  useLayoutEffect(() => {
    const element = box.current;
    if (live || currentKey === null || element === null) return;
    const index = lines.findIndex((line) => line.key === currentKey);
    if (index === -1) return;
    const header = head.current?.offsetHeight ?? 0;
    const shown = { top: element.scrollTop, height: element.clientHeight - header };
    element.scrollTop = scrollToShow(index, shown, ROW_HEIGHT);
  }, [currentKey, live]);

  const { first, last } = rowWindow(lines.length, view, ROW_HEIGHT, SPARE_ROWS);
  const onKeyDown = (event: KeyboardEvent) => {
    const direction = { ArrowUp: -1, ArrowDown: 1 }[event.key] as -1 | 1 | undefined;
    if (direction !== undefined) onStep(direction);
    else if (event.key === 'End') onLive();
    else return;
    event.preventDefault();
  };

  return (
    <div className="flex min-h-60 flex-1 flex-col gap-2">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id={`${id}-title`} className="font-semibold">
          {t('events')}
        </h2>
        <label className="ml-auto flex items-center gap-2 text-sm">
          {t('eventType')}
          <select
            value={type ?? ''}
            onChange={(event) => onType(event.target.value || null)}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs dark:border-slate-600 dark:bg-slate-900"
          >
            <option value="">{t('allEventTypes')}</option>
            {types.map((item) => (
              <option key={item} value={item}>
                {item}
              </option>
            ))}
          </select>
        </label>
      </div>
      <section
        ref={box}
        aria-labelledby={`${id}-title`}
        onScroll={() => {
          followEnd.onScroll();
          measure();
        }}
        onKeyDown={onKeyDown}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the scrolling list steps with the arrow keys.
        tabIndex={0}
        className="h-96 overflow-auto rounded-lg border border-slate-200 lg:h-auto lg:min-h-0 lg:flex-1 dark:border-slate-800"
      >
        <table
          aria-label={t('events')}
          aria-rowcount={lines.length + 1}
          className="w-full min-w-[44rem] table-fixed border-collapse text-left text-xs"
        >
          <colgroup>
            <col className="w-24" />
            <col className="w-28" />
            <col className="w-72" />
            <col />
          </colgroup>
          <thead
            ref={head}
            className="sticky top-0 z-10 bg-slate-100 text-slate-700 dark:bg-slate-900 dark:text-slate-300"
          >
            <tr aria-rowindex={1} className="h-7">
              <th scope="col" className="px-2 font-medium">
                {t('columnSeq')}
              </th>
              <th scope="col" className="px-2 font-medium">
                {t('columnTime')}
              </th>
              <th scope="col" className="px-2 font-medium">
                {t('columnEvent')}
              </th>
              <th scope="col" className="px-2 font-medium">
                {t('columnSummary')}
              </th>
            </tr>
          </thead>
          <tbody>
            <SpacerRow rows={first} />
            {lines.slice(first, last).map((line, offset) => (
              <EventRowView
                key={line.key}
                ui={ui}
                line={line}
                index={first + offset}
                time={time.format(line.at)}
                current={line.key === currentKey}
                onSelect={onSelect}
                onToggle={onToggle}
              />
            ))}
            <SpacerRow rows={lines.length - last} />
          </tbody>
        </table>
        {loading ? (
          <p className="p-3 text-sm text-slate-600 dark:text-slate-400" role="status">
            {t('loadingLog')}
          </p>
        ) : null}
      </section>
    </div>
  );
});

/** Stands for rows not drawn, so the list scrolls as if they were there. */
function SpacerRow({ rows }: { rows: number }) {
  if (rows <= 0) return null;
  return (
    // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an empty row that only keeps the scroll height; the table's aria-rowcount counts the rows it stands for.
    <tr role="presentation" style={{ height: rows * ROW_HEIGHT }} />
  );
}

const EventRowView = memo(function EventRowView({
  ui,
  line,
  index,
  time,
  current,
  onSelect,
  onToggle,
}: {
  ui: Ui;
  line: EventLine;
  index: number;
  time: string;
  current: boolean;
  onSelect: (line: EventLine) => void;
  onToggle: (runFirstSeq: number) => void;
}) {
  const { t } = ui;
  const run = line.kind === 'run';
  const seqText = run ? `${line.firstSeq}–${line.seq}` : String(line.seq);
  return (
    <tr
      aria-rowindex={index + 2}
      aria-current={current ? 'true' : undefined}
      data-seq={line.seq}
      data-type={line.type}
      onClick={line.selectable ? () => onSelect(line) : undefined}
      className={`h-7 border-t border-slate-100 dark:border-slate-800/70 ${
        current
          ? 'bg-blue-100 text-blue-950 dark:bg-blue-900/60 dark:text-blue-50'
          : line.selectable
            ? 'cursor-pointer hover:bg-slate-50 dark:hover:bg-slate-900'
            : 'text-slate-500 dark:text-slate-400'
      }`}
    >
      <td className="truncate px-2 font-mono tabular-nums">
        {line.selectable ? (
          <button
            type="button"
            tabIndex={-1}
            aria-label={
              run
                ? t('selectRun', { first: line.firstSeq, last: line.seq })
                : t('selectEvent', { seq: line.seq })
            }
            className={line.kind === 'member' ? 'pl-3' : ''}
          >
            {seqText}
          </button>
        ) : (
          seqText
        )}
      </td>
      <td className="truncate px-2 font-mono tabular-nums text-slate-600 dark:text-slate-400">
        {time}
      </td>
      <td className="truncate px-2 font-mono">
        {run ? (
          <button
            type="button"
            aria-expanded={line.expanded}
            aria-label={t(line.expanded ? 'collapseRun' : 'expandRun', { count: line.count })}
            onClick={(event) => {
              event.stopPropagation();
              onToggle(line.firstSeq);
            }}
            className="mr-1 inline-block w-4 rounded text-center hover:bg-slate-200 dark:hover:bg-slate-700"
          >
            {line.expanded ? '▾' : '▸'}
          </button>
        ) : null}
        <span className={line.kind === 'member' ? 'pl-5' : ''}>{line.type}</span>
        {run ? <span className="text-slate-500 dark:text-slate-400"> ×{line.count}</span> : null}
      </td>
      <td className="truncate px-2" title={line.summary}>
        {line.summary}
      </td>
    </tr>
  );
});
