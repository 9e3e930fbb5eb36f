import { createHash } from 'node:crypto';
import {
  type ConversationEvent,
  type LogEntry,
  logEntrySchema,
  MACHINE_VERSION,
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

/** An `entry_segments` row: a conversation's entries first_seq..last_seq as one JSON array. */
export interface SegmentRow {
  first_seq: number;
  last_seq: number;
  entries: string;
  checksum: string | null;
}

/** The checksum a segment is written with: sha256 of its entries, hex. */
export function segmentChecksum(entries: string): string {
  return createHash('sha256').update(entries).digest('hex');
}

/**
 * A segment's entries as rows, parsed once. `intact`: the segment still has the checksum it was
 * written with and all its entries are of this machine version, so each event is exactly what
 * this build validated when it was appended, and need not be validated again (a tenth of the
 * time of reading a long conversation). Otherwise each row is decoded and validated on its own.
 * A segment that is not JSON, or not an array of [seq, at, machine_version, event], is corrupt as
 * a whole, at its first seq.
 */
export function decodeSegment(
  conversationId: string,
  segment: SegmentRow,
): { rows: EventRow[]; intact: boolean } {
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
  const rows = entries.map((entry: unknown): EventRow => {
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
  const intact =
    segment.checksum !== null &&
    rows.every((row) => row.machine_version === MACHINE_VERSION) &&
    segmentChecksum(segment.entries) === segment.checksum;
  return { rows, intact };
}

/** A row of an intact segment (see decodeSegment) as the entry it was appended as. */
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
