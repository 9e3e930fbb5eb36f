import type { ConversationEvent, LogEntry } from '@tollgate/machines';
import type { EventStore } from '../store/event-store.ts';

/**
 * The high-frequency facts (text and input deltas, tool chunks and progress) that may be written
 * as a group: everything else is written alone, at once, before it takes effect.
 */
export const GROUP_COMMITTED = new Set<ConversationEvent['type']>([
  'assistant.text_delta',
  'assistant.thinking_delta',
  'assistant.tool_input_delta',
  'tool.chunk',
  'tool.progress',
]);

interface Pending {
  conversationId: string;
  event: ConversationEvent;
  at: number;
  durable: (entry: LogEntry) => void;
}

/**
 * Group commit for every conversation of the process: the streamed facts that arrive in one turn
 * of the event loop are appended in one transaction at its end, and each is handed back (to be
 * broadcast) only once it is durable. Under load more facts arrive per turn, so the cost per
 * fact falls exactly when it matters. `flush()` writes everything pending at once; it runs
 * before any other event is appended, so the log keeps the order in which events were consumed.
 */
export function createLogWriter(store: EventStore, onError: (error: unknown) => void) {
  let pending: Pending[] = [];
  let scheduled = false;

  function flush() {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const entries = store.appendBatch(batch);
    for (const [i, entry] of entries.entries()) batch[i]?.durable(entry);
  }

  return {
    /** Queues a fact; `durable` receives its entry at the end of this event-loop turn. */
    append(
      conversationId: string,
      event: ConversationEvent,
      at: number,
      durable: (entry: LogEntry) => void,
    ) {
      pending.push({ conversationId, event, at, durable });
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        try {
          flush();
        } catch (error) {
          // A failed group commit loses those facts from the log (they were never broadcast);
          // the turn they belong to is then cut short, as after a crash.
          onError(error);
        }
      });
    },
    flush,
  };
}

export type LogWriter = ReturnType<typeof createLogWriter>;
