import type { ConversationEvent, LogEntry } from '@tollgate/machines';
import type { ConversationLog } from '../../../src/store/conversation-log.ts';

/** Appends one event with the seq after the conversation's last, as its only writer would. */
export async function appendNext(
  log: ConversationLog,
  conversationId: string,
  event: ConversationEvent,
  at: number,
): Promise<LogEntry> {
  return log.append({ conversationId, seq: (await log.lastSeq(conversationId)) + 1, event, at });
}

/** Appends events to one conversation in one batch, with the seqs after its last. */
export async function appendEvents(
  log: ConversationLog,
  conversationId: string,
  events: readonly ConversationEvent[],
  at: number,
): Promise<LogEntry[]> {
  const last = await log.lastSeq(conversationId);
  return log.appendBatch(
    events.map((event, i) => ({ conversationId, seq: last + 1 + i, event, at })),
  );
}
