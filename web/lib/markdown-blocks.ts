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
