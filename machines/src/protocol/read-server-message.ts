import { type LogEntry, logEntrySchema } from '../log-entry.ts';
import { isRecord, isStreamedEntry } from '../streamed-event-check.ts';
import { type ServerMessage, serverMessageSchema } from './server-message.ts';

// How the page reads what the server sends: the protocol's schema decides, but the entries of an
// `entries` message are read one by one, and a streamed event's entry (a delta of Claude's, a
// tool's chunk or progress: nearly all of a long conversation's log) is checked by hand
// (streamed-event-check.ts).

/** A log entry as the schema reads it, or null when it does not fit. */
function readEntry(value: unknown): LogEntry | null {
  if (isStreamedEntry(value)) return value as LogEntry;
  const parsed = logEntrySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** A server message read from its JSON, or null when it does not fit the protocol's schema. */
export function readServerMessage(json: unknown): ServerMessage | null {
  if (isRecord(json) && json.type === 'entries' && Array.isArray(json.entries)) {
    if (json.entries.length === 0) return null;
    const entries: LogEntry[] = [];
    for (const value of json.entries) {
      const entry = readEntry(value);
      if (entry === null) return null;
      entries.push(entry);
    }
    return { type: 'entries', entries };
  }
  const parsed = serverMessageSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
