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

/** For each mirror, the text blocks (`turn:index`) whose live tail has a span to write into. */
const shownTails = new WeakMap<LiveContextSource, Set<string>>();

/** Says whether the live tail of block `index` of turn `turn` can show what arrives now. */
export function markLiveTail(
  source: LiveContextSource,
  turn: number,
  index: number,
  shows: boolean,
): void {
  let blocks = shownTails.get(source);
  if (blocks === undefined) {
    blocks = new Set();
    shownTails.set(source, blocks);
  }
  if (shows) blocks.add(`${turn}:${index}`);
  else blocks.delete(`${turn}:${index}`);
}

/**
 * Whether the change the mirror just made is one the live tail shows without a render: a text
 * delta of a block whose tail has a span at the end of its text (not the block's first delta,
 * which the markdown has not drawn yet, nor one inside a code block or a list).
 */
export function tailShowsLastChange(source: LiveContextSource): boolean {
  const event = source.lastEvent();
  if (event?.type !== 'assistant.text_delta') return false;
  return shownTails.get(source)?.has(`${event.turn}:${event.index}`) ?? false;
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
