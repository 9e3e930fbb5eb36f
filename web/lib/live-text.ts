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

/**
 * Whether the change the mirror just made is one the live tail shows without a render: a text
 * delta that extends a block already on screen. The first delta of a block is not (the markdown
 * has no paragraph for the tail to write into yet).
 */
export function tailShowsLastChange(source: LiveContextSource): boolean {
  const event = source.lastEvent();
  if (event?.type !== 'assistant.text_delta') return false;
  const live = liveBlockText(source.actor.getSnapshot().context, event.turn, event.index);
  return live.length > event.text.length;
}

/** Changes to listen to: `subscribe` calls `next` after each one. */
export interface Changes {
  subscribe(next: () => void): { unsubscribe(): void };
}

/** The mirror's changes the live tail shows without a render: what grows a view between renders. */
export function tailChanges(source: LiveContextSource): Changes {
  return {
    subscribe: (next) =>
      source.actor.subscribe({
        next: () => {
          if (tailShowsLastChange(source)) next();
        },
      }),
  };
}
