import type { ConversationContext, ConversationEvent } from '@tollgate/machines';
import { createContext } from 'react';
import type { Subscribable } from 'xstate';

/**
 * The conversation's context as the mirror has it this instant, not once per frame, and the
 * event that made it: what the streaming text's live tail reads (see use-live-tail.ts). Null
 * outside a conversation view. A `ConversationMirror` is one.
 */
export interface LiveContextSource {
  actor: Subscribable<unknown> & { getSnapshot(): { context: ConversationContext } };
  lastEvent(): ConversationEvent | null;
}

export const LiveContext = createContext<LiveContextSource | null>(null);

/** The text of block `index` of assistant turn `turn`, or '' if there is none (yet). */
export function liveBlockText(context: ConversationContext, turn: number, index: number): string {
  for (let at = context.items.length - 1; at >= 0; at--) {
    const item = context.items[at];
    if (item?.kind !== 'assistant' || item.turn !== turn) continue;
    const block = item.blocks.find((b) => b.index === index);
    return block?.type === 'text' ? block.text : '';
  }
  return '';
}
