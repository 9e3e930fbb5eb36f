import type { ConversationSummary } from '@tollgate/machines';

/** The server's order of the list: newest activity first, then newest creation, then id. */
function byActivity(a: ConversationSummary, b: ConversationSummary): number {
  return (
    b.updatedAt - a.updatedAt ||
    b.createdAt - a.createdAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** The list with `conversation` added or replaced (by id), in the server's order. */
export function withConversation(
  list: readonly ConversationSummary[],
  conversation: ConversationSummary,
): ConversationSummary[] {
  return [...list.filter((c) => c.id !== conversation.id), conversation].sort(byActivity);
}
