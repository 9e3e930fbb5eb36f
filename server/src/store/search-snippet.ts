import type { SearchSnippet } from '@tollgate/machines';

/** Characters of context kept on each side of a match. */
const CONTEXT = 60;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `text` holds `query`, ignoring case: the test every store's search ends with. */
export function findMatch(text: string, query: string): { start: number; end: number } | null {
  const match = new RegExp(escapeRegExp(query), 'iu').exec(text);
  return match ? { start: match.index, end: match.index + match[0].length } : null;
}

/**
 * The match in `text` with a little context on each side, on one line, cut at word boundaries
 * where one is near and marked with "…" where cut: what a search result shows, the match in a
 * `<mark>`. Null if `text` does not hold `query` (ignoring case).
 */
export function searchSnippet(text: string, query: string): SearchSnippet | null {
  const found = findMatch(text, query);
  if (!found) return null;
  const oneLine = (part: string) => part.replace(/\s+/g, ' ');
  let before = text.slice(Math.max(0, found.start - CONTEXT), found.start);
  let after = text.slice(found.end, found.end + CONTEXT);
  if (found.start > CONTEXT) {
    // Cut after a space if one is near, so the snippet starts with a whole word.
    const space = before.search(/\s/);
    before = `…${space >= 0 && space < CONTEXT / 2 ? before.slice(space + 1) : before}`;
  }
  if (found.end + CONTEXT < text.length) {
    const space = after.search(/\s\S*$/);
    after = `${space > CONTEXT / 2 ? after.slice(0, space) : after}…`;
  }
  // A cut never splits a character made of two UTF-16 units (an emoji).
  before = before.replace(/^[\uDC00-\uDFFF]/, '');
  after = after.replace(/[\uD800-\uDBFF](…?)$/, '$1');
  return {
    before: oneLine(before).trimStart(),
    match: oneLine(text.slice(found.start, found.end)),
    after: oneLine(after).trimEnd(),
  };
}

/** A LIKE pattern for `query` anywhere, with `\` as the escape character. */
export function likePattern(query: string): string {
  return `%${query.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
