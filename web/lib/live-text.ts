import type { ConversationContext, ConversationMirror } from '@tollgate/machines';
import { createContext } from 'react';

/**
 * The mirror, as the streaming text's live tail reads it (see use-live-tail.ts): its actor's
 * context this instant, not once per frame, and the event that made it. Null outside a
 * conversation view.
 */
export type LiveContextSource = Pick<ConversationMirror, 'actor' | 'lastEvent'>;

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

/** How long the text of tool call `toolUseId`'s run is (its chunks so far), or 0 if none. */
export function liveRunLength(context: ConversationContext, toolUseId: string): number {
  for (let at = context.items.length - 1; at >= 0; at--) {
    const item = context.items[at];
    if (item?.kind === 'tool' && item.toolUseId === toolUseId) return item.run?.text.length ?? 0;
  }
  return 0;
}
