import type { ConversationSummary, ServerMessage } from '@tollgate/machines';
import type { ConversationIndex, Owner } from '../store/conversation-index.ts';

/**
 * How long changes to the conversation list are gathered before they go out: far below what a
 * person notices in a sidebar, and long enough to gather the conversations a burst touches.
 */
export const LIST_UPDATE_MS = 25;

/**
 * The least time from one update to the next. A change that comes while the list is quiet still
 * goes out LIST_UPDATE_MS after it; while changes keep coming, they go out together once this
 * much has passed since the last update, so a burst longer than LIST_UPDATE_MS costs each
 * connection one message per LIST_UPDATE_SPACING_MS, not one per LIST_UPDATE_MS.
 */
export const LIST_UPDATE_SPACING_MS = 100;

/**
 * Changes to the conversation list (a creation, a first message's title, a new place in the
 * order), gathered and pushed to every connection of the conversations' owner as one
 * `conversations_updated` message: nobody hears of another person's conversations. Every
 * connection of a server without sign-in has the same owner, so a burst of turn starts would
 * otherwise send each connection a message per conversation, and the starts would wait behind
 * those writes; gathered and spaced, each connection gets a few (docs/performance.md).
 */
export function createListUpdates(
  conversations: Pick<ConversationIndex, 'get' | 'ownerOf'>,
  broadcastTo: (owner: Owner, message: ServerMessage) => void,
  /** Where a failed read of the list goes (the store unreachable): the update is skipped. */
  onError: (error: unknown) => void,
) {
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let lastUpdateAt = Number.NEGATIVE_INFINITY;

  async function flush() {
    timer = null;
    lastUpdateAt = Date.now();
    const ids = [...changed];
    changed.clear();
    const byOwner = new Map<Owner, ConversationSummary[]>();
    for (const id of ids) {
      const [conversation, owner] = await Promise.all([
        conversations.get(id),
        conversations.ownerOf(id),
      ]);
      if (closed) return;
      if (!conversation || owner === undefined) continue;
      const list = byOwner.get(owner);
      if (list) list.push(conversation);
      else byOwner.set(owner, [conversation]);
    }
    for (const [owner, list] of byOwner) {
      broadcastTo(owner, { type: 'conversations_updated', conversations: list });
    }
  }

  return {
    changed(conversationIds: Iterable<string>) {
      // A change announced while the server closes would otherwise read a closed store later.
      if (closed) return;
      for (const id of conversationIds) changed.add(id);
      if (timer) return;
      const wait = Math.max(LIST_UPDATE_MS, lastUpdateAt + LIST_UPDATE_SPACING_MS - Date.now());
      timer = setTimeout(() => {
        flush().catch(onError);
      }, wait);
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      changed.clear();
    },
  };
}
