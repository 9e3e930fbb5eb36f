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
  /** The commit failed: the conversation's actor has consumed a fact the log does not have. */
  lost: (error: unknown) => void;
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
    let entries: LogEntry[];
    try {
      entries = store.appendBatch(batch);
    } catch (error) {
      // Nothing of the batch was written or shown; each conversation in it is told once.
      const told = new Set<(error: unknown) => void>();
      for (const item of batch) {
        if (told.has(item.lost)) continue;
        told.add(item.lost);
        item.lost(error);
      }
      onError(error);
      return;
    }
    for (const [i, entry] of entries.entries()) batch[i]?.durable(entry);
  }

  return {
    /** Queues a fact; `durable` receives its entry at the end of this event-loop turn. */
    append(
      conversationId: string,
      event: ConversationEvent,
      at: number,
      durable: (entry: LogEntry) => void,
      lost: (error: unknown) => void,
    ) {
      pending.push({ conversationId, event, at, durable, lost });
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        flush();
      });
    },
    flush,
  };
}

export type LogWriter = ReturnType<typeof createLogWriter>;
