import type { LogEntry } from '@tollgate/machines';
import type { Logger } from '../logger.ts';
import type { CheckpointStore } from '../store/checkpoint-store.ts';
import { checkpointMessages } from './checkpoint-messages.ts';
import { publications } from './entries-messages.ts';
import { createFanOut } from './fan-out.ts';

export interface ConversationFollowerDeps {
  conversationId: string;
  /** Reads the conversation's log after a seq, a page of `limit` or more (the store's `log.read`). */
  read: (afterSeq: number, limit?: number) => Promise<LogEntry[]>;
  /** Where the conversation's log ends now. */
  lastSeq: number;
  /** The owner's checkpoints, for a tab that takes one (`SubscribeOptions.checkpoint`). */
  checkpoints: Pick<CheckpointStore, 'latest'>;
  logger: Logger;
}

/**
 * A conversation another instance owns, as this one shows it to its tabs: the owner appends, and
 * each time it announces a new end of the log (`Cluster.onLogChanged`) the follower reads what it
 * has not published yet, from its last published seq, and publishes it, an entry per message (but
 * a completion and the server's decisions on its calls, when one read finds them together), in
 * seq order. One read at a time; announcements that arrive during a read are folded into the next
 * one, and since every read starts from the last published seq, a missed announcement is made
 * good by the next.
 */
/** The wait before a failed read of the log is tried again. */
const RETRY_READ_MS = 1_000;

export function openConversationFollower(deps: ConversationFollowerDeps) {
  const { conversationId, logger } = deps;
  let publishedSeq = deps.lastSeq;
  let reading = false;
  // Something was announced during a read: read again once it ends.
  let again = false;
  let closed = false;
  const fanOut = createFanOut(deps.read, () => publishedSeq, {
    latestCheckpoint: checkpointMessages(deps.checkpoints, conversationId, logger),
  });

  async function pump() {
    if (closed) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        const entries = await deps.read(publishedSeq);
        if (closed) return;
        for (const publication of publications(entries)) {
          publishedSeq = publication.at(-1)?.seq ?? publishedSeq;
          fanOut.publish(publication);
        }
      } while (again && !closed);
    } catch (error) {
      // A read that failed (a pooled connection dropped) is tried again shortly: no later
      // announcement may come to prompt it. A lost store drops the follower instead.
      logger.warn({ err: error, conversationId }, 'reading the log of a followed conversation');
      if (!closed) setTimeout(() => void pump(), RETRY_READ_MS).unref();
    } finally {
      reading = false;
    }
  }

  return {
    conversationId,
    /** The owner says the log now reaches `seq`. */
    announced(seq: number) {
      if (seq > publishedSeq) void pump();
    },
    /**
     * Joins a tab. A catch-up holds only what this follower has published, so it first reads
     * what the log has beyond that: an announcement it missed does not keep the tab behind.
     */
    subscribe(...args: Parameters<typeof fanOut.subscribe>) {
      void pump();
      return fanOut.subscribe(...args);
    },
    unsubscribe: fanOut.unsubscribe,
    get watched() {
      return fanOut.size > 0;
    },
    /** Stops following; returns the subscribers, for the runtime that takes the conversation. */
    close() {
      closed = true;
      return fanOut.handOver();
    },
  };
}

export type ConversationFollower = ReturnType<typeof openConversationFollower>;
