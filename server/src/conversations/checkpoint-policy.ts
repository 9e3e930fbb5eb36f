import type { ConversationSnapshot } from '@tollgate/machines';

/** States in which nothing runs: a snapshot there can be resumed without any IO under way. */
export const AT_REST = ['idle', 'awaitingApproval', 'failed'] as const;

/** Entries between checkpoints: a rebuild folds at most this many plus the current turn. */
export const CHECKPOINT_EVERY = 500;

export const isAtRest = (snapshot: ConversationSnapshot) =>
  AT_REST.some((state) => snapshot.matches(state));

/** Whether to save a checkpoint after `seq`: at rest, and far enough from the last one. */
export function checkpointDue(
  seq: number,
  lastCheckpointSeq: number,
  snapshot: ConversationSnapshot,
): boolean {
  return seq - lastCheckpointSeq >= CHECKPOINT_EVERY && isAtRest(snapshot);
}
