import type { ConversationEvent, LogEntry } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { createLogWriter, GROUP_WAIT_MS } from '../../src/conversations/log-writer.ts';
import { tempStorePerTest } from '../store/support/temp-store.ts';

const t = tempStorePerTest((store) => {
  store.createConversation({ id: 'c1', createdAt: 0 });
  store.createConversation({ id: 'c2', createdAt: 0 });
});
const settled = () => new Promise((resolve) => setImmediate(resolve));
const delta = (text: string): ConversationEvent => ({
  type: 'assistant.text_delta',
  turn: 1,
  index: 0,
  text,
});

describe('group commit', () => {
  it('hands each conversation its facts of one turn at once, in order, once they are on disk', async () => {
    const writer = createLogWriter(t.store, () => undefined);
    const received: { conversation: string; texts: string[] }[] = [];
    const durableFor = (conversation: string) => (entries: LogEntry[]) =>
      received.push({
        conversation,
        texts: entries.map((entry) => (entry.event as { text: string }).text),
      });
    const toC1 = durableFor('c1');
    const toC2 = durableFor('c2');
    for (const [id, text, durable] of [
      ['c1', 'a', toC1],
      ['c2', 'x', toC2],
      ['c1', 'b', toC1],
      ['c1', 'c', toC1],
    ] as const) {
      writer.append(id, delta(text), 1_000, durable, () => undefined);
    }
    expect(received).toEqual([]);
    await settled();
    expect(received).toEqual([
      { conversation: 'c1', texts: ['a', 'b', 'c'] },
      { conversation: 'c2', texts: ['x'] },
    ]);
    expect(t.store.read('c1').map((entry) => entry.seq)).toEqual([1, 2, 3]);
  });

  it('writes and sends what it has when a turn of the event loop runs long', () => {
    const writer = createLogWriter(t.store, () => undefined);
    const sent: number[][] = [];
    const durable = (entries: LogEntry[]) => sent.push(entries.map((entry) => entry.seq));
    // One long turn: facts stamped 0, 1, 2 … ms apart, as a busy read would handle them.
    for (let at = 0; at <= GROUP_WAIT_MS * 2 + 1; at += 1) {
      writer.append('c1', delta(String(at)), at, durable, () => undefined);
    }
    // Without waiting for the end of the turn, the older facts are already out, in order.
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent.flat()).toEqual(Array.from({ length: sent.flat().length }, (_, i) => i + 1));
    expect(sent[0]).toHaveLength(GROUP_WAIT_MS + 1);
  });
});
