import { checkpointSnapshotSchema, MACHINE_VERSION } from '@tollgate/machines';
import type { Logger } from '../logger.ts';
import type { CheckpointStore } from '../store/checkpoint-store.ts';
import type { SerialisedCheckpoint } from './fan-out.ts';

/**
 * Reads a conversation's latest checkpoint as the `checkpoint` message a tab takes in place of
 * the entries it folds: its state's name and context, checked as the page will check them. Null
 * when there is none, or none that can be sent: a checkpoint is only an optimisation, and the tab
 * then gets the entries.
 */
export function checkpointMessages(
  checkpoints: Pick<CheckpointStore, 'latest'>,
  conversationId: string,
  logger: Logger,
): () => Promise<SerialisedCheckpoint | null> {
  return async () => {
    try {
      const checkpoint = await checkpoints.latest(conversationId);
      if (!checkpoint) return null;
      const snapshot = checkpointSnapshotSchema.safeParse(checkpoint.snapshot);
      if (!snapshot.success) {
        logger.warn(
          { conversationId, seq: checkpoint.seq, issues: snapshot.error.issues.slice(0, 3) },
          'a checkpoint that a tab could not read: the entries are sent instead',
        );
        return null;
      }
      const { seq } = checkpoint;
      const message = {
        type: 'checkpoint',
        conversationId,
        seq,
        machineVersion: MACHINE_VERSION,
        snapshot: snapshot.data,
      };
      return { seq, message: JSON.stringify(message) };
    } catch (error) {
      logger.warn(
        { err: error, conversationId },
        'checkpoint not read: the entries are sent instead',
      );
      return null;
    }
  };
}
