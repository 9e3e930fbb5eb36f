import type { ConversationEvent, LogEntry } from '@tollgate/machines';
import type { ConversationLog, NewEntry } from '../store/conversation-log.ts';

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
 * (one read of a tool's pipe can bring hundreds of chunks) writes and publishes what it has so
 * far. Shorter turns, the usual case, still commit once at their end.
 */
export const GROUP_WAIT_MS = 4;

interface Pending {
  entry: NewEntry;
  /** Receives the entry once it is durable: one call per entry, in log order. */
  durable: (entry: LogEntry) => void;
  /** The commit failed: the conversation's actor was given a fact the log does not have. */
  lost: (error: unknown) => void;
}

/**
 * Group commit for every conversation of the process: the streamed facts that arrive in one turn
 * of the event loop are appended in one transaction at its end (or sooner, once the oldest has
 * waited GROUP_WAIT_MS), and each is handed back on its own, in order, once it is durable. Only
 * the transaction is shared: every entry is still published as a message of its own. Under load
 * more facts arrive per turn, so the cost of a commit per fact falls exactly when it matters.
 * `flush()` writes everything pending at once; it runs before any other event is appended, so the
 * log keeps the order in which events were applied.
 */
export function createLogWriter(log: ConversationLog, onError: (error: unknown) => void) {
  let pending: Pending[] = [];
  let scheduled = false;

  function flush() {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    let entries: LogEntry[];
    try {
      entries = log.appendBatch(batch.map((item) => item.entry));
    } catch (error) {
      // Nothing of the batch was written or published; each conversation in it is told once.
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
    /** Queues an entry; at the end of this event-loop turn (at the latest) `durable` receives it. */
    append(entry: NewEntry, durable: (entry: LogEntry) => void, lost: (error: unknown) => void) {
      pending.push({ entry, durable, lost });
      if (entry.at - (pending[0]?.entry.at ?? entry.at) >= GROUP_WAIT_MS) flush();
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
