import { DatabaseError, type Pool } from 'pg';
import type { ConversationIndex } from './conversation-index.ts';
import { CONVERSATIONS_CHANNEL } from './postgres-channels.ts';
import { SUMMARY_COLUMNS, summaryOf, textOrNull } from './postgres-rows.ts';
import { EventStoreError } from './store-errors.ts';
import { checkNewConversation } from './store-validation.ts';
import { byRecentActivity } from './summary-order.ts';

export interface PostgresIndexParts {
  pool: Pool;
  assertOpen(): void;
  /** Told of the notifications of CONVERSATIONS_CHANNEL, from every instance, this one too. */
  changes: { listen(listener: (conversationIds: string[]) => void): () => void };
}

/**
 * The conversation list in PostgreSQL. Titles and heads are written by the log's appends; the
 * announcements come back from the database (LISTEN/NOTIFY), so that an instance hears of the
 * conversations every other instance creates or gives a person's message, and of its own the
 * same way.
 */
export function createPostgresConversationIndex({
  pool,
  assertOpen,
  changes,
}: PostgresIndexParts): ConversationIndex {
  const list = async (where: string, values: unknown[]) => {
    const { rows } = await pool.query(
      `SELECT ${SUMMARY_COLUMNS} FROM conversations ${where}`,
      values,
    );
    // Sorted here rather than by ORDER BY, so the order is byRecentActivity's to the letter (ids
    // compared as JavaScript does, not by the database's collation).
    return rows.map(summaryOf).sort(byRecentActivity);
  };

  return {
    async create({ id, createdAt, owner = null }) {
      assertOpen();
      checkNewConversation({ id, createdAt, owner });
      try {
        await pool.query(
          `WITH created AS (
             INSERT INTO conversations (id, created_at, owner, updated_at) VALUES ($1, $2, $3, $2)
             RETURNING id
           )
           SELECT pg_notify('${CONVERSATIONS_CHANNEL}', id) FROM created`,
          [id, createdAt, owner],
        );
      } catch (error) {
        if (error instanceof DatabaseError && error.code === '23505') {
          throw new EventStoreError(`conversation ${id} already exists`);
        }
        throw error;
      }
    },
    async has(conversationId) {
      assertOpen();
      const { rowCount } = await pool.query('SELECT 1 FROM conversations WHERE id = $1', [
        conversationId,
      ]);
      return rowCount === 1;
    },
    async list() {
      assertOpen();
      return list('', []);
    },
    async listOwnedBy(owner) {
      assertOpen();
      // Two forms rather than IS NOT DISTINCT FROM, which no index serves.
      return owner === null ? list('WHERE owner IS NULL', []) : list('WHERE owner = $1', [owner]);
    },
    async ownerOf(conversationId) {
      assertOpen();
      const { rows } = await pool.query('SELECT owner FROM conversations WHERE id = $1', [
        conversationId,
      ]);
      return rows[0] ? textOrNull('conversations', rows[0], 'owner') : undefined;
    },
    async get(conversationId) {
      assertOpen();
      const { rows } = await pool.query(
        `SELECT ${SUMMARY_COLUMNS} FROM conversations WHERE id = $1`,
        [conversationId],
      );
      return rows[0] ? summaryOf(rows[0]) : null;
    },
    onChanged: (listener) => changes.listen(listener),
  };
}
