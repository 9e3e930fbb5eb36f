import type { ConversationSummary, ServerMessage } from '@tollgate/machines';
import type { ConversationIndex, Owner } from '../store/conversation-index.ts';

/**
 * How long changes to the conversation list are gathered before they go out: far below what a
 * person notices in a sidebar, and long enough to gather the conversations a burst touches.
 */
export const LIST_UPDATE_MS = 25;

/**
 * The least time from one update to the next: a change goes out LIST_UPDATE_MS after it, or
 * LIST_UPDATE_SPACING_MS after the update before it if that is later, with the changes that came
 * in between. So a burst longer than LIST_UPDATE_MS costs each connection one message per
 * LIST_UPDATE_SPACING_MS, not one per LIST_UPDATE_MS, and a change after a quiet spell still goes
 * out as soon as before.
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
  /** An update is being read or sent: the changes meanwhile wait for it to be done. */
  let flushing = false;
  let closed = false;
  // When the last update went out, on the monotonic clock: the wall clock set back would
  // otherwise hold the next update as long.
  let lastUpdateAt = Number.NEGATIVE_INFINITY;

  /** Sets the timer of the next update, unless one is set or being read, or nothing changed. */
  function schedule() {
    // Closed, nothing is left to change (`close` clears the changes and takes no more).
    if (timer || flushing || changed.size === 0) return;
    const wait = Math.max(
      LIST_UPDATE_MS,
      lastUpdateAt + LIST_UPDATE_SPACING_MS - performance.now(),
    );
    timer = setTimeout(() => {
      timer = null;
      flushing = true;
      flush()
        .catch(onError)
        .finally(() => {
          flushing = false;
          lastUpdateAt = performance.now();
          schedule();
        });
    }, wait);
  }

  /**
   * Reads the changed conversations and sends them. One at a time: an update read while the one
   * before is still being read could be sent first, and the older one would then overwrite it.
   */
  async function flush() {
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
      schedule();
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      changed.clear();
    },
  };
}
