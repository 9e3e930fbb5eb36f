import { type ConversationEvent, type LogEntry, STREAMED_EVENT_TYPES } from '@tollgate/machines';
import type { ConversationLog, NewEntry } from '../store/conversation-log.ts';
import { EventStoreError } from '../store/store-errors.ts';

/**
 * The high-frequency facts, the streamed ones (text, thinking and input deltas, tool chunks and
 * progress: the ones also checked by hand), that may be written as a group: everything else is
 * written alone, at once, before it takes effect.
 */
export const GROUP_COMMITTED: ReadonlySet<ConversationEvent['type']> = new Set(
  STREAMED_EVENT_TYPES,
);

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
 * Group commit for every conversation of the process: the streamed facts that arrive while the
 * previous commit is under way, or in one turn of the event loop, are appended in one transaction
 * (cut at the turn's end, or sooner once the oldest has waited GROUP_WAIT_MS), and each is handed
 * back on its own, in order, once it is durable. Only the transaction is shared: every entry is
 * still published as a message of its own. Under load more facts arrive per commit, so the cost
 * of a commit per fact falls exactly when it matters. One commit at a time: they land in the
 * order the facts were applied. `flush()` resolves once everything pending is durable; it runs
 * before any other event is appended, so the log keeps the order in which events were applied.
 */
export function createLogWriter(log: ConversationLog, onError: (error: unknown) => void) {
  let pending: Pending[] = [];
  let scheduled = false;
  let writing: Promise<void> | null = null;
  // The conversations a failed commit stopped: what they queued behind it is not written (it
  // would follow entries the log does not have, and fail the commit it shares with others).
  const failed = new WeakSet<Pending['lost']>();

  /** Tells each conversation of `items` once that its facts were lost, and forgets them. */
  function lose(items: Pending[], error: unknown) {
    for (const item of items) {
      if (failed.has(item.lost)) continue;
      failed.add(item.lost);
      item.lost(error);
    }
    onError(error);
  }

  async function write(batch: Pending[]) {
    let live = batch.filter((item) => !failed.has(item.lost));
    while (live.length > 0) {
      let entries: LogEntry[];
      try {
        entries = await log.appendBatch(live.map((item) => item.entry));
      } catch (error) {
        // Nothing of the batch was written. A refusal that names one conversation (another
        // writer took its seq) stops that one only; the others' facts are written again without
        // it. Anything else stops every conversation in the batch, each told once.
        const culprit = error instanceof EventStoreError && 'conversationId' in error;
        const id = culprit ? (error as { conversationId: string }).conversationId : null;
        const theirs = live.filter((item) => item.entry.conversationId === id);
        if (theirs.length === 0 || theirs.length === live.length) {
          lose(live, error);
          return;
        }
        lose(theirs, error);
        live = live.filter((item) => !failed.has(item.lost));
        continue;
      }
      for (const [i, entry] of entries.entries()) live[i]?.durable(entry);
      return;
    }
  }

  /** Starts a commit of everything pending, unless one is under way (it starts the next). */
  function commit(): Promise<void> | null {
    if (writing || pending.length === 0) return writing;
    const batch = pending;
    pending = [];
    writing = write(batch).finally(() => {
      writing = null;
      commit();
    });
    return writing;
  }

  return {
    /** Queues an entry; once it is durable (soon after this event-loop turn) `durable` gets it. */
    append(entry: NewEntry, durable: (entry: LogEntry) => void, lost: (error: unknown) => void) {
      pending.push({ entry, durable, lost });
      if (entry.at - (pending[0]?.entry.at ?? entry.at) >= GROUP_WAIT_MS) commit();
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        commit();
      });
    },
    /**
     * Forgets what a conversation queued and has not written yet: it was dropped (this instance
     * lost the store, and may no longer own it), so its facts must not reach the log later.
     */
    forget(lost: Pending['lost']) {
      failed.add(lost);
    },
    /**
     * Resolves once every entry queued so far is durable (or its conversation was told); what is
     * queued later is not waited for, so a flush ends however busy the other conversations are.
     */
    async flush(): Promise<void> {
      if (pending.length === 0) {
        if (writing) await writing;
        return;
      }
      // The commit under way ends by starting the next, which takes everything pending now.
      if (writing) await writing;
      else commit();
      if (writing) await writing;
    },
  };
}

export type LogWriter = ReturnType<typeof createLogWriter>;
