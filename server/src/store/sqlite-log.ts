import { type LogEntry, MACHINE_VERSION } from '@tollgate/machines';
import type { Database } from 'better-sqlite3';
import { checkAppend } from './check-append.ts';
import type { Owner } from './conversation-index.ts';
import type { ConversationLog, NewEntry } from './conversation-log.ts';
import { conversationTitle } from './conversation-title.ts';
import { decodeLogEntry, type EventRow, trustedEntry } from './decode-log-entry.ts';
import { createListeners } from './listeners.ts';
import { decodeSegment } from './log-segments.ts';
import { createSearchTexts, type SearchText, searchTextsOfLog } from './search-texts.ts';
import type { SqliteCompaction } from './sqlite-compaction.ts';
import { assertOpen } from './sqlite-connection.ts';
import type { Head } from './sqlite-heads.ts';
import type { Statements } from './sqlite-statements.ts';
import { CorruptLogEntryError } from './store-errors.ts';
import { checkReadAfter } from './store-validation.ts';

export interface SqliteLogParts {
  db: Database;
  sql: Statements;
  /** Shared with the conversation list, which shows each conversation's last seq and activity. */
  heads: Map<string, Head>;
  /**
   * Told of each person's message or rename once it is committed (a new title, a new place in
   * the list).
   */
  onPersonMessage: (conversationId: string) => void;
  /** Told of each append and each deletion: it moves the recent entries into segments. */
  compaction: Pick<SqliteCompaction, 'appended' | 'purged'>;
  onListenerError: (error: unknown) => void;
}

/**
 * The log in the SQLite file, in two tiers (sqlite-schema.ts): appends go to `recent_entries`,
 * and every `compactAfter` entries they are moved into `entry_segments` (log-segments.ts), in
 * steps between other work (sqlite-compaction.ts).
 */
