import { MAX_SEARCH_RESULTS } from '@tollgate/machines';
import { DatabaseError, type Pool } from 'pg';
import type { ConversationIndex } from './conversation-index.ts';
import { CONVERSATIONS_CHANNEL, DELETIONS_CHANNEL } from './postgres-channels.ts';
import { SUMMARY_COLUMNS, summaryOf, textOrNull } from './postgres-rows.ts';
import { searchPostgres } from './postgres-search.ts';
import { EventStoreError } from './store-errors.ts';
import { checkNewConversation } from './store-validation.ts';
import { byRecentActivity } from './summary-order.ts';

export interface PostgresIndexParts {
  pool: Pool;
  assertOpen(): void;
  /** Told of the notifications of CONVERSATIONS_CHANNEL, from every instance, this one too. */
  changes: { listen(listener: (conversationIds: string[]) => void): () => void };
  /** Told of the notifications of DELETIONS_CHANNEL, from every instance, this one too. */
  deletions: {
    listen(listener: (conversationId: string, owner: string | null) => void): () => void;
  };
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
  deletions,
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
    async delete(conversationId) {
      assertOpen();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // The row lock waits for the appends under way (each locks the row it moves) and holds
        // off the next ones, which then find no conversation and are refused; each statement
        // below sees every entry committed before it.
        const { rows } = await client.query(
          'SELECT owner FROM conversations WHERE id = $1 FOR UPDATE',
          [conversationId],
        );
        if (!rows[0]) {
          await client.query('ROLLBACK');
          return undefined;
        }
        const owner = textOrNull('conversations', rows[0], 'owner');
        for (const table of [
          'log_entries',
          'commands',
          'checkpoints',
          'search_texts',
          'conversation_grants',
        ]) {
          await client.query(`DELETE FROM ${table} WHERE conversation_id = $1`, [conversationId]);
        }
        await client.query('DELETE FROM conversation_owners WHERE conversation_id = $1', [
          conversationId,
        ]);
        // Delivered at commit, to every instance, this one included.
        await client.query(
          `WITH gone AS (DELETE FROM conversations WHERE id = $1 RETURNING id, owner)
           SELECT pg_notify('${DELETIONS_CHANNEL}', json_build_object('id', id, 'owner', owner)::text)
           FROM gone`,
          [conversationId],
        );
        await client.query('COMMIT');
        return owner;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    onDeleted: (listener) => deletions.listen(listener),
    async search(owner, query, limit = MAX_SEARCH_RESULTS) {
      assertOpen();
      return searchPostgres(pool, owner, query, limit);
    },
  };
}
