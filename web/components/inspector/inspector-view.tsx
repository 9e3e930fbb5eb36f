import {
  contextChanges,
  conversationMachine,
  type LogInspection,
  machineGraph,
  type ToolInfo,
} from '@tollgate/machines';
import { useCallback, useMemo, useState } from 'react';
import {
  createRowCache,
  type EventLine,
  eventLines,
  firstSeq,
  rowTypes,
  stepLine,
} from '../../lib/inspector/event-lines.ts';
import type { InspectorFeed } from '../../lib/inspector/inspector-feed.ts';
import type { Ui } from '../ui.ts';
import { ActorsPanel } from './actors-panel.tsx';
import { ChangesPanel } from './changes-panel.tsx';
import { ContextPanel } from './context-panel.tsx';
import { EventsTable } from './events-table.tsx';
import { MessagesPanel } from './messages-panel.tsx';
import { StateDiagram } from './state-diagram.tsx';
import { TravelBar } from './travel-bar.tsx';
import { useLogLength } from './use-log-length.ts';

/** A line the person selected: the point it shows stays put while the log grows. */
interface Selection {
  key: string;
  seq: number;
  fromSeq: number;
}

const GRAPH = machineGraph(conversationMachine);

/**
 * The inspector's panels around one point of the log: the live end, or the line the person
 * selected. Every point is folded by the log inspection from its nearest checkpoint, so a step
 * costs the same at entry 10 as at entry 10,000.
 */
export function InspectorView({
  ui,
  feed,
  log,
  tools,
  synced,
}: {
  ui: Ui;
  feed: InspectorFeed;
  log: LogInspection;
  tools: ToolInfo[];
  synced: boolean;
}) {
  const length = useLogLength(feed, log);
  const rowsOf = useMemo(() => createRowCache(), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `length` is the trigger: the log grew.
  const rows = useMemo(() => rowsOf(log.entries()), [rowsOf, log, length]);
  const types = useMemo(() => rowTypes(rows), [rows]);
  const [type, setType] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  const lines = useMemo(() => eventLines(rows, type, expanded), [rows, type, expanded]);
  const [selected, setSelected] = useState<Selection | null>(null);
  // Each press of Live (or End) brings the list back to its end, even while already live.
  const [liveRequests, setLiveRequests] = useState(0);
  const goLive = useCallback(() => {
    setSelected(null);
    setLiveRequests((count) => count + 1);
  }, []);

  // Live, the point is the end of the log, and the change shown is the last row's.
  const lastRow = rows.at(-1);
  const seq = selected?.seq ?? length;
  const fromSeq = selected?.fromSeq ?? (lastRow ? firstSeq(lastRow) - 1 : 0);
  const point = useMemo(() => log.at(seq), [log, seq]);
  const before = useMemo(
    () => (fromSeq >= seq - 1 ? point.previousContext : log.at(fromSeq).context),
    [log, fromSeq, seq, point],
  );
  const changes = useMemo(() => contextChanges(before, point.context), [before, point]);
  const lastLine = lines.at(-1);
  const currentKey = selected?.key ?? (lastLine?.seq === length ? lastLine.key : null);

  const select = useCallback((line: EventLine) => {
    setSelected({ key: line.key, seq: line.seq, fromSeq: line.fromSeq });
  }, []);
  const from = selected ?? { key: null, seq: length };
  const previous = stepLine(lines, from, -1);
  const next = selected === null ? null : stepLine(lines, selected, 1);
  const step = useCallback(
    (direction: -1 | 1) => {
      const target = direction === -1 ? previous : next;
      if (target !== null) select(target);
    },
    [previous, next, select],
  );
  const toggle = useCallback((runFirstSeq: number) => {
    setExpanded((open) => {
      const changed = new Set(open);
      if (!changed.delete(runFirstSeq)) changed.add(runFirstSeq);
      return changed;
    });
  }, []);

  return (
    <main className="grid min-h-0 flex-1 grid-cols-1 overflow-auto lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)] lg:overflow-hidden">
      <div className="flex flex-col gap-3 p-3 sm:p-4 lg:min-h-0 lg:overflow-auto">
        <TravelBar
          ui={ui}
          seq={seq}
          length={length}
          live={selected === null}
          canGoBack={previous !== null}
          canGoForward={next !== null}
          onStep={step}
          onLive={goLive}
        />
        <StateDiagram ui={ui} graph={GRAPH} point={point} />
        <EventsTable
          ui={ui}
          lines={lines}
          types={types}
          type={type}
          currentKey={currentKey}
          live={selected === null}
          loading={!synced && length === 0}
          onType={setType}
          onSelect={select}
          onToggle={toggle}
          onStep={step}
          onLive={goLive}
          liveRequests={liveRequests}
        />
      </div>
      <div className="flex flex-col gap-5 border-slate-200 lg:min-h-0 p-3 sm:p-4 lg:overflow-auto lg:border-l dark:border-slate-800">
        <ActorsPanel ui={ui} actors={point.actors} />
        <ChangesPanel ui={ui} changes={changes} />
        <ContextPanel ui={ui} point={point} tools={tools} />
        <MessagesPanel ui={ui} request={point.request} />
      </div>
    </main>
  );
}
