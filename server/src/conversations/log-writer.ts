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

/** The most facts one group commit waits for: past it, they are written and sent at once. */
const GROUP_LIMIT = 32;

interface Pending {
  conversationId: string;
  event: ConversationEvent;
  at: number;
  /** Receives the conversation's entries of one commit, in order (one call per commit). */
  durable: (entries: LogEntry[]) => void;
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
    // Each conversation gets its entries of this commit at once: one message to its watchers.
    const byConversation = new Map<(entries: LogEntry[]) => void, LogEntry[]>();
    for (const [i, entry] of entries.entries()) {
      const durable = batch[i]?.durable;
      if (durable === undefined) continue;
      const own = byConversation.get(durable);
      if (own) own.push(entry);
      else byConversation.set(durable, [entry]);
    }
    for (const [durable, own] of byConversation) durable(own);
  }

  return {
    /**
     * Queues a fact; at the end of this event-loop turn `durable` receives its entry, together
     * with the entries of the conversation's other facts of the turn.
     */
    append(
      conversationId: string,
      event: ConversationEvent,
      at: number,
      durable: (entries: LogEntry[]) => void,
      lost: (error: unknown) => void,
    ) {
      pending.push({ conversationId, event, at, durable, lost });
      // One read can bring hundreds of facts (a tool's chunks, queued while the loop was busy):
      // the first of them need not wait for the last to be handled before they are shown.
      if (pending.length >= GROUP_LIMIT) flush();
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
