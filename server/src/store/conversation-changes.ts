import { createListeners } from './listeners.ts';

/**
 * The announcements behind `ConversationIndex.onChanged`: which conversations the list shows
 * differently. Deferred to a microtask, so the caller publishes its entry first, and a burst of
 * messages in one tick is announced once.
 */
export function createConversationChanges(onListenerError: (error: unknown) => void) {
  const listeners = createListeners<string[]>(onListenerError);
  const changed = new Set<string>();
  return {
    listen: (listener: (conversationIds: string[]) => void) => listeners.add(listener),
    /** The conversation was created, or given a person's message. */
    changed(conversationId: string): void {
      if (listeners.size === 0) return;
      if (changed.size === 0) {
        queueMicrotask(() => {
          const ids = [...changed];
          changed.clear();
          listeners.emit(ids);
        });
      }
      changed.add(conversationId);
    },
    clear: () => listeners.clear(),
  };
}
