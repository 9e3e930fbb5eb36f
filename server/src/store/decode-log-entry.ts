import {
  type ConversationEvent,
  isStreamedEntry,
  type LogEntry,
  logEntrySchema,
} from '@tollgate/machines';
import { CorruptLogEntryError } from './store-errors.ts';

/** A `recent_entries` row as SQLite returns it, or one entry of a segment (its event parsed). */
export interface EventRow {
  conversation_id: string;
  seq: number;
  at: number;
  machine_version: number;
  /** JSON text from a row; already parsed when it comes from a segment. */
  event: string | { parsed: unknown };
}

/** A row of an intact segment (log-segments.ts) as the entry it was appended as. */
export function trustedEntry(row: EventRow): LogEntry {
  return {
    conversationId: row.conversation_id,
    seq: row.seq,
    event: (row.event as { parsed: unknown }).parsed as ConversationEvent,
    at: row.at,
    machineVersion: row.machine_version,
  };
}

/**
 * A row back to a log entry, checked against the same schema the machine's events are written
 * with: a row edited by hand, truncated or written by a buggy build fails here, with its
 * conversation and seq, instead of reaching a replay as something that was never appended.
 */
export function decodeLogEntry(row: EventRow): LogEntry {
  let event: unknown;
  try {
    event = typeof row.event === 'string' ? JSON.parse(row.event) : row.event.parsed;
  } catch (error) {
    throw new CorruptLogEntryError(
      row.conversation_id,
      row.seq,
      `its event is not JSON (${(error as Error).message})`,
    );
  }
  const entry = {
    conversationId: row.conversation_id,
    seq: row.seq,
    event,
    at: row.at,
    machineVersion: row.machine_version,
  };
  // A streamed event, most of the log, is checked by hand (streamed-event-check.ts).
  if (isStreamedEntry(entry)) return entry as LogEntry;
  const parsed = logEntrySchema.safeParse(entry);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(entry)'}: ${issue.message}`)
      .join('; ');
    throw new CorruptLogEntryError(row.conversation_id, row.seq, issues);
  }
  return parsed.data;
}
