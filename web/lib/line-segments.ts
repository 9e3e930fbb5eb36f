// The file panel shows a growing file as a column of segments, each holding whole lines, plus one
// open line at the end that the next chunk continues. A new chunk adds one segment and rewrites
// the open line; segments already on screen never change, so the browser lays out only the new
// one, however large the file already is. These pure helpers decide what each chunk adds.

export interface SegmentState {
  /** The last line, not yet ended by a line break. */
  openLine: string;
  /** The number of the open line (1-based): lines before it are in segments. */
  openLineNumber: number;
}

export interface Segment {
  text: string;
  firstLine: number;
  lines: number;
}

export const emptySegments: SegmentState = { openLine: '', openLineNumber: 1 };

/** What appending `added` produces: a segment of newly completed lines (if any) and the new state. */
export function appendToSegments(
  state: SegmentState,
  added: string,
): { segment: Segment | null; state: SegmentState } {
  const text = state.openLine + added;
  const lastBreak = text.lastIndexOf('\n');
  if (lastBreak === -1) return { segment: null, state: { ...state, openLine: text } };
  const complete = text.slice(0, lastBreak + 1);
  const lines = countLineBreaks(complete);
  return {
    segment: { text: complete, firstLine: state.openLineNumber, lines },
    state: { openLine: text.slice(lastBreak + 1), openLineNumber: state.openLineNumber + lines },
  };
}

/** How much of the end of the shown text is kept to recognise that new text continues it. */
const END_LENGTH = 256;

/** The end of `text` kept to compare the next text with (see `continuesShown`). */
export function textEnd(text: string): string {
  return text.slice(-END_LENGTH);
}

/**
 * Whether `text` continues the text shown so far, of which we keep its length and its `end`
 * (`textEnd`). The texts shown only grow (a run's chunks, Claude's arguments as they stream) or
 * are replaced as a whole (another call, an edit); what may change in place is the very end of
 * a preview, where a partly received escape becomes its character. Comparing the end rather
 * than the whole text saves a comparison of the whole file at every frame. (Slicing off what is
 * new still copies the text once a frame: V8 flattens a string built by appending when it is
 * read, a memory copy far cheaper than comparing.)
 */
export function continuesShown(text: string, shownLength: number, end: string): boolean {
  return text.length >= shownLength && text.startsWith(end, shownLength - end.length);
}

/** How many line breaks `text` holds. */
export function countLineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}

/** The gutter text for lines `from`..`to` (1-based, inclusive), one number a line. */
export function lineNumbers(from: number, to: number): string {
  const numbers: string[] = [];
  for (let line = from; line <= to; line += 1) numbers.push(String(line));
  return numbers.join('\n');
}

/**
 * Cuts a segment into pieces of at most `maxLines` lines, so a file that arrives all at once (a
 * reload, a finished preview) is still laid out, and skipped when off screen, piece by piece.
 */
export function splitSegment(segment: Segment, maxLines: number): Segment[] {
  const pieces: Segment[] = [];
  let from = 0;
  let line = segment.firstLine;
  while (from < segment.text.length) {
    let end = from;
    let lines = 0;
    while (lines < maxLines) {
      const next = segment.text.indexOf('\n', end);
      if (next === -1) break;
      end = next + 1;
      lines += 1;
    }
    pieces.push({ text: segment.text.slice(from, end), firstLine: line, lines });
    from = end;
    line += lines;
  }
  return pieces;
}
