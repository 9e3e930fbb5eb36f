import type { ConversationSummary } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { withConversations } from './conversation-list-order.ts';

const summary = (
  id: string,
  updatedAt: number,
  title: string | null = null,
): ConversationSummary => ({
  id,
  title,
  createdAt: 1_000,
  updatedAt,
  lastSeq: 0,
});

describe('withConversations', () => {
  it('adds a new conversation in activity order', () => {
    const list = [summary('b', 3_000), summary('a', 2_000)];
    expect(withConversations(list, [summary('c', 2_500)]).map((c) => c.id)).toEqual([
      'b',
      'c',
      'a',
    ]);
  });

  it('replaces a known one by id and moves it to its new place', () => {
    const list = [summary('b', 3_000), summary('a', 2_000)];
    const updated = withConversations(list, [summary('a', 4_000, 'Plan the trip')]);
    expect(updated).toEqual([summary('a', 4_000, 'Plan the trip'), summary('b', 3_000)]);
    expect(list.map((c) => c.id)).toEqual(['b', 'a']); // the old list is left as it was
  });
});
