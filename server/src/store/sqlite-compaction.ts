import type { Database } from 'better-sqlite3';
import { createSegmentEncoder, type NewSegment, type SegmentEncoder } from './log-segments.ts';
import type { Statements } from './sqlite-statements.ts';

/** Runs a compaction's next step later, between other work (setImmediate by default). */
export type CompactionSchedule = (step: () => void) => void;

/**
 * Runs each step at once, in the append that makes it due: for code that appends in a loop that
 * never yields to the event loop (a benchmark, a test that wants the compaction done by the time
 * its append returns), where scheduled steps would get no turn.
 */
export const compactAtOnce: CompactionSchedule = (step) => step();

export interface SqliteCompactionParts {
  db: Database;
  sql: Statements;
  /** Recent entries that make a compaction due. */
  compactAfter: number;
  schedule: CompactionSchedule;
  /** Receives why a compaction failed: its entries stay recent, and it is tried again later. */
  onError: (error: unknown) => void;
}

/** Recent rows a step reads and encodes: each step is a short pause of the event loop. */
const STEP_ROWS = 256;
/**
 * Recent entries, in compactions' worth, past which an append finishes the compaction under way
 * itself: appends made in one long synchronous stretch (a seed, an import) give the scheduled
 * steps no turn, and the recent table, scanned without an index, must stay small.
 */
const MOST_BEHIND = 4;

export function logCompactionError(error: unknown): void {
  console.error('a compaction of the log failed; its entries stay recent until the next:', error);
}

interface Job {
  /** The last position it moves: the table's end when it began. */
  upTo: number;
  /** The last position read so far: `upTo` once every row is read. */
  after: number;
  /** How many rows it has read: the move deletes exactly as many. */
  rows: number;
  encoder: SegmentEncoder;
  /** The segments, joined and summed in a step of their own, before the move's. */
  segments: NewSegment[] | null;
}

/**
 * Moves the recent entries into segments (log-segments.ts) once `compactAfter` of them have
 * gathered, in steps, each in a task of its own: each reads and encodes STEP_ROWS of them, the
 * next joins and sums the segments, and the last writes them and deletes the rows they hold in
 * one transaction. So an append never waits for a whole compaction, and reads see every entry in
 * one tier or the other: nothing is moved before that transaction. Entries appended meanwhile
 * stay recent for the next one: each new row takes the position after the table's last, above the
 * job's. A deletion of a conversation drops the compaction under way (a new one reads afresh):
 * the job has read rows it took away, may have read that conversation's, and once the table is
 * empty new rows take positions from 1 again, below the job's end.
 */
export function createSqliteCompaction({
  db,
  sql,
  compactAfter,
  schedule,
  onError,
}: SqliteCompactionParts) {
  let recent = sql.countRecent.get() ?? 0;
  /** After a failure, the next try waits for another compaction's worth of entries. */
  let dueAt = compactAfter;
  let job: Job | null = null;
  let scheduled = false;

  const move = db.transaction((moving: Job, segments: readonly NewSegment[]) => {
    for (const segment of segments) {
      sql.insertSegment.run(
        segment.conversationId,
        segment.firstSeq,
        segment.lastSeq,
        segment.lastAt,
        segment.entries,
        segment.checksum,
      );
    }
    const moved = sql.clearRecentUpTo.run(moving.upTo).changes;
    // Only a deletion of a conversation takes recent rows away, and it drops the job first; a
    // row it did not read would be lost here. Refused, the transaction writes nothing.
    if (moved !== moving.rows) {
      throw new Error(`a compaction read ${moving.rows} recent entries, but would delete ${moved}`);
    }
    return moved;
  }).immediate;

  // A step may run in a task of its own (where a throw would end the process) or in an append
  // that has committed (which must not fail after it): what reports a failure must not throw.
  function report(error: unknown) {
    try {
      onError(error);
    } catch (reporting) {
      logCompactionError(reporting);
    }
  }

  /** One step of the compaction that is due; whether one is still under way or due after it. */
  function step(): boolean {
    try {
      if (job === null) {
        if (recent < dueAt) return false;
        const upTo = sql.lastRecentPosition.get();
        if (upTo === null || upTo === undefined) return false;
        job = { upTo, after: 0, rows: 0, encoder: createSegmentEncoder(), segments: null };
      }
      if (job.after < job.upTo) {
        const rows = sql.recentRows.all(job.after, job.upTo, STEP_ROWS);
        job.encoder.add(rows);
        job.rows += rows.length;
        // Fewer than asked for: nothing is left up to `upTo`.
        job.after = rows.length < STEP_ROWS ? job.upTo : rows[rows.length - 1]![0];
        return true;
      }
      if (job.segments === null) {
        job.segments = job.encoder.segments();
        return true;
      }
      recent -= move(job, job.segments);
      job = null;
      dueAt = compactAfter;
      return recent >= dueAt;
    } catch (error) {
      job = null;
      dueAt = recent + compactAfter;
      report(error);
      return false;
    }
  }

  function run() {
    scheduled = false;
    if (step()) later();
  }

  function later() {
    if (scheduled) return;
    scheduled = true;
    schedule(run);
  }

  /**
   * Runs the compaction under way to its end, and the next if the entries appended meanwhile make
   * one due (that one moves every recent entry, so none is due after it).
   */
  function finish() {
    while (step());
  }

  return {
    /** After an append of `count` entries has committed (and its heads are updated). */
    appended(count: number) {
      recent += count;
      if (recent >= MOST_BEHIND * compactAfter) finish();
      else if (job !== null || recent >= dueAt) later();
    },
    /** After a conversation's rows were deleted: what a compaction under way read may be gone. */
    purged() {
      job = null;
      recent = sql.countRecent.get() ?? 0;
      if (recent >= dueAt) later();
    },
    /** Before the store closes: the compaction under way is done now. */
    finish,
  };
}

export type SqliteCompaction = ReturnType<typeof createSqliteCompaction>;
