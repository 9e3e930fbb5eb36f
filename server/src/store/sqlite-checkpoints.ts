import { MACHINE_VERSION } from '@tollgate/machines';
import type { Database } from 'better-sqlite3';
import type { CheckpointStore } from './checkpoint-store.ts';
import { assertOpen } from './sqlite-connection.ts';
import type { Head } from './sqlite-heads.ts';
import type { Statements } from './sqlite-statements.ts';
import { EventStoreError } from './store-errors.ts';
import { checkCheckpointSeq } from './store-validation.ts';

/** Checkpoints in the SQLite file: one row per conversation, the newest. */
export function createSqliteCheckpoints({
  db,
  sql,
  heads,
}: {
  db: Database;
  sql: Statements;
  heads: Map<string, Head>;
}): CheckpointStore {
  return {
    async save(conversationId, seq, snapshot) {
      assertOpen(db);
      checkCheckpointSeq(conversationId, seq, heads.get(conversationId)?.seq);
      sql.saveCheckpoint.run(conversationId, seq, MACHINE_VERSION, JSON.stringify(snapshot));
    },
    async latest(conversationId) {
      assertOpen(db);
      const row = sql.latestCheckpoint.get(conversationId);
      // A snapshot is the shape of the machine that made it; after an upgrade the log is replayed
      // by the new machine instead of trusting an old snapshot's shape.
      if (!row || row.machine_version !== MACHINE_VERSION) return null;
      try {
        return { seq: row.seq, snapshot: JSON.parse(row.snapshot) };
      } catch (error) {
        throw new EventStoreError(
          `the checkpoint of conversation ${conversationId} at seq ${row.seq} is not JSON (${(error as Error).message})`,
        );
      }
    },
  };
}
