import type { RecentRow } from './log-segments.ts';

/**
 * The rows of `recent_entries` as compaction encodes them, kept in memory as they are committed,
 * so that a compaction encodes them from here instead of reading the table back in the middle of
 * the append that reaches the threshold, while every stream waits for that append: the read was
 * about half of a compaction's time (docs/performance.md). It either has every row of the table,
 * in append order, or has none (`all()` is null: the table held rows when the store opened), and
 * compaction then reads the table, after which it has them all again. Told only of what
 * committed, so a failed append leaves it as it was.
 */
export function createRecentRows(tableEmpty: boolean) {
  let rows: RecentRow[] | null = tableEmpty ? [] : null;
  return {
    /** Every row of the table in append order, or null when it does not have them all. */
    all: (): readonly RecentRow[] | null => rows,
    /** Rows committed to the table. */
    committed(added: readonly RecentRow[]) {
      rows?.push(...added);
    },
    /** The table was emptied into segments: every row from now on is here. */
    compacted() {
      rows = [];
    },
    /** A conversation's rows were deleted; `left` is how many rows the table still holds. */
    purged(conversationId: string, left: number) {
      if (rows) rows = rows.filter((row) => row[0] !== conversationId);
      // An empty table: whatever the store found on opening is gone, and memory has it all again.
      else if (left === 0) rows = [];
    },
  };
}
