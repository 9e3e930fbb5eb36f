import type { ConversationEvent, LogEntry } from '@tollgate/machines';
import type { ConversationLog } from '../../../src/store/conversation-log.ts';

/** Appends one event with the seq after the conversation's last, as its only writer would. */
export function appendNext(
  log: ConversationLog,
  conversationId: string,
  event: ConversationEvent,
  at: number,
): LogEntry {
  return log.append({ conversationId, seq: log.lastSeq(conversationId) + 1, event, at });
}

/** Appends events to one conversation in one batch, with the seqs after its last. */
export function appendEvents(
  log: ConversationLog,
  conversationId: string,
  events: readonly ConversationEvent[],
  at: number,
): LogEntry[] {
  const last = log.lastSeq(conversationId);
  return log.appendBatch(
    events.map((event, i) => ({ conversationId, seq: last + 1 + i, event, at })),
  );
}
