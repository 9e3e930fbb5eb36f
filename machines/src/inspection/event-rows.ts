import type { LogEntry } from '../log-entry.ts';
import { entrySummary, oneLine } from './entry-summary.ts';
import type { EventRow } from './inspection-types.ts';

/** What makes consecutive streamed entries one run: the same kind, of the same block or call. */
function runKey(entry: LogEntry): string | null {
  const event = entry.event;
  switch (event.type) {
    case 'assistant.text_delta':
    case 'assistant.thinking_delta':
      return `${event.type} ${event.turn} ${event.index}`;
    case 'assistant.tool_input_delta':
      return `${event.type} ${event.turn} ${event.toolUseId}`;
    case 'tool.chunk':
    case 'tool.progress':
      return `${event.type} ${event.toolUseId}`;
    default:
      return null;
  }
}

/** What a run adds up to: the text its deltas make, or how far its chunks got. */
function runSummary(entries: LogEntry[]): string {
  const first = entries[0]!.event;
  const last = entries.at(-1)!.event;
  const count = `${entries.length} entries`;
  switch (first.type) {
    case 'assistant.text_delta':
    case 'assistant.thinking_delta':
    case 'assistant.tool_input_delta': {
      const text = entries
        .map(({ event }) =>
          event.type === 'assistant.text_delta'
            ? event.text
            : event.type === 'assistant.thinking_delta'
              ? event.thinking
              : event.type === 'assistant.tool_input_delta'
                ? event.partialJson
                : '',
        )
        .join('');
      const name = first.type === 'assistant.tool_input_delta' ? `${first.name}: ` : '';
      return `${count}: ${name}${JSON.stringify(oneLine(text, 100))}`;
    }
    case 'tool.chunk':
      return last.type === 'tool.chunk'
        ? `${count}: chunks ${first.index + 1}–${last.index + 1}, ${last.bytes} of ${last.total} bytes`
        : count;
    default:
      return `${count}: ${entrySummary(entries.at(-1)!)}`;
  }
}

/**
 * The events list's rows: each entry on its own, except that consecutive streamed entries of one
 * block or call (a turn's text deltas, a file's chunks) make one collapsed run. A 10,000-entry
 * conversation is a few hundred rows.
 */
export function eventRows(entries: readonly LogEntry[]): EventRow[] {
  const rows: EventRow[] = [];
  let run: LogEntry[] = [];
  let key: string | null = null;
  const close = () => {
    if (run.length === 1)
      rows.push({ kind: 'entry', entry: run[0]!, summary: entrySummary(run[0]!) });
    else if (run.length > 1) {
      rows.push({ kind: 'run', type: run[0]!.event.type, entries: run, summary: runSummary(run) });
    }
    run = [];
    key = null;
  };
  for (const entry of entries) {
    const next = runKey(entry);
    if (next === null || next !== key) close();
    if (next === null) rows.push({ kind: 'entry', entry, summary: entrySummary(entry) });
    else {
      run.push(entry);
      key = next;
    }
  }
  close();
  return rows;
}