export function createSqliteLog({
  db,
  sql,
  heads,
  onPersonMessage,
  compaction,
  onListenerError,
}: SqliteLogParts): ConversationLog & {
  clearListeners(): void;
  purge(conversationId: string): Owner | undefined;
} {
  const searchTexts = createSearchTexts();
  const appended = createListeners<readonly LogEntry[]>(onListenerError);
  const state = {
    lastSeq: (conversationId: string) => heads.get(conversationId)?.seq,
    hasCommand: (conversationId: string, commandId: string) =>
      sql.hasCommand.get(conversationId, commandId) !== undefined,
  };

  /** Writes checked entries and the search texts they complete. */
  function insert(entries: readonly NewEntry[], texts: readonly SearchText[]) {
    for (const { conversationId, seq, event, at } of entries) {
      if ('commandId' in event) sql.insertCommand.run(conversationId, event.commandId);
      sql.insertRecent.run(conversationId, seq, at, MACHINE_VERSION, JSON.stringify(event));
      // In the append's transaction: the list never shows a title whose message is not in the log.
      if (event.type === 'user.message') {
        sql.setTitle.run(conversationTitle(event.text), conversationId);
      } else if (event.type === 'conversation.renamed') {
        sql.renameTitle.run(event.title, conversationId);
      } else if (event.type === 'tool.approve' && event.grant) {
        // The grant and its decision: both kept, or neither (tool-grants.ts).
        const { toolName, server } = event.grant;
        if (event.scope === 'always') {
          sql.insertConversationGrant.run(conversationId, toolName, server ?? '', seq, at);
        } else if (event.scope === 'everywhere' && server !== undefined) {
          sql.insertGrant.run(toolName, server, seq, at, conversationId);
        }
      } else if (event.type === 'policy.revoke') {
        sql.revokeConversationGrant.run(conversationId, event.toolName);
      }
    }
    for (const { conversationId, seq, anchor, text } of texts) {
      sql.insertSearchText.run(conversationId, seq, anchor, text);
    }
  }
  // IMMEDIATE takes the write lock up front rather than upgrading a read lock half-way.
  const insertInTransaction = db.transaction(insert).immediate;

  function appendEntries(newEntries: readonly NewEntry[]): LogEntry[] {
    assertOpen(db);
    // Every refusal (schema, seq, command) is found here, before anything is written.
    const valid = checkAppend(newEntries, state);
    if (valid.length === 0) return [];
    const only = valid.length === 1 ? valid[0]! : null;
    const search = searchTexts.plan(valid);
    // A lone fact (not a command, so no command id and no title to record) that ends no text for
    // search is one INSERT, atomic by itself: no BEGIN and COMMIT around it.
    const alone = only !== null && !('commandId' in only.event) && search.texts.length === 0;
    if (alone) insert(valid, search.texts);
    else insertInTransaction(valid, search.texts);
    search.commit();
    // Committed: the heads follow, then the readers hear of it.
    const entries = valid.map(({ conversationId, seq, event, at }): LogEntry => {
      const head = heads.get(conversationId)!;
      head.seq = seq;
      head.at = Math.max(head.at, at);
      return { conversationId, seq, event, at, machineVersion: MACHINE_VERSION };
    });
    for (const { conversationId, event } of valid) {
      if (event.type === 'user.message' || event.type === 'conversation.renamed') {
        onPersonMessage(conversationId);
      }
    }
    compaction.appended(valid.length);
    appended.emit(entries);
    return entries;
  }

  /**
   * One SELECT per tier, so it sees one consistent state of the log; both stop once `limit`
   * entries are read, but never inside a segment: one is decoded whole, and cutting it would have
   * the next page decode it again.
   */
  function readAll(
    conversationId: string,
    afterSeq: number,
    limit = Number.POSITIVE_INFINITY,
  ): LogEntry[] {
    const entries: LogEntry[] = [];
    let expected = afterSeq + 1;
    const take = (row: EventRow, decode: (row: EventRow) => LogEntry) => {
      if (row.seq <= afterSeq) return;
      if (row.seq !== expected) {
        throw new CorruptLogEntryError(conversationId, expected, 'it is missing');
      }
      entries.push(decode(row));
      expected++;
    };
    for (const segment of sql.readSegments.iterate(conversationId, afterSeq)) {
      if (entries.length >= limit) return entries;
      const { rows, intact } = decodeSegment(conversationId, segment);
      // An intact segment is what the store validated and wrote, byte for byte (decodeSegment).
      const decode = intact ? trustedEntry : decodeLogEntry;
      for (const row of rows) take(row, decode);
    }
    for (const row of sql.readRecent.iterate(conversationId, afterSeq)) {
      if (entries.length >= limit) break;
      take(row, decodeLogEntry);
    }
    return entries;
  }

  /** Everything of one conversation, gone in one transaction; the owner it had, if it existed. */
  const purge = db.transaction((conversationId: string): Owner | undefined => {
    if (!heads.has(conversationId)) return undefined;
    const owner = sql.conversationOwner.get(conversationId)?.owner ?? null;
    sql.deleteRecent.run(conversationId);
    sql.deleteSegments.run(conversationId);
    sql.deleteCommands.run(conversationId);
    sql.deleteCheckpoint.run(conversationId);
    sql.deleteSearchTexts.run(conversationId);
    sql.deleteConversationGrants.run(conversationId);
    sql.deleteConversation.run(conversationId);
    return owner;
  }).immediate;

  // Conversations logged before search existed (sqlite-schema.ts): their texts, from their logs.
  const backfill = sql.searchBackfill.all();
  if (backfill.length > 0) {
    db.transaction(() => {
      for (const conversationId of backfill) {
        let texts: SearchText[];
        try {
          texts = searchTextsOfLog(readAll(conversationId, 0), true);
        } catch {
          // A damaged log is refused when read, at its seq; it is not searchable meanwhile.
          continue;
        }
        for (const text of texts) {
          sql.insertSearchText.run(text.conversationId, text.seq, text.anchor, text.text);
        }
      }
      sql.clearSearchBackfill.run();
    }).immediate();
  }

  return {
    purge(conversationId) {
      assertOpen(db);
      const owner = purge(conversationId);
      if (owner === undefined) return undefined;
      heads.delete(conversationId);
      searchTexts.forget(conversationId);
      compaction.purged();
      return owner;
    },
    append: async (entry) => appendEntries([entry])[0]!,
    appendBatch: async (entries) => appendEntries(entries),
    async read(conversationId, afterSeq = 0, limit = Number.POSITIVE_INFINITY) {
      assertOpen(db);
      checkReadAfter(afterSeq, limit);
      return readAll(conversationId, afterSeq, limit);
    },
    async lastSeq(conversationId) {
      assertOpen(db);
      return heads.get(conversationId)?.seq ?? 0;
    },
    onAppended: (listener) => appended.add(listener),
    clearListeners: () => appended.clear(),
  };
}
