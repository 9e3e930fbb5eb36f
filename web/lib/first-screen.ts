import type { TimelineItem } from '@tollgate/machines';

// How many of a long conversation's last items fill the timeline: what it draws first when it
// opens (use-end-first.ts), before the older ones above. Each item drawn costs its markdown, its
// layout and its paint, and a reader sees only a screen of them; the rest come a batch at a time,
// each after a paint. Estimated from the items' text and the timeline's size, not measured item
// by item: laying out the items to measure them is the cost this saves.

/** The timeline's text column at most (Tailwind's max-w-3xl). */
const TEXT_WIDTH_PX = 768;
/** The page's body text: 16 px, about 8 px a character on average, in lines of 24 px. */
const CHAR_PX = 8;
const LINE_PX = 24;
/** An item's lines besides its text: the gap to the next, a heading or a card's padding. */
const ITEM_LINES = 2;
/** A tool call's card with its arguments summed up, folded. */
const TOOL_LINES = 4;

/** The characters per line and the lines of a timeline of `width` × `height` px. */
export function screenOf(width: number, height: number): { lineChars: number; lines: number } {
  return {
    lineChars: Math.max(1, Math.floor(Math.min(width, TEXT_WIDTH_PX) / CHAR_PX)),
    lines: Math.ceil(height / LINE_PX),
  };
}

/** The lines an item takes, about: its text wrapped at `lineChars`, and its own. */
function linesOf(item: TimelineItem, lineChars: number): number {
  const wrapped = (text: string) =>
    text
      .split('\n')
      .reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / lineChars)), 0);
  switch (item.kind) {
    case 'user':
      return ITEM_LINES + wrapped(item.text);
    case 'assistant':
      return (
        ITEM_LINES +
        item.blocks.reduce(
          (sum, block) => sum + (block.type === 'text' ? wrapped(block.text) : 1),
          0,
        )
      );
    case 'tool':
      return TOOL_LINES;
    case 'notice':
      return ITEM_LINES;
  }
}

/**
 * How many of the last `items` fill a screen of `lineChars` × `lines`: counted from the end until
 * their lines reach it; at least one (if any, even in a box not laid out), at most `most`.
 */
export function itemsFillingScreen(
  items: readonly TimelineItem[],
  { lineChars, lines }: { lineChars: number; lines: number },
  most: number,
): number {
  let count = 0;
  let filled = 0;
  for (
    let i = items.length - 1;
    i >= 0 && count < most && (count === 0 || filled < lines);
    i -= 1
  ) {
    const item = items[i];
    if (item === undefined) break;
    filled += linesOf(item, lineChars);
    count += 1;
  }
  return count;
}
