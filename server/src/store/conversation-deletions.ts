import type { Owner } from './conversation-index.ts';
import { createListeners } from './listeners.ts';

/**
 * The announcements behind `ConversationIndex.onDeleted`: a conversation and the owner it had.
 * Deferred to a microtask, as the list's changes are, so the deleting call has returned first.
 */
export function createConversationDeletions(onListenerError: (error: unknown) => void) {
  const listeners = createListeners<{ conversationId: string; owner: Owner }>(onListenerError);
  return {
    listen: (listener: (conversationId: string, owner: Owner) => void) =>
      listeners.add(({ conversationId, owner }) => listener(conversationId, owner)),
    deleted(conversationId: string, owner: Owner): void {
      queueMicrotask(() => listeners.emit({ conversationId, owner }));
    },
    clear: () => listeners.clear(),
  };
}

export type ConversationDeletions = ReturnType<typeof createConversationDeletions>;
