import type { ConversationSummary, ServerMessage } from '@tollgate/machines';
import type { ConversationIndex, Owner } from '../store/conversation-index.ts';

/**
 * How long changes to the conversation list are gathered before they go out: far below what a
 * person notices in a sidebar, and long enough to gather every conversation a burst touches.
 */
export const LIST_UPDATE_MS = 25;

/**
 * Changes to the conversation list (a creation, a first message's title, a new place in the
 * order), gathered for LIST_UPDATE_MS and pushed to every connection of the conversations' owner
 * as one `conversations_updated` message: nobody hears of another person's conversations. Pushed
 * one by one, 200 conversations starting a turn at once with 200 connections open cost 40,000
 * frames in a few hundred milliseconds (server/bench/server-forwarding.bench.ts); gathered, one
 * per connection for each 25 ms the burst lasts.
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

  async function flush() {
    timer = null;
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
      timer ??= setTimeout(() => {
        flush().catch(onError);
      }, LIST_UPDATE_MS);
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      changed.clear();
    },
  };
}
