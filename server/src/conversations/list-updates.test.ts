import type { ConversationSummary, ServerMessage } from '@tollgate/machines';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { Owner } from '../store/conversation-index.ts';
import { createListUpdates, LIST_UPDATE_MS, LIST_UPDATE_SPACING_MS } from './list-updates.ts';

const summary = (id: string, title: string | null): ConversationSummary => ({
  id,
  title,
  createdAt: 1,
  updatedAt: 2,
  lastSeq: 3,
});

describe('conversation list updates', () => {
  const stored = new Map<string, { summary: ConversationSummary; owner: Owner }>();
  const store = (id: string, title: string | null, owner: Owner = null) =>
    stored.set(id, { summary: summary(id, title), owner });
  let sent: [Owner, ServerMessage][];
  let errors: unknown[];
  /** Set to make the next reads of the list fail, as an unreachable store's do. */
  let unreachable: Error | null;
  let updates: ReturnType<typeof createListUpdates>;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    errors = [];
    unreachable = null;
    stored.clear();
    updates = createListUpdates(
      {
        get: async (id) => {
          if (unreachable) throw unreachable;
          return stored.get(id)?.summary ?? null;
        },
        ownerOf: async (id) => {
          if (unreachable) throw unreachable;
          return stored.get(id)?.owner;
        },
      },
      (owner, message) => sent.push([owner, message]),
      (error) => errors.push(error),
    );
  });
  afterEach(() => {
    updates.close();
    vi.useRealTimers();
  });

  it('sends the changes of a burst together, each conversation once, as it is when sent', async () => {
    store('c_a', null);
    store('c_b', null);
    updates.changed(['c_a']);
    updates.changed(['c_b', 'c_a']);
    store('c_a', 'Titled meanwhile');
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_MS - 1);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([
      [
        null,
        {
          type: 'conversations_updated',
          conversations: [summary('c_a', 'Titled meanwhile'), summary('c_b', null)],
        },
      ],
    ]);
    // The next change starts a new gathering (spaced from the update before).
    updates.changed(['c_b']);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_SPACING_MS);
    expect(sent).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  const sentIds = () =>
    sent.map(([, message]) =>
      message.type === 'conversations_updated' ? message.conversations.map((c) => c.id) : [],
    );

  /** Updates over the same store, whose first read waits until `release()`. */
  const withFirstReadHeld = () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const reading = { get: 0 };
    const heldUpdates = createListUpdates(
      {
        get: async (id) => {
          const summary = stored.get(id)?.summary ?? null;
          reading.get += 1;
          if (reading.get === 1) await held;
          return summary;
        },
        ownerOf: async (id) => stored.get(id)?.owner,
      },
      (owner, message) => sent.push([owner, message]),
      (error) => errors.push(error),
    );
    onTestFinished(() => heldUpdates.close());
    return { updates: heldUpdates, release, reading };
  };

  it('spaces the updates of a long burst, and sends a change after a quiet spell as soon as before', async () => {
    store('c_a', 'A');
    store('c_b', 'B');
    store('c_c', 'C');
    updates.changed(['c_a']);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_MS);
    expect(sentIds()).toEqual([['c_a']]);
    // The burst goes on: the changes that come next, at whatever point of the spacing, go out
    // together once it has passed since that update.
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_MS * 2);
    updates.changed(['c_b']);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_MS / 2);
    updates.changed(['c_c', 'c_a']);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_SPACING_MS - LIST_UPDATE_MS * 2.5 - 1);
    expect(sentIds()).toEqual([['c_a']]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sentIds()).toEqual([['c_a'], ['c_b', 'c_c', 'c_a']]);
    // Quiet for the spacing: the next change goes out after the usual gathering only.
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_SPACING_MS);
    updates.changed(['c_b']);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_MS - 1);
    expect(sentIds()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sentIds()).toEqual([['c_a'], ['c_b', 'c_c', 'c_a'], ['c_b']]);
  });

  it('spaces the updates on the monotonic clock: the wall clock set back holds none', async () => {
    store('c_a', 'A');
    updates.changed(['c_a']);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_MS);
    vi.setSystemTime(Date.now() - 3_600_000);
    updates.changed(['c_a']);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_SPACING_MS);
    expect(sentIds()).toEqual([['c_a'], ['c_a']]);
  });

  it('reads one update at a time: a change during a slow read goes out after it, as it is then', async () => {
    store('c_a', 'Old');
    const { updates: slowUpdates, release } = withFirstReadHeld();
    slowUpdates.changed(['c_a']);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_MS);
    // The first update's read has the old title; the title changes while it waits.
    store('c_a', 'New');
    slowUpdates.changed(['c_a']);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_SPACING_MS * 2);
    expect(sent).toEqual([]);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([
      [null, { type: 'conversations_updated', conversations: [summary('c_a', 'Old')] }],
    ]);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_SPACING_MS);
    expect(sent.at(-1)).toEqual([
      null,
      { type: 'conversations_updated', conversations: [summary('c_a', 'New')] },
    ]);
    expect(sent).toHaveLength(2);
  });

  it('sends each owner only their own conversations, one message per owner', async () => {
    store('c_mine', 'Mine');
    store('c_alice1', 'Alice 1', 'alice');
    store('c_bob', 'Bob', 'bob');
    store('c_alice2', 'Alice 2', 'alice');
    updates.changed(['c_alice1', 'c_mine', 'c_bob', 'c_alice2']);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_MS);
    const ids = (message: ServerMessage) =>
      message.type === 'conversations_updated' ? message.conversations.map((c) => c.id) : [];
    expect(sent.map(([owner, message]) => [owner, ids(message)])).toEqual([
      ['alice', ['c_alice1', 'c_alice2']],
      [null, ['c_mine']],
      ['bob', ['c_bob']],
    ]);
  });

  it('skips a conversation that is gone, and sends nothing when none is left', async () => {
    updates.changed(['c_gone']);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_MS);
    expect(sent).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('sends nothing after close, and takes no change after it', async () => {
    store('c_a', null);
    updates.changed(['c_a']);
    updates.close();
    updates.changed(['c_a']);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_MS);
    expect(sent).toEqual([]);
  });

  it('sends nothing of a gathering that was being read when it closed', async () => {
    store('c_a', 'A');
    const { updates: closing, release, reading } = withFirstReadHeld();
    closing.changed(['c_a']);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_MS);
    expect(reading.get).toBe(1);
    // The server closes while the list is being read (its store closes next).
    closing.close();
    release();
    // One turn of the real event loop: the read's continuation has run.
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('reports a read that fails, skips that update, and sends the next one', async () => {
    store('c_a', 'A');
    unreachable = new Error('the store is unreachable');
    updates.changed(['c_a']);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_MS);
    expect(sent).toEqual([]);
    expect(errors).toEqual([unreachable]);

    unreachable = null;
    updates.changed(['c_a']);
    await vi.advanceTimersByTimeAsync(LIST_UPDATE_SPACING_MS);
    expect(sent).toEqual([
      [null, { type: 'conversations_updated', conversations: [summary('c_a', 'A')] }],
    ]);
    expect(errors).toHaveLength(1);
  });
});
