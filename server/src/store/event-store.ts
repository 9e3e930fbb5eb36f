import type { ConversationEvent, ConversationSummary, LogEntry } from '@tollgate/machines';

export type { ConversationSummary };

/** A persisted snapshot (`actor.getPersistedSnapshot()`) and the seq of the last entry it folds. */
export interface Checkpoint {
  seq: number;
  snapshot: unknown;
}

/**
 * The only way the server touches persistence: each conversation's append-only log, the
 * conversation list, and checkpoints. Every method is synchronous and durable when it returns, so
 * a caller can broadcast an entry knowing a restart will not lose it. The embedded implementation
 * is SQLite (`openSqliteEventStore`); a server database can implement the same contract.
 */
export interface EventStore {
  /**
   * Appends one event with the next seq of the conversation (1, 2, 3… without gaps), stamped with
   * this build's MACHINE_VERSION. Refuses an event that fails the schema, an unknown conversation
   * and a command whose commandId is already in the log.
   */
  append(conversationId: string, event: ConversationEvent, at: number): LogEntry;
  /** Appends all the events with consecutive seqs, or none of them. */
  appendMany(conversationId: string, events: readonly ConversationEvent[], at: number): LogEntry[];
  /** The entries with seq > afterSeq, in seq order; each one validated, never half-read. */
  /**
   * Appends events of any conversations in one transaction, each with its conversation's next
   * seq, in the order given: the group commit of one event-loop tick.
   */
  appendBatch(
    items: readonly { conversationId: string; event: ConversationEvent; at: number }[],
  ): LogEntry[];
  read(conversationId: string, afterSeq?: number): LogEntry[];
  /** The seq of the conversation's last entry; 0 for an empty or unknown conversation. */
  lastSeq(conversationId: string): number;

  /** Records a new, empty conversation. Refuses an id that exists. */
  createConversation(conversation: { id: string; createdAt: number }): void;
  hasConversation(conversationId: string): boolean;
  /**
   * Every conversation, most recent activity first. The title is the first message a person sent
   * (trimmed to about 80 characters); null until there is one.
   */
  listConversations(): ConversationSummary[];
  /** One conversation's summary, as the list has it; null for an unknown id. */
  conversation(conversationId: string): ConversationSummary | null;
  /**
   * Called once per tick, with the conversations the list shows differently since: created, or
   * given a person's message (a new title, a new place in the list). Streamed facts are not
   * announced. Returns a function that removes the listener.
   */
  onConversationsChanged(listener: (conversationIds: string[]) => void): () => void;

  /**
   * Remembers a snapshot folded up to `seq`, replacing an older checkpoint. An optimisation: the
   * log stays the truth, and a checkpoint is never newer than the log.
   */
  saveCheckpoint(conversationId: string, seq: number, snapshot: unknown): void;
  latestCheckpoint(conversationId: string): Checkpoint | null;

  /** Whether a command with this commandId is in the conversation's log (a client's retry). */
  hasCommand(conversationId: string, commandId: string): boolean;

  close(): void;
}
