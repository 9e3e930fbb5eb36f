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

/**
 * The longest a fact waits for its group, in ms: a turn of the event loop that goes on longer
 * (one read of a tool's pipe can bring hundreds of chunks) writes and sends what it has so far.
 * Shorter turns, the usual case, still commit once at their end.
 */
export const GROUP_WAIT_MS = 4;

interface Pending {
  conversationId: string;
  event: ConversationEvent;
  at: number;
  /** Receives the conversation's entries of one commit, in order (one call per commit). */
  durable: (entries: LogEntry[]) => void;
  /** The commit failed: the conversation's actor was given a fact the log does not have. */
  lost: (error: unknown) => void;
}

/**
 * Group commit for every conversation of the process: the streamed facts that arrive in one turn
 * of the event loop are appended in one transaction at its end (or sooner, once the oldest has
 * waited GROUP_WAIT_MS), and handed back, each conversation's together, to be broadcast only
 * once they are durable. Under load more facts arrive per turn, so the cost per fact falls
 * exactly when it matters. `flush()` writes everything pending at once; it runs before any other
 * event is appended, so the log keeps the order in which events were consumed.
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
      if (at - (pending[0]?.at ?? at) >= GROUP_WAIT_MS) flush();
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
