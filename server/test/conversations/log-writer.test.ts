import type { ConversationEvent, LogEntry } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { createLogWriter, GROUP_WAIT_MS } from '../../src/conversations/log-writer.ts';
import { tempStorePerTest } from '../store/support/temp-store.ts';

const t = tempStorePerTest((store) => {
  store.conversations.create({ id: 'c1', createdAt: 0 });
  store.conversations.create({ id: 'c2', createdAt: 0 });
});
const settled = () => new Promise((resolve) => setImmediate(resolve));
const delta = (text: string): ConversationEvent => ({
  type: 'assistant.text_delta',
  turn: 1,
  index: 0,
  text,
});

describe('group commit', () => {
  it('writes the facts of one turn in one commit, then hands back each entry on its own, in order', async () => {
    const writer = createLogWriter(t.store.log, () => undefined);
    const received: string[] = [];
    const commits: number[] = [];
    t.store.log.onAppended((entries) => commits.push(entries.length));
    const durable = (entry: LogEntry) =>
      received.push(
        `${entry.conversationId}:${entry.seq}:${(entry.event as { text: string }).text}`,
      );
    const seqs = { c1: 0, c2: 0 };
    for (const [id, text] of [
      ['c1', 'a'],
      ['c2', 'x'],
      ['c1', 'b'],
      ['c1', 'c'],
    ] as const) {
      seqs[id] += 1;
      writer.append(
        { conversationId: id, seq: seqs[id], event: delta(text), at: 1_000 },
        durable,
        () => undefined,
      );
    }
    expect(received).toEqual([]);
    await settled();
    expect(commits).toEqual([4]);
    expect(received).toEqual(['c1:1:a', 'c2:1:x', 'c1:2:b', 'c1:3:c']);
    expect(t.store.log.read('c1').map((entry) => entry.seq)).toEqual([1, 2, 3]);
  });

  it('writes and hands back what it has when a turn of the event loop runs long', () => {
    const writer = createLogWriter(t.store.log, () => undefined);
    const sent: number[] = [];
    const commits: number[] = [];
    t.store.log.onAppended((entries) => commits.push(entries.length));
    // One long turn: facts stamped 0, 1, 2 … ms apart, as a busy read would handle them.
    let seq = 0;
    for (let at = 0; at <= GROUP_WAIT_MS * 2 + 1; at += 1) {
      seq += 1;
      writer.append(
        { conversationId: 'c1', seq, event: delta(String(at)), at },
        (entry) => sent.push(entry.seq),
        () => undefined,
      );
    }
    // Without waiting for the end of the turn, the older facts are already out, in order.
    expect(commits.length).toBeGreaterThanOrEqual(2);
    expect(commits[0]).toBe(GROUP_WAIT_MS + 1);
    expect(sent).toEqual(Array.from({ length: sent.length }, (_, i) => i + 1));
  });

  it('hands back nothing of a commit that failed, and tells each conversation once', async () => {
    const failures: string[] = [];
    const writer = createLogWriter(t.store.log, () => failures.push('writer'));
    const sent: number[] = [];
    // c2's entry claims a seq that is not next: the whole commit is refused.
    writer.append(
      { conversationId: 'c1', seq: 1, event: delta('a'), at: 1 },
      (entry) => sent.push(entry.seq),
      () => failures.push('c1'),
    );
    writer.append(
      { conversationId: 'c2', seq: 5, event: delta('x'), at: 1 },
      (entry) => sent.push(entry.seq),
      () => failures.push('c2'),
    );
    await settled();
    expect(sent).toEqual([]);
    expect(failures).toEqual(['c1', 'c2', 'writer']);
    expect(t.store.log.lastSeq('c1')).toBe(0);
  });
});
