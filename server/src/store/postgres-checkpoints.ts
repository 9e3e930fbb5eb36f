import { MACHINE_VERSION } from '@tollgate/machines';
import type { Pool } from 'pg';
import type { CheckpointStore } from './checkpoint-store.ts';
import { lastSeqOf } from './postgres-rows.ts';
import { EventStoreError } from './store-errors.ts';
import { checkCheckpointSeq } from './store-validation.ts';

/** Checkpoints in PostgreSQL: one row per conversation, the newest. */
export function createPostgresCheckpoints({
  pool,
  assertOpen,
}: {
  pool: Pool;
  assertOpen(): void;
}): CheckpointStore {
  return {
    async save(conversationId, seq, snapshot) {
      assertOpen();
      const head = await pool.query('SELECT last_seq FROM conversations WHERE id = $1', [
        conversationId,
      ]);
      // The log only grows: a head read before the write is never ahead of the log at the write.
      checkCheckpointSeq(
        conversationId,
        seq,
        head.rows[0] ? lastSeqOf(head.rows[0], conversationId) : undefined,
      );
      // An older checkpoint never replaces a newer one (another instance may be saving too).
      await pool.query(
        `INSERT INTO checkpoints (conversation_id, seq, machine_version, snapshot)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (conversation_id) DO UPDATE
         SET seq = excluded.seq, machine_version = excluded.machine_version, snapshot = excluded.snapshot
         WHERE excluded.seq >= checkpoints.seq`,
        [conversationId, seq, MACHINE_VERSION, JSON.stringify(snapshot)],
      );
    },
    async latest(conversationId) {
      assertOpen();
      const { rows } = await pool.query(
        'SELECT seq, machine_version, snapshot FROM checkpoints WHERE conversation_id = $1',
        [conversationId],
      );
      const row = rows[0] as
        | { seq: unknown; machine_version: unknown; snapshot: unknown }
        | undefined;
      // A snapshot is the shape of the machine that made it; after an upgrade the log is replayed
      // by the new machine instead of trusting an old snapshot's shape.
      if (!row || row.machine_version !== MACHINE_VERSION) return null;
      if (
        !Number.isSafeInteger(row.seq) ||
        (row.seq as number) < 0 ||
        typeof row.snapshot !== 'string'
      ) {
        throw new EventStoreError(`the checkpoint of conversation ${conversationId} is malformed`);
      }
      try {
        return { seq: row.seq as number, snapshot: JSON.parse(row.snapshot) };
      } catch (error) {
        throw new EventStoreError(
          `the checkpoint of conversation ${conversationId} at seq ${row.seq} is not JSON (${(error as Error).message})`,
        );
      }
    },
  };
}
