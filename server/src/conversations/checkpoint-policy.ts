import type { ConversationSnapshot } from '@tollgate/machines';

/** Entries between checkpoints: a rebuild folds at most this many plus the current turn. */
export const CHECKPOINT_EVERY = 500;

/** Nothing runs (the machine's `atRest` tag): a snapshot here resumes with no IO under way. */
export const isAtRest = (snapshot: ConversationSnapshot) => snapshot.hasTag('atRest');

/** Whether to save a checkpoint after `seq`: at rest, and far enough from the last one. */
export function checkpointDue(
  seq: number,
  lastCheckpointSeq: number,
  snapshot: ConversationSnapshot,
): boolean {
  return seq - lastCheckpointSeq >= CHECKPOINT_EVERY && isAtRest(snapshot);
}
