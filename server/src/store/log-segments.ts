import { createHash } from 'node:crypto';
import { MACHINE_VERSION } from '@tollgate/machines';
import type { EventRow } from './decode-log-entry.ts';
import { CorruptLogEntryError } from './store-errors.ts';

// The format of `entry_segments` (sqlite-schema.ts): rows of one conversation's entries each, up
// to SEGMENT_ENTRIES of them from one compaction, [[seq, at, machine_version, event], …] in seq
// order as one JSON array, with the sha256 of that text. Written from the recent entries, read
// back by `decodeSegment`.

/**
 * A recent entry as compaction reads it: its position in the table, conversation, seq, at,
 * machine version, event JSON.
 */
export type RecentRow = [number, string, number, number, number, string];

/** A segment to insert: its conversation, seq range, latest time, entries and checksum. */
export interface NewSegment {
  conversationId: string;
  firstSeq: number;
  lastSeq: number;
  lastAt: number;
  entries: string;
  checksum: string;
}

/**
 * At most this many entries in a segment. A read decodes whole segments (one parse and checksum
 * each), so a read from inside a conversation's log (a tab that takes a checkpoint, then the
 * entries after it) decodes at most this many entries it does not need.
 */
export const SEGMENT_ENTRIES = 256;

interface SegmentGroup {
  conversationId: string;
  first: number;
  last: number;
  at: number;
  parts: string[];
}

/** Takes recent entries a few at a time (`add`), and gives them back as segments (`segments`). */
export interface SegmentEncoder {
  add(rows: readonly RecentRow[]): void;
  segments(): NewSegment[];
}

/**
 * Encodes recent entries (given in append order, so each conversation's in seq order) as segments
 * of at most SEGMENT_ENTRIES entries of one conversation each. Each event is JSON already: spliced
 * in verbatim, not parsed and stringified again.
 */
export function createSegmentEncoder(): SegmentEncoder {
  const open = new Map<string, SegmentGroup>();
  const full: SegmentGroup[] = [];
  return {
    add(rows) {
      for (const [, conversationId, seq, at, version, event] of rows) {
        let group = open.get(conversationId);
        if (!group) {
          group = { conversationId, first: seq, last: seq, at, parts: [] };
          open.set(conversationId, group);
        }
        group.last = seq;
        group.at = Math.max(group.at, at);
        group.parts.push(`[${seq},${at},${version},${event}]`);
        if (group.parts.length === SEGMENT_ENTRIES) {
          full.push(group);
          open.delete(conversationId);
        }
      }
    },
    segments: () =>
      [...full, ...open.values()].map((group) => {
        const entries = `[${group.parts.join(',')}]`;
        return {
          conversationId: group.conversationId,
          firstSeq: group.first,
          lastSeq: group.last,
          lastAt: group.at,
          entries,
          checksum: segmentChecksum(entries),
        };
      }),
  };
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
