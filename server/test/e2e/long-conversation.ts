import { join } from 'node:path';
import * as ev from '../../../machines/src/test-support/event-builders.ts';
import { openSqliteStore } from '../../src/store/sqlite-store.ts';

/**
 * Writes conversation `id` of `turns` question-and-answer turns into the SQLite store of
 * `dataDir`, before a server opens it: each answer a paragraph of forty deltas, long enough that a
 * few turns fill the view.
 */
export async function writeTurns(dataDir: string, id: string, turns: number): Promise<void> {
  const store = openSqliteStore(join(dataDir, 'tollgate.sqlite'));
  try {
    await store.conversations.create({ id, createdAt: Date.now() });
    const events = [];
    for (let turn = 1; turn <= turns; turn++) {
      events.push(ev.userMessage(`Question ${turn}`), ev.started(turn));
      events.push(ev.textDelta(turn, `Answer ${turn}:`));
      for (let i = 0; i < 40; i++) events.push(ev.textDelta(turn, ` word${i}`));
      events.push(ev.completed(turn));
    }
    await store.log.appendBatch(
      events.map((event, i) => ({ conversationId: id, seq: i + 1, event, at: Date.now() })),
    );
  } finally {
    await store.close();
  }
}
