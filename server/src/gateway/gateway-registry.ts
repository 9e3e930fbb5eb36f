import type { CommandInput } from '@tollgate/machines';
import type { CommandOutcome, Subscriber } from '../conversations/conversation-runtime.ts';
import type { Owner } from '../store/conversation-index.ts';

/** What the gateway uses of a live conversation: follow its log, send it commands. */
export interface GatewayRuntime {
  /**
   * Delivers the entries after `afterSeq` to `catchUp` (the subscriber itself if not given),
   * then live ones to `subscriber`; returns the last seq delivered.
   */
  subscribe(subscriber: Subscriber, afterSeq: number, catchUp?: Subscriber): number;
  unsubscribe(subscriber: Subscriber): void;
  command(input: CommandInput): CommandOutcome;
}

/**
 * Finds a conversation's runtime for its owner; null when there is no such conversation, or it
 * is another owner's (owned-registry.ts).
 */
export interface GatewayRegistry {
  get(conversationId: string, owner: Owner): GatewayRuntime | null;
}
