import type { Statements } from './sqlite-statements.ts';

/** A conversation's last seq and latest activity (the newest entry's time, or its creation). */
export interface Head {
  seq: number;
  at: number;
}

/**
 * Every conversation's head, read once at open. The store is the file's only writer (the
 * exclusive lock), so it keeps them up to date itself instead of looking them up in the log at
 * every append.
 */
export function readHeads(sql: Statements): Map<string, Head> {
  const heads = new Map<string, Head>();
  for (const row of sql.conversations.all()) heads.set(row.id, { seq: 0, at: row.createdAt });
  for (const row of [...sql.segmentHeads.all(), ...sql.recentHeads.all()]) {
    const head = heads.get(row.id);
    if (!head) continue;
    head.seq = Math.max(head.seq, row.seq);
    head.at = Math.max(head.at, row.at);
  }
  return heads;
}
