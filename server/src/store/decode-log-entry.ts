import { type LogEntry, logEntrySchema } from '@tollgate/machines';
import { CorruptLogEntryError } from './store-errors.ts';

/** An `events` row as SQLite returns it. */
export interface EventRow {
  conversation_id: string;
  seq: number;
  at: number;
  machine_version: number;
  event: string;
}

/**
 * A row back to a log entry, checked against the same schema the machine's events are written
 * with: a row edited by hand, truncated or written by a buggy build fails here, with its
 * conversation and seq, instead of reaching a replay as something that was never appended.
 */
export function decodeLogEntry(row: EventRow): LogEntry {
  let event: unknown;
  try {
    event = JSON.parse(row.event);
  } catch (error) {
    throw new CorruptLogEntryError(
      row.conversation_id,
      row.seq,
      `its event is not JSON (${(error as Error).message})`,
    );
  }
  const parsed = logEntrySchema.safeParse({
    conversationId: row.conversation_id,
    seq: row.seq,
    event,
    at: row.at,
    machineVersion: row.machine_version,
  });
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(entry)'}: ${issue.message}`)
      .join('; ');
    throw new CorruptLogEntryError(row.conversation_id, row.seq, issues);
  }
  return parsed.data;
}
