/** Below this length, a growing text is joined into one string every this many characters. */
const JOIN_EVERY = 4096;

/**
 * `text` followed by `more`, for text that grows by many small appends (a streamed answer, its
 * thinking, a tool's input). V8, in Node and in Chromium, makes `a + b` a rope: a node that
 * points at both, so an answer of a thousand deltas is a thousand nodes and pieces, several times
 * its own size (docs/performance.md). Each time the text crosses a step (4,096 characters, or an
 * eighth of its length once that is more), it is joined into one string: reading a character of a
 * rope makes V8 flatten it in place, which changes nothing but its memory. So at most a step's
 * worth stays in pieces, and the joins copy the text a bounded number of times as it grows.
 */
export function grownText(text: string, more: string): string {
  const grown = text + more;
  const step = Math.max(JOIN_EVERY, 2 ** Math.floor(Math.log2(grown.length)) / 8);
  if (Math.floor(grown.length / step) !== Math.floor(text.length / step)) grown.charCodeAt(0);
  return grown;
}
