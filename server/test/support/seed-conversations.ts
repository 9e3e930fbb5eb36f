import { join } from 'node:path';
import type { ConversationEvent } from '@tollgate/machines';
import * as ev from '../../../machines/src/test-support/event-builders.ts';
import { openSqliteStore } from '../../src/store/sqlite-store.ts';

/**
 * Writes conversations into the SQLite store of `dataDir`, before a server opens it, in the order
 * given: each with its log of `events` (seqs 1, 2, …; none for an empty one).
 */
export async function seedConversations(
  dataDir: string,
  conversations: { id: string; createdAt: number; events?: ConversationEvent[] }[],
): Promise<void> {
  const store = openSqliteStore(join(dataDir, 'tollgate.sqlite'));
  try {
    for (const { id, createdAt, events = [] } of conversations) {
      await store.conversations.create({ id, createdAt });
      if (events.length === 0) continue;
      await store.log.appendBatch(
        events.map((event, i) => ({ conversationId: id, seq: i + 1, event, at: Date.now() })),
      );
    }
  } finally {
    await store.close();
  }
}

/** The log entries of one of `writeTurns`' turns: question, started, 41 deltas, completed. */
export const TURN_ENTRIES = 44;

/**
 * Conversation `id` of `turns` question-and-answer turns: each answer a paragraph of forty
 * deltas, long enough that a few turns fill the view.
 */
export function writeTurns(dataDir: string, id: string, turns: number): Promise<void> {
  const events: ConversationEvent[] = [];
  for (let turn = 1; turn <= turns; turn++) {
    events.push(ev.userMessage(`Question ${turn}`), ev.started(turn));
    events.push(ev.textDelta(turn, `Answer ${turn}:`));
    for (let i = 0; i < 40; i++) events.push(ev.textDelta(turn, ` word${i}`));
    events.push(ev.completed(turn));
  }
  return seedConversations(dataDir, [{ id, createdAt: Date.now(), events }]);
}
