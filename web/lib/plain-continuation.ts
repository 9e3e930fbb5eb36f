// While Claude streams, the live tail shows each delta at once as plain text at the end of the
// last paragraph (use-live-tail.ts), and the markdown is rendered again a few times a second to
// format it. For most of an answer there is nothing to format: words, spaces and punctuation that
// only lengthen the paragraph. A render then draws what the tail already shows, and costs the
// frame it shares with the delta. This module tells such text apart, so that the render waits
// until a delta brings something the markdown would draw otherwise.
//
// The test is deliberately narrower than markdown: anything it is unsure of counts as markup, and
// is rendered at the usual pace. Text continues plainly when
// - it holds no character markdown gives a meaning inside a line (emphasis, code, links, HTML,
//   entities, escapes, autolinks' `:` and `@`), no line break and no NUL;
// - it does not continue a word that holds such a character (`snake_` + `case` ends emphasis that
//   `snake_` alone did not) or `www.` (an autolink grows with its word); a word ends at a space;
// - the line it lands on has started as a paragraph's line: not with a character that may open a
//   block (a heading, a quote, a list item, a table's row, a fence, a setext underline, a link
//   definition's title), and not with digits that may be an ordered list's marker;
// - the paragraph holds no `[`, so no link or footnote definition can take its lines;
// - it makes no run of spaces (a paragraph shows one; the tail, whose spaces are kept, two).

/** Characters with a meaning inside a line, and line breaks: never plain. */
const MARKUP = /[\n\r\t\0*_~`[\]()<>\\&#:@]/;
/** What a line's first character must not be for the line to be a paragraph's. */
const OPENS_BLOCK = /[#>\-+*=_`~<|:[\\"']/;
const DIGIT = /[0-9]/;
/** An ordered list's marker has at most this many digits (CommonMark). */
const MARKER_DIGITS = 9;

/** What the end of a text says about the text that may follow it plainly. */
export interface TextEnd {
  /**
   * The last line's characters after its indentation while it is not yet known to be a
   * paragraph's line; null once it is, or once it cannot be (`settled` tells which).
   */
  lineStart: string | null;
  /** Whether the last line is known to be a paragraph's (plain text may go on it). */
  settled: boolean;
  /** The last word's last three characters, lower-cased ('' after a space): `www` then `.`. */
  wordEnd: string;
  /** Whether the last word holds a markup character or `www.`. */
  wordMarked: boolean;
  /** Whether the last paragraph (since a blank line) holds a `[`. */
  bracketed: boolean;
  /** The text's last character ('' for none). */
  last: string;
}

/** The end of an empty text: a line that has not started. */
export const TEXT_START: TextEnd = {
  lineStart: '',
  settled: false,
  wordEnd: '',
  wordMarked: false,
  bracketed: false,
  last: '',
};

/**
 * Whether a line that starts with `start` (after its indentation) is a paragraph's line whatever
 * follows (true), cannot be one (false), or may still be either (null).
 */
function lineKind(start: string): boolean | null {
  const first = start[0];
  if (first === undefined) return null;
  if (!DIGIT.test(first)) return !(OPENS_BLOCK.test(first) || MARKUP.test(first));
  let digits = 0;
  while (digits < start.length && DIGIT.test(start[digits] as string)) digits++;
  if (digits > MARKER_DIGITS) return true;
  const after = start[digits];
  if (after === undefined) return null;
  if (after !== '.' && after !== ')') return true;
  // `12.` may still become a list item, `12. ` is one, `12.5` is not.
  const next = start[digits + 1];
  if (next === undefined) return null;
  return next !== ' ';
}

/** The end of `end`'s text followed by `text`. */
export function endAfter(end: TextEnd, text: string): TextEnd {
  let { lineStart, settled, wordEnd, wordMarked, bracketed, last } = end;
  for (const char of text) {
    if (char === '\n' || char === '\r') {
      // A line with nothing but spaces on it ends the paragraph.
      if (lineStart === '') bracketed = false;
      lineStart = '';
      settled = false;
      wordEnd = '';
      wordMarked = false;
      last = char;
      continue;
    }
    const space = char === ' ' || char === '\t';
    // The indentation does not count; a space after the line's first character does (`1. `).
    if (lineStart !== null && !(space && lineStart === '')) {
      lineStart += char;
      const kind = lineKind(lineStart);
      if (kind !== null) {
        settled = kind;
        lineStart = null;
      }
    }
    if (space) {
      wordEnd = '';
      wordMarked = false;
    } else {
      if (MARKUP.test(char) || (char === '.' && wordEnd === 'www')) wordMarked = true;
      wordEnd = (wordEnd + char.toLowerCase()).slice(-3);
    }
    if (char === '[') bracketed = true;
    last = char;
  }
  return { lineStart, settled, wordEnd, wordMarked, bracketed, last };
}

/** The end of `text` (reads its last paragraph). */
export function endOf(text: string): TextEnd {
  // Start at the last line with nothing but spaces on it that the text has gone past: what came
  // before it changes nothing. (The last line itself, blank so far, is still the paragraph's.)
  let lineEnd = text.lastIndexOf('\n');
  while (lineEnd >= 0) {
    const lineStart = text.lastIndexOf('\n', lineEnd - 1);
    if (text.slice(lineStart + 1, lineEnd).trim() === '') {
      return endAfter(TEXT_START, text.slice(lineEnd));
    }
    lineEnd = lineStart;
  }
  return endAfter(TEXT_START, text);
}

/**
 * Whether a paragraph shows `text`'s whitespace otherwise than as it is: a line break, a tab or a
 * run of spaces, which it shows as one space (the live tail keeps them as they are).
 */
export function spacedOtherwise(text: string): boolean {
  return /[\n\r\t]| {2}/.test(text);
}

/**
 * Whether `text`, following a text that ends as `end` does, adds nothing but plain characters to
 * the last paragraph: rendered with it, the markdown would show what it showed, with `text` at
 * the end of the paragraph (see the top of this file).
 */
export function continuesPlainly(end: TextEnd, text: string): boolean {
  if (text === '' || MARKUP.test(text) || end.bracketed) return false;
  if (spacedOtherwise(text) || (end.last === ' ' && text[0] === ' ')) return false;
  // A word holds markup only up to its end: the text must not continue one.
  if (end.wordMarked && text[0] !== ' ') return false;
  let state = end;
  for (const char of text) {
    state = endAfter(state, char);
    if (state.wordMarked) return false;
  }
  return state.settled;
}
