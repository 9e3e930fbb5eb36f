import type { ConversationEvent, LogEntry } from '@tollgate/machines';
import { describe, expect, it, vi } from 'vitest';
import { createLogWriter, GROUP_WAIT_MS } from '../../src/conversations/log-writer.ts';
import { tempStorePerTest } from '../store/support/temp-store.ts';

const t = tempStorePerTest(async (store) => {
  await store.conversations.create({ id: 'c1', createdAt: 0 });
  await store.conversations.create({ id: 'c2', createdAt: 0 });
});
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
    expect(commits).toEqual([]);
    expect(received).toEqual([]);
    // Nothing but the end of the turn starts the commit.
    await vi.waitFor(() => expect(received).toHaveLength(4));
    expect(commits).toEqual([4]);
    expect(received).toEqual(['c1:1:a', 'c2:1:x', 'c1:2:b', 'c1:3:c']);
    expect((await t.store.log.read('c1')).map((entry) => entry.seq)).toEqual([1, 2, 3]);
  });

  it('writes and hands back what it has when a turn of the event loop runs long', async () => {
    const writer = createLogWriter(t.store.log, () => undefined);
    const sent: number[] = [];
    const commits: number[] = [];
    t.store.log.onAppended((entries) => commits.push(entries.length));
    // The end of this turn (the writer's own end-of-turn commit is scheduled after it).
    let turnEnded = false;
    setImmediate(() => {
      turnEnded = true;
    });
    const handedBackInTurn: number[] = [];
    // One long turn: facts stamped 0, 1, 2 … ms apart, as a busy read would handle them.
    let seq = 0;
    for (let at = 0; at <= GROUP_WAIT_MS * 2 + 1; at += 1) {
      seq += 1;
      writer.append(
        { conversationId: 'c1', seq, event: delta(String(at)), at },
        (entry) => {
          sent.push(entry.seq);
          if (!turnEnded) handedBackInTurn.push(entry.seq);
        },
        () => undefined,
      );
    }
    // Without waiting for the end of the turn, the older facts are already being written.
    expect(commits).toEqual([GROUP_WAIT_MS + 1]);
    await writer.flush();
    // ... and were handed back before the turn ended, in order; the rest followed, in order.
    expect(handedBackInTurn.slice(0, GROUP_WAIT_MS + 1)).toEqual(
      Array.from({ length: GROUP_WAIT_MS + 1 }, (_, i) => i + 1),
    );
    expect(commits.length).toBeGreaterThanOrEqual(2);
    expect(commits.reduce((sum, n) => sum + n, 0)).toBe(seq);
    expect(sent).toEqual(Array.from({ length: seq }, (_, i) => i + 1));
  });

  it('hands back nothing of a commit that failed, and tells each conversation once', async () => {
    const failures: string[] = [];
    const writer = createLogWriter(t.store.log, () => failures.push('writer'));
    const sent: number[] = [];
    // The disk is full: the whole commit is refused, whoever's entries it holds.
    t.store.log.appendBatch = async () => {
      throw new Error('SQLITE_FULL: database or disk is full');
    };
    writer.append(
      { conversationId: 'c1', seq: 1, event: delta('a'), at: 1 },
      (entry) => sent.push(entry.seq),
      () => failures.push('c1'),
    );
    writer.append(
      { conversationId: 'c2', seq: 1, event: delta('x'), at: 1 },
      (entry) => sent.push(entry.seq),
      () => failures.push('c2'),
    );
    await writer.flush();
    expect(sent).toEqual([]);
    expect(failures).toEqual(['c1', 'c2', 'writer']);
    expect(await t.store.log.lastSeq('c1')).toBe(0);
  });

  it('commits one at a time, and a flush waits for what was queued before it, not after', async () => {
    const store = t.store;
    const appendBatch = store.log.appendBatch.bind(store.log);
    // Each commit is held until the test lets it through.
    const held: Array<() => void> = [];
    let inFlight = 0;
    let mostInFlight = 0;
    store.log.appendBatch = async (items) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        await new Promise<void>((resolve) => held.push(resolve));
        return await appendBatch(items);
      } finally {
        inFlight -= 1;
      }
    };
    const writer = createLogWriter(store.log, () => undefined);
    const durable: number[] = [];
    const append = (seq: number, at = 1) =>
      writer.append(
        { conversationId: 'c1', seq, event: delta(String(seq)), at },
        (entry) => durable.push(entry.seq),
        () => undefined,
      );
    const flushed = () => {
      const state = { done: false, promise: Promise.resolve() };
      state.promise = writer.flush().then(() => {
        state.done = true;
      });
      return state;
    };

    append(1);
    const first = flushed();
    // The first commit is under way: what comes now waits for it, however old it gets.
    expect(held).toHaveLength(1);
    append(2);
    append(3, 1 + GROUP_WAIT_MS * 3);
    const second = flushed();
    expect(held).toHaveLength(1);

    held[0]!();
    await first.promise;
    // The first flush asked for entry 1 only; the second commit has begun but is held.
    expect(durable).toEqual([1]);
    expect(second.done).toBe(false);
    await vi.waitFor(() => expect(held).toHaveLength(2));
    append(4);
    held[1]!();
    await second.promise;
    expect(durable).toEqual([1, 2, 3]);
    const third = flushed();
    await vi.waitFor(() => expect(held).toHaveLength(3));
    held[2]!();
    await third.promise;
    expect(durable).toEqual([1, 2, 3, 4]);
    expect(mostInFlight).toBe(1);
    expect((await store.log.read('c1')).map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
  });

  it('stops only the conversation whose seq another writer took, and writes the others', async () => {
    const errors: unknown[] = [];
    const writer = createLogWriter(t.store.log, (error) => errors.push(error));
    // Another writer (a stale owner's successor) took c1's seq 1.
    await t.store.log.append({ conversationId: 'c1', seq: 1, event: delta('theirs'), at: 1 });
    const durable: string[] = [];
    const lost: string[] = [];
    for (const [id, text] of [
      ['c1', 'mine'],
      ['c2', 'x'],
    ] as const) {
      writer.append(
        { conversationId: id, seq: 1, event: delta(text), at: 1_000 },
        (entry) => durable.push(`${entry.conversationId}:${entry.seq}`),
        () => lost.push(id),
      );
    }
    await writer.flush();
    expect(lost).toEqual(['c1']);
    expect(durable).toEqual(['c2:1']);
    expect(errors).toHaveLength(1);
    expect((await t.store.log.read('c1')).map((entry) => entry.event)).toEqual([delta('theirs')]);
    expect((await t.store.log.read('c2')).map((entry) => entry.event)).toEqual([delta('x')]);
  });
});
