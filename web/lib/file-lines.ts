// The file panel (components/file-text.tsx) draws only the lines in view, so a frame costs the
// same whatever the file's size: laying out text is what costs, per line (docs/performance.md),
// and a megabyte is 17,000 lines. These pure helpers keep the text as lines as it grows and say
// which lines to draw.

/** A growing text as lines. Owned by one panel and changed in place: it grows by thousands of lines. */
export interface FileLines {
  /** The lines ended by a line break, without it. */
  complete: string[];
  /** The last line, not yet ended by a line break. */
  open: string;
  /** The length of the longest line, in UTF-16 units (the panel's width in `ch`, roughly). */
  widest: number;
}

export function emptyFileLines(): FileLines {
  return { complete: [], open: '', widest: 0 };
}

/** Adds `added` to the end of the text; returns the index of the first line it changed. */
export function appendText(file: FileLines, added: string): number {
  const changed = file.complete.length;
  let from = 0;
  for (let at = added.indexOf('\n'); at !== -1; at = added.indexOf('\n', from)) {
    const line = file.open + added.slice(from, at);
    file.complete.push(line);
    file.widest = Math.max(file.widest, line.length);
    file.open = '';
    from = at + 1;
  }
  file.open += added.slice(from);
  file.widest = Math.max(file.widest, file.open.length);
  return changed;
}

/** How many lines there are to show: the open line counts, even empty (as in an editor). */
export function lineCount(file: FileLines): number {
  return file.complete.length + 1;
}

/** Lines `first` to `last` (0-based, `last` excluded), joined by line breaks. */
export function linesText(file: FileLines, first: number, last: number): string {
  const end = Math.min(last, lineCount(file));
  const lines = file.complete.slice(first, Math.min(end, file.complete.length));
  if (end > file.complete.length) lines.push(file.open);
  return lines.join('\n');
}

/** The line numbers (1-based) of lines `first` to `last` (0-based, `last` excluded). */
export function lineNumbers(first: number, last: number): string {
  const numbers: string[] = [];
  for (let line = first + 1; line <= last; line += 1) numbers.push(String(line));
  return numbers.join('\n');
}

/**
 * The lines to draw: those in view plus at least `spare` on each side, so a scroll of a few lines
 * shows text at once. The drawn stretch starts at a multiple of `spare`, so it moves (and is
 * drawn again, which clears a selection in it) only once the view has moved `spare` lines, not
 * at every line. `top` is the first line in view (fractional); following the end, the view ends
 * at the last line.
 */
export function linesInView(
  total: number,
  view: { top: number; rows: number; follow: boolean },
  spare: number,
): { first: number; last: number } {
  const top = Math.max(0, Math.min(view.follow ? total - view.rows : view.top, total - view.rows));
  const first = Math.floor(Math.max(0, top - spare) / spare) * spare;
  return { first, last: Math.min(total, first + view.rows + 3 * spare) };
}

/** How much of the end of the shown text is kept to recognise that new text continues it. */
const END_LENGTH = 256;

/**
 * The end kept to compare the next text with (see `continuesShown`): of `before` followed by
 * `added`. Only the end of `before` is joined to `added` when `added` is short: reading the end of
 * the two joined whole would copy all of `added` (a frame's chunks, tens of KB) first.
 */
export function textEnd(before: string, added = ''): string {
  if (added.length >= END_LENGTH) return added.slice(-END_LENGTH);
  return before.slice(added.length - END_LENGTH) + added;
}

/**
 * Whether `text` continues the text shown so far, of which we keep its length and its `end`
 * (`textEnd`). The texts shown only grow (a run's chunks, Claude's arguments as they stream) or
 * are replaced as a whole (another call, an edit); what may change in place is the very end of
 * a preview, where a partly received escape becomes its character. Comparing the end rather
 * than the whole text saves a comparison of the whole file at every frame.
 */
export function continuesShown(text: string, shownLength: number, end: string): boolean {
  return text.length >= shownLength && text.startsWith(end, shownLength - end.length);
}
