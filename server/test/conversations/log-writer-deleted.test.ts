import type { ConversationEvent, LogEntry } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { createLogWriter } from '../../src/conversations/log-writer.ts';
import { createMemoryStore } from '../store/support/memory-store.ts';

const delta = (text: string): ConversationEvent => ({
  type: 'assistant.text_delta',
  turn: 1,
  index: 0,
  text,
});

describe('group commit, when a conversation is deleted under it', () => {
  it('stops that conversation only: the others’ facts of the same commit are written', async () => {
    const store = createMemoryStore();
    await store.conversations.create({ id: 'gone', createdAt: 0 });
    await store.conversations.create({ id: 'kept', createdAt: 0 });
    const errors: unknown[] = [];
    const writer = createLogWriter(store.log, (error) => errors.push(error));
    const durable: string[] = [];
    const lost: string[] = [];
    const append = (conversationId: string, seq: number, text: string) =>
      writer.append(
        { conversationId, seq, event: delta(text), at: 1_000 },
        (entry: LogEntry) => durable.push(`${entry.conversationId}:${entry.seq}`),
        () => lost.push(conversationId),
      );
    append('kept', 1, 'a');
    append('gone', 1, 'x');
    append('kept', 2, 'b');
    // Deleted (another instance, say) before the commit runs.
    await store.conversations.delete('gone');
    await writer.flush();
    expect(lost).toEqual(['gone']);
    expect(durable).toEqual(['kept:1', 'kept:2']);
    expect(errors).toHaveLength(1);
    expect((await store.log.read('kept')).map((entry) => entry.seq)).toEqual([1, 2]);
    await store.close();
  });
});
