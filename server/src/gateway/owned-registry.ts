import type { Owner } from '../store/conversation-index.ts';
import type { GatewayRegistry, GatewayRuntime } from './gateway-registry.ts';

/**
 * The live conversations as a connection may reach them: its owner's only. Another owner's
 * conversation is null exactly as a missing one is (the same `unknown_conversation`, the same
 * words), so ids cannot be probed; and it is not even opened, so a probe costs nothing.
 */
export function ownedRegistry(
  registry: Pick<GatewayRegistry, 'unsubscribe'> & {
    get(conversationId: string): Promise<GatewayRuntime | null>;
  },
  ownerOf: (conversationId: string) => Promise<Owner | undefined>,
): GatewayRegistry {
  return {
    get: async (conversationId, owner) =>
      (await ownerOf(conversationId)) === owner ? registry.get(conversationId) : null,
    // A subscriber is only ever subscribed where its owner was let in.
    unsubscribe: (conversationId, subscriber) => registry.unsubscribe(conversationId, subscriber),
  };
}
