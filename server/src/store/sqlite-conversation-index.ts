import type { Database } from 'better-sqlite3';
import type { ConversationIndex } from './conversation-index.ts';
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
}

/** The conversation list in the SQLite file; titles are written by the log's appends. */
export function createSqliteConversationIndex({
  db,
  sql,
  heads,
  changes,
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
  };
}
