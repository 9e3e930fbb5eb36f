import type { ConversationSummary } from '@tollgate/machines';

/** The conversation list's order: most recent activity first, then newest, then by id. */
export function byRecentActivity(a: ConversationSummary, b: ConversationSummary): number {
  return (
    b.updatedAt - a.updatedAt ||
    b.createdAt - a.createdAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
