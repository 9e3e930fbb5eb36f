/** A persisted snapshot (`actor.getPersistedSnapshot()`) and the seq of the last entry it folds. */
export interface Checkpoint {
  seq: number;
  snapshot: unknown;
}

/**
 * Snapshots folded up to some seq, so a rebuild folds only the log's tail. An optimisation: the
 * log stays the truth, a checkpoint is never newer than the log, and one written by another
 * MACHINE_VERSION is never returned (its shape is that machine's).
 */
export interface CheckpointStore {
  /** Remembers a snapshot folded up to `seq`; an older checkpoint never replaces a newer one. */
  save(conversationId: string, seq: number, snapshot: unknown): Promise<void>;
  latest(conversationId: string): Promise<Checkpoint | null>;
}
