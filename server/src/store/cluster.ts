import type { CommandInput } from '@tollgate/machines';

/** What became of a command another instance relayed: its owner's answer, without the entry. */
export type RelayedOutcome =
  | { status: 'accepted'; seq: number }
  | { status: 'duplicate' }
  | { status: 'rejected'; code: string; message: string };

/** Serves the commands other instances relay to this one (this instance owns the conversation). */
export type RelayHandler = (
  conversationId: string,
  command: CommandInput,
) => Promise<RelayedOutcome>;

/**
 * The instances that share one store, as one of them sees them. Exactly one instance at a time
 * owns a conversation's live actor, and only the owner appends to its log; every other instance
 * follows the log and relays its tabs' commands to the owner. A store used by one process (the
 * SQLite file) is a cluster of one: this instance owns everything (sole-instance-cluster.ts).
 */
export interface Cluster {
  /** This instance's id, new at every start. */
  readonly instanceId: string;
  /**
   * Tries to become the conversation's owner; true if this instance owns it now (or already
   * did). Ownership lasts until `release`, or until this instance loses the store (`onLost`):
   * then another instance may take it, and this one can no longer append to its log. Rejects
   * while the store is lost.
   */
  claim(conversationId: string): Promise<boolean>;
  /** Gives ownership up (the conversation went dormant here). */
  release(conversationId: string): Promise<void>;
  /**
   * The instance that owns the conversation, as recorded: null if none does (or the last one
   * released it). It may still name an instance that has just lost the store, until another
   * claims the conversation; a relay to it then goes unanswered.
   */
  ownerOf(conversationId: string): Promise<string | null>;
  /**
   * Told when another instance appended to a conversation's log: its id and the seq its log now
   * reaches. A follower reads the entries from the log. Announcements may be merged or arrive
   * late, never early (the entries are durable first); after `onRestored` the follower must read
   * again whatever it follows, since announcements made while the store was lost are gone.
   */
  onLogChanged(listener: (conversationId: string, lastSeq: number) => void): () => void;
  /**
   * Sends a command to the instance that owns the conversation and resolves with its outcome,
   * or with null when that instance did not answer within `timeoutMs` (it may have died: the
   * caller may claim the conversation and try again; the command id makes a retry safe).
   */
  relay(
    ownerInstanceId: string,
    conversationId: string,
    command: CommandInput,
    timeoutMs: number,
  ): Promise<RelayedOutcome | null>;
  /** Where commands relayed to this instance go; one handler. */
  serve(handler: RelayHandler): void;
  /** Whether this instance can reach the store now. */
  healthy(): boolean;
  /**
   * Told when this instance loses the store (its session ended): it owns nothing any more, and
   * must drop every live conversation at once.
   */
  onLost(listener: (error: unknown) => void): () => void;
  /** Told when the store is reachable again, after `onLost`. */
  onRestored(listener: () => void): () => void;
}
