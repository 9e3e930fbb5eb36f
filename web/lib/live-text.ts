import type {
  ConversationContext,
  ConversationEvent,
  ConversationMirror,
} from '@tollgate/machines';
import { createContext } from 'react';
import type { Wait } from './frame-batched.ts';
import { panelShowsLastChange } from './live-runs.ts';
import { continuesPlainly, type TextEnd } from './plain-continuation.ts';

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

/**
 * What a block's live tail shows: the end of the block's text it has taken in (as plain text may
 * follow it, plain-continuation.ts), the end before the last delta it took in, and whether the
 * tail holds whitespace the markdown shows otherwise (a line break, a tab, a run of spaces).
 */
export interface ShownTail {
  end: TextEnd;
  /** The end before `through`, the last delta taken in; null when the tail was read afresh. */
  endBefore: TextEnd | null;
  through: ConversationEvent | null;
  /** How much text the tail shows past the markdown's render, and whether its whitespace differs. */
  length: number;
  broken: boolean;
  /** The tail ends a code block's code (it shows its text as it is), not a paragraph. */
  code: boolean;
}

/**
 * Past this many characters, a tail that could go on growing plainly has the markdown rendered
 * anyway: at each delta the tail's whitespace is checked again and its paragraph broken into lines
 * again, whole, and a render hands the tail to the markdown.
 */
export const PLAIN_TAIL_MAX = 1_000;

/** For each mirror, the text blocks (`turn:index`) whose live tail has a span to write into. */
const shownTails = new WeakMap<LiveContextSource, Map<string, ShownTail>>();

/**
 * Says what the live tail of block `index` of turn `turn` shows (null: it cannot show what
 * arrives now).
 */
export function markLiveTail(
  source: LiveContextSource,
  turn: number,
  index: number,
  shown: ShownTail | null,
): void {
  let blocks = shownTails.get(source);
  if (blocks === undefined) {
    blocks = new Map();
    shownTails.set(source, blocks);
  }
  if (shown) blocks.set(`${turn}:${index}`, shown);
  else blocks.delete(`${turn}:${index}`);
}

/** The live tail that shows the text delta that is the mirror's last change, if one does. */
function tailOfLastChange(source: LiveContextSource) {
  const event = source.lastEvent();
  if (event?.type !== 'assistant.text_delta') return null;
  const tail = shownTails.get(source)?.get(`${event.turn}:${event.index}`);
  return tail === undefined ? null : { event, tail };
}

/**
 * Whether the change the mirror just made is one the live tail shows without a render: a text
 * delta of a block whose tail has a span at the end of its text (not the block's first delta,
 * which the markdown has not drawn yet, nor one inside a list, nor in a code block that has no
 * tail: markdown-blocks.ts, openFenceCut).
 */
export function tailShowsLastChange(source: LiveContextSource): boolean {
  return tailOfLastChange(source) !== null;
}

/**
 * How long the mirror's last change may wait for a render (frame-batched.ts): a delta the live
 * tail shows as the markdown would (plain words on the paragraph's line, plain-continuation.ts)
 * needs none, nor code within its line; one it shows otherwise (code that completes a line,
 * until the render highlights it), until the render formats it; one that may close a code block,
 * and anything else, at the next frame.
 */
export function lastChangeWait(source: LiveContextSource): Wait {
  // A chunk its file panel draws by itself (live-runs.ts) changes nothing else in the view.
  if (panelShowsLastChange(source)) return 'unneeded';
  const shown = tailOfLastChange(source);
  if (shown === null) return 'none';
  const { event, tail } = shown;
  // Code shows as the tail shows it; its render only highlights it, and only the lines before
  // the last line break (markdown-blocks.ts, openFenceCut): a delta with none needs no render. A
  // backtick or a tilde may close the block (or start to), and a carriage return ends a line:
  // only the render shows those as they are (showsAsCode), at the next frame.
  if (tail.code) {
    if (/[`~\r]/.test(event.text)) return 'none';
    return event.text.includes('\n') ? 'paced' : 'unneeded';
  }
  // The view may hear of the delta before the tail takes it in, or after.
  const end = tail.through === event ? tail.endBefore : tail.end;
  const plain =
    end !== null &&
    !tail.broken &&
    tail.length < PLAIN_TAIL_MAX &&
    continuesPlainly(end, event.text);
  return plain ? 'unneeded' : 'paced';
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
