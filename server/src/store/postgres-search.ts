import type { ClientBase, Pool } from 'pg';
import type { Owner } from './conversation-index.ts';
import { type SearchAnswer, searchAnswer, searchQuery } from './conversation-search.ts';
import { decodeLogEntry, type EventRow } from './decode-log-entry.ts';
import { SUMMARY_COLUMNS, summaryOf } from './postgres-rows.ts';
import { likePattern } from './search-snippet.ts';
import { type SearchText, searchTextsOfLog } from './search-texts.ts';
import { byRecentActivity } from './summary-order.ts';

interface TextRow {
  conversation_id: string;
  title: string | null;
  seq: number;
  anchor: string;
  text: string;
}

/**
 * One owner's titles and texts holding `query` (ILIKE, escaped: search-snippet.ts), at most
 * `limit` + 1 of each, answered as every store answers (conversation-search.ts).
 */
export async function searchPostgres(
  pool: Pool,
  owner: Owner,
  query: string,
  limit: number,
): Promise<SearchAnswer> {
  const wanted = searchQuery(query);
  if (wanted.length === 0) return { results: [], truncated: false };
  const pattern = likePattern(wanted);
  // Two forms rather than IS NOT DISTINCT FROM, which no index serves.
  const ownedBy = (at: number) => (owner === null ? 'c.owner IS NULL' : `c.owner = $${at}`);
  const byOwner = owner === null ? [] : [owner];
  const [titles, texts] = await Promise.all([
    pool.query(
      `SELECT ${SUMMARY_COLUMNS} FROM conversations c WHERE ${ownedBy(2)} AND c.title ILIKE $1`,
      [pattern, ...byOwner],
    ),
    pool.query<TextRow>(
      `SELECT s.conversation_id, c.title, s.seq, s.anchor, s.text
       FROM search_texts s JOIN conversations c ON c.id = s.conversation_id
       WHERE ${ownedBy(3)} AND s.text ILIKE $1 ORDER BY s.id DESC LIMIT $2`,
      [pattern, limit + 1, ...byOwner],
    ),
  ]);
  return searchAnswer(
    wanted,
    titles.rows
      .map(summaryOf)
      .sort(byRecentActivity)
      .slice(0, limit + 1)
      .map(({ id, title }) => ({ conversationId: id, title: title ?? '' })),
    texts.rows.map((row) => ({
      conversationId: row.conversation_id,
      title: row.title,
      seq: row.seq,
      anchor: row.anchor,
      text: row.text,
    })),
    limit,
  );
}

/**
 * Writes the search texts of the conversations logged before search existed (the migration
 * listed them in `search_backfill`), once: the instance that takes the list does it, in one
 * transaction, and the others find it empty. A run of deltas still streaming on another
 * instance is left to it: that instance writes it when it ends.
 */
export async function backfillSearchTexts(client: ClientBase): Promise<void> {
  await client.query('BEGIN');
  try {
    const { rows } = await client.query<{ conversation_id: string }>(
      'DELETE FROM search_backfill RETURNING conversation_id',
    );
    for (const { conversation_id: conversationId } of rows) {
      const entries = await client.query<EventRow>(
        `SELECT conversation_id, seq, at, machine_version, event FROM log_entries
         WHERE conversation_id = $1 ORDER BY seq`,
        [conversationId],
      );
      let texts: SearchText[];
      try {
        texts = searchTextsOfLog(entries.rows.map(decodeLogEntry), false);
      } catch {
        // A damaged log is refused when read, at its seq; it is not searchable meanwhile.
        continue;
      }
      if (texts.length === 0) continue;
      await client.query(
        `INSERT INTO search_texts (conversation_id, seq, anchor, text)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[])`,
        [
          texts.map((text) => text.conversationId),
          texts.map((text) => text.seq),
          texts.map((text) => text.anchor),
          texts.map((text) => text.text),
        ],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
