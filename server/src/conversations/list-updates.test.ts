import type { ConversationSummary, ServerMessage } from '@tollgate/machines';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createListUpdates, LIST_UPDATE_MS } from './list-updates.ts';

const summary = (id: string, title: string | null): ConversationSummary => ({
  id,
  title,
  createdAt: 1,
  updatedAt: 2,
  lastSeq: 3,
});

describe('conversation list updates', () => {
  const stored = new Map<string, ConversationSummary>();
  let sent: ServerMessage[];
  let updates: ReturnType<typeof createListUpdates>;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    stored.clear();
    updates = createListUpdates(
      (id) => stored.get(id) ?? null,
      (message) => sent.push(message),
    );
  });
  afterEach(() => {
    updates.close();
    vi.useRealTimers();
  });

  it('sends the changes of a burst together, each conversation once, as it is when sent', () => {
    stored.set('c_a', summary('c_a', null));
    stored.set('c_b', summary('c_b', null));
    updates.changed(['c_a']);
    updates.changed(['c_b', 'c_a']);
    stored.set('c_a', summary('c_a', 'Titled meanwhile'));
    vi.advanceTimersByTime(LIST_UPDATE_MS - 1);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([
      {
        type: 'conversations_updated',
        conversations: [summary('c_a', 'Titled meanwhile'), summary('c_b', null)],
      },
    ]);
    // The next change starts a new gathering.
    updates.changed(['c_b']);
    vi.advanceTimersByTime(LIST_UPDATE_MS);
    expect(sent).toHaveLength(2);
  });

  it('skips a conversation that is gone, and sends nothing when none is left', () => {
    updates.changed(['c_gone']);
    vi.advanceTimersByTime(LIST_UPDATE_MS);
    expect(sent).toEqual([]);
  });

  it('sends nothing after close, and takes no change after it', () => {
    stored.set('c_a', summary('c_a', null));
    updates.changed(['c_a']);
    updates.close();
    updates.changed(['c_a']);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(LIST_UPDATE_MS);
    expect(sent).toEqual([]);
  });
});
