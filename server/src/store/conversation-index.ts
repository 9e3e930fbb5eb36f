import type { ConversationSummary } from '@tollgate/machines';

/** The conversation list: which conversations exist, their titles and their latest activity. */
export interface ConversationIndex {
  /** Records a new, empty conversation. Refuses an id that exists. */
  create(conversation: { id: string; createdAt: number }): void;
  has(conversationId: string): boolean;
  /**
   * Every conversation, most recent activity first. The title is the first message a person sent
   * (trimmed to about 80 characters); null until there is one.
   */
  list(): ConversationSummary[];
  /** One conversation's summary, as the list has it; null for an unknown id. */
  get(conversationId: string): ConversationSummary | null;
  /**
   * Called once per tick with the conversations the list shows differently since: created, or
   * given a person's message (a new title, a new place in the list). Streamed facts are not
   * announced. Deferred to a microtask, so the caller publishes its entry first. Returns a
   * function that removes the listener.
   */
  onChanged(listener: (conversationIds: string[]) => void): () => void;
}
