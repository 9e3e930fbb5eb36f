import type { ConversationSummary, ServerMessage } from '@tollgate/machines';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Owner } from '../store/conversation-index.ts';
import { createListUpdates, LIST_UPDATE_MS } from './list-updates.ts';

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
  let updates: ReturnType<typeof createListUpdates>;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    stored.clear();
    updates = createListUpdates(
      {
        get: (id) => stored.get(id)?.summary ?? null,
        ownerOf: (id) => stored.get(id)?.owner,
      },
      (owner, message) => sent.push([owner, message]),
    );
  });
  afterEach(() => {
    updates.close();
    vi.useRealTimers();
  });

  it('sends the changes of a burst together, each conversation once, as it is when sent', () => {
    store('c_a', null);
    store('c_b', null);
    updates.changed(['c_a']);
    updates.changed(['c_b', 'c_a']);
    store('c_a', 'Titled meanwhile');
    vi.advanceTimersByTime(LIST_UPDATE_MS - 1);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([
      [
        null,
        {
          type: 'conversations_updated',
          conversations: [summary('c_a', 'Titled meanwhile'), summary('c_b', null)],
        },
      ],
    ]);
    // The next change starts a new gathering.
    updates.changed(['c_b']);
    vi.advanceTimersByTime(LIST_UPDATE_MS);
    expect(sent).toHaveLength(2);
  });

  it('sends each owner only their own conversations, one message per owner', () => {
    store('c_mine', 'Mine');
    store('c_alice1', 'Alice 1', 'alice');
    store('c_bob', 'Bob', 'bob');
    store('c_alice2', 'Alice 2', 'alice');
    updates.changed(['c_alice1', 'c_mine', 'c_bob', 'c_alice2']);
    vi.advanceTimersByTime(LIST_UPDATE_MS);
    const ids = (message: ServerMessage) =>
      message.type === 'conversations_updated' ? message.conversations.map((c) => c.id) : [];
    expect(sent.map(([owner, message]) => [owner, ids(message)])).toEqual([
      ['alice', ['c_alice1', 'c_alice2']],
      [null, ['c_mine']],
      ['bob', ['c_bob']],
    ]);
  });

  it('skips a conversation that is gone, and sends nothing when none is left', () => {
    updates.changed(['c_gone']);
    vi.advanceTimersByTime(LIST_UPDATE_MS);
    expect(sent).toEqual([]);
  });

  it('sends nothing after close, and takes no change after it', () => {
    store('c_a', null);
    updates.changed(['c_a']);
    updates.close();
    updates.changed(['c_a']);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(LIST_UPDATE_MS);
    expect(sent).toEqual([]);
  });
});
