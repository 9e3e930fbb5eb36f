import type { ConversationEvent, LogEntry } from '@tollgate/machines';

/** An entry to append: the caller names the seq it expects to take (its last seq + 1). */
export interface NewEntry {
  conversationId: string;
  seq: number;
  event: ConversationEvent;
  at: number;
}

/**
 * Each conversation's append-only log: the truth every state is folded from. An append is
 * durable when its promise resolves, so a caller may publish an entry knowing a restart (or the
 * death of this instance) will not lose it. The contract every implementation passes is
 * `server/test/store/log-contract.ts`.
 */
export interface ConversationLog {
  /**
   * Appends one entry, stamped with this build's MACHINE_VERSION. Refuses (and writes nothing
   * for) an event that fails the schema, an unknown conversation, a seq that is not the
   * conversation's last seq + 1 (`SeqConflictError`: someone else appended first), and a
   * command whose commandId is already in the log (`DuplicateCommandError`).
   */
  append(entry: NewEntry): Promise<LogEntry>;
  /**
   * Appends entries of any conversations in one transaction, in the order given, each under the
   * same rules as `append`: all of them, or none (the group commit of one event-loop turn).
   */
  appendBatch(entries: readonly NewEntry[]): Promise<LogEntry[]>;
  /**
   * The entries with seq > afterSeq, in seq order; each one validated, never half-read. With a
   * `limit`, a page of them: the first `limit` at least, as many more as the store reads with them
   * (the SQLite store ends a page at the end of a compacted segment, never inside one), all that
   * is left if fewer: a long log is read page by page (`logPages`), never whole.
   */
  read(conversationId: string, afterSeq?: number, limit?: number): Promise<LogEntry[]>;
  /** The seq of the conversation's last entry; 0 for an empty or unknown conversation. */
  lastSeq(conversationId: string): Promise<number>;
  /**
   * The change feed of this store object's own appends: `listener` receives each commit's
   * entries (one call per `append` or `appendBatch`), in order, once they are durable and before
   * the append's promise resolves. (Entries other instances append reach this one through
   * `Cluster.onLogChanged`.)
   * A refused append announces nothing. A listener that throws is reported to the store's owner
   * and fails neither the append nor the other listeners; one that appends in turn is told of its
   * own commit after every listener has the current one, so all of them see commits in order.
   * Returns a function that removes the listener.
   */
  onAppended(listener: (entries: readonly LogEntry[]) => void): () => void;
}
