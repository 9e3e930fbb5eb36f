import type { ConversationSummary } from '@tollgate/machines';
import type { SearchAnswer } from './conversation-search.ts';

/**
 * Whose a conversation is: the name of the person a trusted proxy vouched for
 * (TRUSTED_USER_HEADER, docs/access.md), or null for the single owner of a Tollgate without
 * people, as every conversation created before owners existed is.
 */
export type Owner = string | null;

/** The conversation list: which conversations exist, their titles and their latest activity. */
export interface ConversationIndex {
  /** Records a new, empty conversation (the single owner's unless told). Refuses a known id. */
  create(conversation: { id: string; createdAt: number; owner?: Owner }): Promise<void>;
  has(conversationId: string): Promise<boolean>;
  /**
   * Every conversation, whoever owns it, most recent activity first. The title is the one the
   * person gave it (`conversation.renamed`), else the first message a person sent (trimmed to
   * about 80 characters); null until there is either.
   */
  list(): Promise<ConversationSummary[]>;
  /** The conversations of one owner only, in the same order as `list`. */
  listOwnedBy(owner: Owner): Promise<ConversationSummary[]>;
  /** Whose the conversation is; undefined for an unknown id. */
  ownerOf(conversationId: string): Promise<Owner | undefined>;
  /** One conversation's summary, as the list has it; null for an unknown id. */
  get(conversationId: string): Promise<ConversationSummary | null>;
  /**
   * Called with the conversations the list shows differently since: created, renamed, or given
   * a person's message (a new title, a new place in the list), by this instance or, on a shared
   * database, by any other. Streamed facts are not announced. Deferred (at least to a
   * microtask), so the caller publishes its entry first. Returns a function that removes the
   * listener.
   */
  onChanged(listener: (conversationIds: string[]) => void): () => void;
  /**
   * Deletes the conversation for good: its entry in the list, its log, its command ids, its
   * checkpoints and its search texts, in one transaction. Resolves with the owner it had, or
   * undefined if there was no such conversation. Whoever runs it must have stopped it first: an
   * append to it afterwards is refused as an unknown conversation.
   */
  delete(conversationId: string): Promise<Owner | undefined>;
  /**
   * Called with each deleted conversation and its owner, by this instance or, on a shared
   * database, by any other. Deferred, like `onChanged`. Returns a function that removes it.
   */
  onDeleted(listener: (conversationId: string, owner: Owner) => void): () => void;
  /**
   * One owner's conversations whose title, or a message of whose (the person's, or Claude's
   * text), holds `query`, ignoring case: titles first, in the list's order, then messages, newest
   * first, at most `limit` (MAX_SEARCH_RESULTS by default). Claude's text is searched block by
   * block once each block has ended.
   */
  search(owner: Owner, query: string, limit?: number): Promise<SearchAnswer>;
}
