import { type LogEntry, logEntrySchema } from '@tollgate/machines';
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

/** An `entry_segments` row: a conversation's entries first_seq..last_seq as one JSON array. */
export interface SegmentRow {
  first_seq: number;
  last_seq: number;
  entries: string;
}

/**
 * A segment's entries as rows to decode one by one. The segment is parsed once; a segment that
 * is not JSON, or not an array of [seq, at, machine_version, event], is corrupt as a whole, at
 * its first seq.
 */
export function decodeSegment(conversationId: string, segment: SegmentRow): EventRow[] {
  const corrupt = (problem: string) =>
    new CorruptLogEntryError(
      conversationId,
      segment.first_seq,
      `its segment (entries ${segment.first_seq} to ${segment.last_seq}) ${problem}`,
    );
  let entries: unknown;
  try {
    entries = JSON.parse(segment.entries);
  } catch (error) {
    throw corrupt(`is not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(entries)) throw corrupt('is not an array');
  return entries.map((entry: unknown) => {
    if (!Array.isArray(entry) || entry.length !== 4) {
      throw corrupt('holds something that is not [seq, at, machine_version, event]');
    }
    const [seq, at, machineVersion, event] = entry as [number, number, number, unknown];
    return {
      conversation_id: conversationId,
      seq,
      at,
      machine_version: machineVersion,
      event: { parsed: event },
    };
  });
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
