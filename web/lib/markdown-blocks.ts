// While Claude streams, only the end of its text changes. Cut into top-level blocks, the text can
// be rendered block by block: finished blocks keep their rendering and only the last one is
// parsed again with each delta, instead of the whole answer. The cut is conservative: only at a
// blank line outside a code fence, followed by a line that starts a new block at the margin (an
// indented line may continue a list item, and parsed alone would turn into a code block).

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function markdownBlocks(text: string): string[] {
  const lines = text.split('\n');
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  let previousBlank = false;
  for (const line of lines) {
    const opener = FENCE.exec(line)?.[1];
    const startsAtMargin = line.length > 0 && line[0] !== ' ' && line[0] !== '\t';
    if (fence === null && previousBlank && startsAtMargin && current.length > 0) {
      blocks.push(current.join('\n'));
      current = [];
    }
    current.push(line);
    if (opener !== undefined) {
      if (fence === null) fence = opener;
      else if (opener[0] === fence[0] && opener.length >= fence.length) fence = null;
    }
    previousBlank = line.trim() === '';
  }
  blocks.push(current.join('\n'));
  return blocks;
}

/** Whether the text has a code block worth highlighting (saves loading the highlighter). */
export function hasCodeFence(text: string): boolean {
  return /^ {0,3}(```|~~~)/m.test(text);
}

/** A code fence's opening line at the margin: its fence, and (for backticks) an info string. */
const OPENER = /^(?:`{3,}[^`\n]*|~{3,}[^\n]*)\n/;

/**
 * Whether `code`, added at the end of an open code block's code, shows there as it is: it has
 * no line that could close the block, or start to (one that begins, after at most three spaces,
 * with a fence's character, of either kind), and no carriage return (which the markdown reads as
 * a line's end).
 */
export function showsAsCode(code: string): boolean {
  return !/(?:^|\n) {0,3}[`~]|\r/.test(code);
}

/**
 * Where the markdown of a streaming code block may end so that the rest of the block shows, as
 * it is, at the end of the code (a live tail, use-live-tail.ts): just past its last line break,
 * where the code's text in the page ends too. Null unless `block` is a code block opened at the
 * margin (an indented fence drops its indentation from each line) with its first line complete,
 * whose code shows as it is (showsAsCode).
 */
export function openFenceCut(block: string): number | null {
  const opener = OPENER.exec(block);
  if (opener === null || !showsAsCode(block.slice(opener[0].length))) return null;
  const cut = block.lastIndexOf('\n') + 1;
  // Code of one empty line is drawn as none at all: the tail shows that line break too.
  return cut === opener[0].length + 1 ? opener[0].length : cut;
}
