import { type EventRow, entrySummary, eventRows, type LogEntry } from '@tollgate/machines';

// The events list as the inspector draws it: the model's rows (runs of streamed entries
// collapsed), kept up to date as the log grows without regrouping it from seq 1, then filtered by
// type and opened where the person expanded a run.

/** One line of the list. A run's `seq` is its last entry's: selecting it shows the run's end. */
export interface EventLine {
  /** Stable while the log grows: a run keeps the seq of its first entry. */
  key: string;
  kind: 'entry' | 'run' | 'member';
  /** The point selecting the line shows (the conversation right after `seq`). */
  seq: number;
  /** The point before the line: what the line changed is the difference. */
  fromSeq: number;
  /** For a run: its first seq, and how many entries it holds. */
  firstSeq: number;
  count: number;
  type: LogEntry['event']['type'];
  at: number;
  summary: string;
  /** An expanded run's own line only names it; its entries are the lines to select. */
  selectable: boolean;
  expanded: boolean;
}

/**
 * Rows of a log that only grows, regrouped from the last row on: a row is closed once an entry
 * that does not continue it follows, so only the last one can change. The same array comes back
 * while the log has not grown, so a memo on it holds.
 */
export function createRowCache() {
  let rows: EventRow[] = [];
  let covered = 0;
  return (entries: readonly LogEntry[]): EventRow[] => {
    if (entries.length === covered) return rows;
    const last = rows.at(-1);
    const kept = last === undefined ? rows : rows.slice(0, -1);
    const from = last === undefined ? 0 : firstSeq(last) - 1;
    rows = kept.concat(eventRows(entries.slice(from)));
    covered = entries.length;
    return rows;
  };
}

/** The seq of a row's first entry: the point before it is `firstSeq - 1`. */
export const firstSeq = (row: EventRow) =>
  row.kind === 'entry' ? row.entry.seq : row.entries[0]!.seq;
const lastEntry = (row: EventRow) => (row.kind === 'entry' ? row.entry : row.entries.at(-1)!);
export const rowType = (row: EventRow) => (row.kind === 'entry' ? row.entry.event.type : row.type);

/** The lines to draw: rows of `type` (all when null), with the expanded runs' entries. */
export function eventLines(
  rows: readonly EventRow[],
  type: string | null,
  expanded: ReadonlySet<number>,
): EventLine[] {
  const lines: EventLine[] = [];
  for (const row of rows) {
    if (type !== null && rowType(row) !== type) continue;
    if (row.kind === 'entry') {
      lines.push(entryLine(`e${row.entry.seq}`, 'entry', row.entry, row.summary));
      continue;
    }
    const first = firstSeq(row);
    const open = expanded.has(first);
    lines.push({
      ...entryLine(`r${first}`, 'run', lastEntry(row), row.summary),
      type: row.type,
      firstSeq: first,
      fromSeq: first - 1,
      count: row.entries.length,
      // A run is listed at the time it began.
      at: row.entries[0]!.at,
      selectable: !open,
      expanded: open,
    });
    if (!open) continue;
    for (const entry of row.entries) {
      lines.push(entryLine(`r${first}.${entry.seq}`, 'member', entry, entrySummary(entry)));
    }
  }
  return lines;
}

function entryLine(
  key: string,
  kind: EventLine['kind'],
  entry: LogEntry,
  summary: string,
): EventLine {
  return {
    key,
    kind,
    seq: entry.seq,
    fromSeq: entry.seq - 1,
    firstSeq: entry.seq,
    count: 1,
    type: entry.event.type,
    at: entry.at,
    summary,
    selectable: true,
    expanded: false,
  };
}

/** The event types present, in the order they first appear: the filter's choices. */
export function rowTypes(rows: readonly EventRow[]): LogEntry['event']['type'][] {
  return [...new Set(rows.map(rowType))];
}

/**
 * The line one step before or after `from`: the selected line, or the live end (no key, the last
 * seq). A line no longer listed (filtered out or expanded since) is placed by its seq. Null past
 * either end.
 */
export function stepLine(
  lines: readonly EventLine[],
  from: { key: string | null; seq: number },
  direction: -1 | 1,
): EventLine | null {
  const selectable = lines.filter((item) => item.selectable);
  const index = selectable.findIndex((item) => item.key === from.key);
  if (index !== -1) return selectable[index + direction] ?? null;
  return direction === -1
    ? (selectable.findLast((item) => item.seq < from.seq) ?? null)
    : (selectable.find((item) => item.seq > from.seq) ?? null);
}
