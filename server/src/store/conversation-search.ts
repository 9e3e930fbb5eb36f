import { MAX_SEARCH_RESULTS, type SearchResult } from '@tollgate/machines';
import { searchSnippet } from './search-snippet.ts';

/** What a search answers: the results, and whether there were more than it returns. */
export interface SearchAnswer {
  results: SearchResult[];
  truncated: boolean;
}

/** A conversation whose title matched, as a store found it. */
export interface TitleRow {
  conversationId: string;
  title: string;
}

/** A message whose text matched, as a store found it, with its conversation's title. */
export interface TextRow {
  conversationId: string;
  title: string | null;
  seq: number;
  anchor: string;
  text: string;
}

/** The query a store searches for: trimmed; empty means nothing to look for. */
export const searchQuery = (query: string) => query.trim();

/**
 * The answer every store gives from what it found: titles first (in the list's order), then
 * messages (newest first), each with its snippet, at most `limit` in all. A row the store's own
 * matching let through but a case-insensitive match in JavaScript does not (a database's
 * collation can fold a letter JavaScript does not) is left out, so every store answers the same.
 * Each store passes up to `limit + 1` rows of each kind, so `truncated` can be told.
 */
export function searchAnswer(
  query: string,
  titles: readonly TitleRow[],
  texts: readonly TextRow[],
  limit = MAX_SEARCH_RESULTS,
): SearchAnswer {
  const results: SearchResult[] = [];
  for (const row of titles) {
    const snippet = searchSnippet(row.title, query);
    if (snippet) {
      results.push({
        conversationId: row.conversationId,
        title: row.title,
        seq: null,
        anchor: null,
        snippet,
      });
    }
  }
  for (const row of texts) {
    const snippet = searchSnippet(row.text, query);
    if (snippet) {
      results.push({
        conversationId: row.conversationId,
        title: row.title,
        seq: row.seq,
        anchor: row.anchor,
        snippet,
      });
    }
  }
  return { results: results.slice(0, limit), truncated: results.length > limit };
}
