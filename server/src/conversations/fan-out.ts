import type { LogEntry } from '@tollgate/machines';
import { LOG_PAGE_ENTRIES, logPages } from '../store/log-pages.ts';
import { catchUpPager, ENTRIES_MESSAGE_BYTES, liveEntriesMessage } from './entries-messages.ts';

/** Someone watching a conversation: a WebSocket connection, or a test. */
export interface Subscriber {
  /** Receives the log's entries, already serialised as `entries` server messages. */
  deliver(message: string): void;
}

/** How a subscription starts: who reads the catch-up, and who is told where it ended. */
export interface SubscribeOptions {
  /** Receives the catch-up (the subscriber itself if not given), in pages. */
  catchUp?: Subscriber;
  /**
   * Called with the last seq delivered, after the catch-up and before any live entry: where a
   * `subscribed` message belongs.
   */
  subscribed?: (lastSeq: number) => void;
  /**
   * The subscriber takes the latest checkpoint in place of the entries it folds, when it is newer
   * than what the subscriber has (a tab that asked with `checkpoint`).
   */
  checkpoint?: boolean;
}

/** A checkpoint as a subscriber receives it: a serialised `checkpoint` server message. */
export interface SerialisedCheckpoint {
  seq: number;
  message: string;
}

/** A subscriber to move to another fan-out, with where it should resume. */
export interface HandOver {
  subscriber: Subscriber;
  afterSeq: number;
  options: SubscribeOptions;
}

/**
 * The watchers of one conversation's log, the owner's or a follower's. Every live publication (an
 * entry, or a completion with the decisions the server made on its calls) goes to each of them as
 * a message of its own, once, in seq order. A subscriber joins with the seq it has: the entries
 * after it that have been published are read from the log a page at a time and sent as a
 * catch-up (while that is under way, live publications are held for it), then what was held that
 * it did not get, then it is live. A subscriber that takes a checkpoint gets the latest one first,
 * if it is newer than what it has, and the catch-up from there. Each subscriber's last seq is
 * kept, so an entry the catch-up already held is not sent again: no gap, no duplicate.
 */
export function createFanOut(
  read: (afterSeq: number, limit: number) => Promise<LogEntry[]>,
  publishedSeq: () => number,
  {
    readEntries = LOG_PAGE_ENTRIES,
    messageBytes = ENTRIES_MESSAGE_BYTES,
    /** The latest checkpoint; one no newer than `afterSeq` may be left unread (null). */
    latestCheckpoint = async (_afterSeq: number): Promise<SerialisedCheckpoint | null> => null,
  } = {},
) {
  const live = new Map<Subscriber, { last: number }>();
  const joining = new Map<
    Subscriber,
    { afterSeq: number; options: SubscribeOptions; held: (readonly LogEntry[])[] }
  >();

  return {
    /** Publishes consecutive entries as one message: a tab folds them in one go. */
    publish(entries: readonly LogEntry[]) {
      const first = entries[0];
      const last = entries.at(-1);
      if (first === undefined || last === undefined) return;
      let whole: string | undefined;
      for (const [subscriber, position] of live) {
        if (last.seq <= position.last) continue;
        if (first.seq > position.last) {
          whole ??= liveEntriesMessage(entries);
          subscriber.deliver(whole);
        } else {
          subscriber.deliver(liveEntriesMessage(entries.filter((e) => e.seq > position.last)));
        }
        position.last = last.seq;
      }
      for (const join of joining.values()) join.held.push(entries);
    },
    /**
     * Sends the entries after `afterSeq` (the catch-up, in pages), then the live ones as they
     * are published; resolves with the last seq the subscriber has (null if it was removed while
     * joining).
     */
    async subscribe(
      subscriber: Subscriber,
      afterSeq: number,
      options: SubscribeOptions = {},
    ): Promise<number | null> {
      live.delete(subscriber);
      const join = { afterSeq, options, held: [] as (readonly LogEntry[])[] };
      joining.set(subscriber, join);
      // What was published before the read is in it; what is published during it is held.
      const before = publishedSeq();
      try {
        // Read a page at a time, each message sent once it is full: a long log is never read
        // whole.
        const catchUp = options.catchUp ?? subscriber;
        const pager = catchUpPager(messageBytes);
        let from = afterSeq;
        if (options.checkpoint && afterSeq < before) {
          const checkpoint = await latestCheckpoint(afterSeq);
          if (joining.get(subscriber) !== join) return null;
          // Only one the subscriber lacks, of entries published: the live ones come after it.
          if (checkpoint && checkpoint.seq > afterSeq && checkpoint.seq <= before) {
            catchUp.deliver(checkpoint.message);
            from = checkpoint.seq;
            join.afterSeq = from;
          }
        }
        // A subscriber that has every published entry is live at once, without a read.
        if (from < before) {
          for await (const page of logPages(read, from, readEntries)) {
            if (joining.get(subscriber) !== join) return null;
            // Only that: what is durable but not yet published comes when it is (a completion
            // read before its decisions are made comes with them).
            for (const message of pager.add(page.filter((e) => e.seq <= before))) {
              catchUp.deliver(message);
            }
            // Handed over now, it resumes after what it was sent (the open message is not).
            join.afterSeq = pager.sentThrough ?? from;
            if ((page.at(-1)?.seq ?? before) >= before) break;
          }
        }
        for (const message of pager.end()) catchUp.deliver(message);
        let last = pager.sentThrough ?? Math.max(from, before);
        for (const published of join.held) {
          const unseen = published.filter((entry) => entry.seq > last);
          const newest = unseen.at(-1);
          if (newest === undefined) continue;
          subscriber.deliver(liveEntriesMessage(unseen));
          last = newest.seq;
        }
        options.subscribed?.(last);
        live.set(subscriber, { last });
        return last;
      } finally {
        if (joining.get(subscriber) === join) joining.delete(subscriber);
      }
    },
    unsubscribe(subscriber: Subscriber) {
      live.delete(subscriber);
      joining.delete(subscriber);
    },
    /** Every subscriber, live or joining. */
    get size() {
      return live.size + joining.size;
    },
    /** Sends a message to every live subscriber (an error about the conversation). */
    tell(message: string) {
      for (const subscriber of live.keys()) subscriber.deliver(message);
    },
    /**
     * Empties this fan-out into a list another can take: a live subscriber resumes after the
     * last entry it was sent, a joining one after what its catch-up has sent so far.
     */
    handOver(): HandOver[] {
      const moved: HandOver[] = [
        ...[...live].map(([subscriber, { last }]) => ({ subscriber, afterSeq: last, options: {} })),
        ...[...joining].map(([subscriber, { afterSeq, options }]) => ({
          subscriber,
          afterSeq,
          options,
        })),
      ];
      live.clear();
      joining.clear();
      return moved;
    },
    clear() {
      live.clear();
      joining.clear();
    },
  };
}

export type FanOut = ReturnType<typeof createFanOut>;
