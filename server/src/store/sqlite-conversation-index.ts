import { MAX_SEARCH_RESULTS } from '@tollgate/machines';
import type { Database } from 'better-sqlite3';
import type { ConversationDeletions } from './conversation-deletions.ts';
import type { ConversationIndex, Owner } from './conversation-index.ts';
import { searchAnswer, searchQuery } from './conversation-search.ts';
import { likePattern } from './search-snippet.ts';
import { assertOpen } from './sqlite-connection.ts';
import type { Head } from './sqlite-heads.ts';
import type { ConversationRow, Statements } from './sqlite-statements.ts';
import { EventStoreError } from './store-errors.ts';
import { checkNewConversation } from './store-validation.ts';
import { byRecentActivity } from './summary-order.ts';

export interface SqliteIndexParts {
  db: Database;
  sql: Statements;
  /** The log keeps them: each conversation's last seq and latest activity. */
  heads: Map<string, Head>;
  changes: {
    listen(listener: (conversationIds: string[]) => void): () => void;
    changed(conversationId: string): void;
  };
  deletions: ConversationDeletions;
  /** The log's: deletes everything of one conversation (sqlite-log.ts). */
  purge(conversationId: string): Owner | undefined;
}

/** The conversation list in the SQLite file; titles are written by the log's appends. */
export function createSqliteConversationIndex({
  db,
  sql,
  heads,
  changes,
  deletions,
  purge,
}: SqliteIndexParts): ConversationIndex {
  function summaryOf(row: ConversationRow) {
    const head = heads.get(row.id) ?? { seq: 0, at: row.createdAt };
    return { ...row, updatedAt: head.at, lastSeq: head.seq };
  }

  return {
    async create({ id, createdAt, owner = null }) {
      assertOpen(db);
      checkNewConversation({ id, createdAt, owner });
      try {
        sql.createConversation.run(id, createdAt, owner);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new EventStoreError(`conversation ${id} already exists`);
        }
        throw error;
      }
      heads.set(id, { seq: 0, at: createdAt });
      changes.changed(id);
    },
    async has(conversationId) {
      assertOpen(db);
      return heads.has(conversationId);
    },
    async list() {
      assertOpen(db);
      return sql.conversations.all().map(summaryOf).sort(byRecentActivity);
    },
    async listOwnedBy(owner) {
      assertOpen(db);
      return sql.conversationsOwnedBy.all(owner).map(summaryOf).sort(byRecentActivity);
    },
    async ownerOf(conversationId) {
      assertOpen(db);
      if (!heads.has(conversationId)) return undefined;
      return sql.conversationOwner.get(conversationId)?.owner;
    },
    async get(conversationId) {
      assertOpen(db);
      const row = heads.has(conversationId) ? sql.conversation.get(conversationId) : undefined;
      return row ? summaryOf(row) : null;
    },
    onChanged: (listener) => changes.listen(listener),
    async delete(conversationId) {
      const owner = purge(conversationId);
      if (owner !== undefined) deletions.deleted(conversationId, owner);
      return owner;
    },
    onDeleted: (listener) => deletions.listen(listener),
    async search(owner, query, limit) {
      assertOpen(db);
      const wanted = searchQuery(query);
      if (wanted.length === 0) return { results: [], truncated: false };
      const pattern = likePattern(wanted);
      const max = limit ?? MAX_SEARCH_RESULTS;
      const titles = sql.searchTitles
        .all(owner, pattern)
        .map(summaryOf)
        .sort(byRecentActivity)
        .slice(0, max + 1)
        .map(({ id, title }) => ({ conversationId: id, title: title ?? '' }));
      return searchAnswer(wanted, titles, sql.searchTexts.all(owner, pattern, max + 1), max);
    },
  };
}
