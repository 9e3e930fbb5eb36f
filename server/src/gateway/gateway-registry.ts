import type { LiveConversation } from '../conversations/conversation-registry.ts';
import type { Subscriber } from '../conversations/fan-out.ts';
import type { Owner } from '../store/conversation-index.ts';

/** What the gateway uses of a conversation: follow its log, send it commands. */
export type GatewayRuntime = Pick<LiveConversation, 'subscribe' | 'unsubscribe' | 'command'>;

/**
 * Finds a conversation for its owner; null when there is no such conversation, or it is another
 * owner's (owned-registry.ts).
 */
export interface GatewayRegistry {
  get(conversationId: string, owner: Owner): Promise<GatewayRuntime | null>;
  /** Stops sending a conversation to a subscriber, without opening (or claiming) anything. */
  unsubscribe(conversationId: string, subscriber: Subscriber): void;
}
