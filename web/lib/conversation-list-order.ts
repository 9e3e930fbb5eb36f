import type { ConversationSummary } from '@tollgate/machines';

/** The server's order of the list: newest activity first, then newest creation, then id. */
function byActivity(a: ConversationSummary, b: ConversationSummary): number {
  return (
    b.updatedAt - a.updatedAt ||
    b.createdAt - a.createdAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** The list with `conversations` added or replaced (by id), in the server's order. */
export function withConversations(
  list: readonly ConversationSummary[],
  conversations: readonly ConversationSummary[],
): ConversationSummary[] {
  const replaced = new Set(conversations.map((c) => c.id));
  return [...list.filter((c) => !replaced.has(c.id)), ...conversations].sort(byActivity);
}
