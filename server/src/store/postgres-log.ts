import { type LogEntry, MACHINE_VERSION } from '@tollgate/machines';
import type { Pool } from 'pg';
import type { ConversationLog, NewEntry } from './conversation-log.ts';
import { decodeLogEntry, type EventRow } from './decode-log-entry.ts';
import { createListeners } from './listeners.ts';
import { appendFailure, appendStatement, explainRefusal, isRefusal } from './postgres-append.ts';
import { lastSeqOf } from './postgres-rows.ts';
import type { PostgresSession } from './postgres-session.ts';
import { createSearchTexts } from './search-texts.ts';
import { CorruptLogEntryError } from './store-errors.ts';
import { checkReadAfter, validNewEntry } from './store-validation.ts';

export interface PostgresLogParts {
  /** Every append runs on the session: an instance that lost it can no longer append. */
  session: PostgresSession;
  /** Reads go to the pool, beside the appends. */
  pool: Pool;
  instanceId: string;
  database: string;
  assertOpen(): void;
  onListenerError(error: unknown): void;
}

/**
 * The log in PostgreSQL: one row per entry in `log_entries`. Appends are single statements
 * (postgres-append.ts) queued on the session, so they commit, and are announced, in the order
 * they were made.
 */
export function createPostgresLog({
  session,
  pool,
  instanceId,
  database,
  assertOpen,
  onListenerError,
}: PostgresLogParts): ConversationLog & {
  clearListeners(): void;
  /** A deleted conversation: the text it was streaming is not waited for any more. */
  forget(conversationId: string): void;
} {
  const appended = createListeners<readonly LogEntry[]>(onListenerError);
  // Planned on the session, so the runs of deltas follow the appends in the order they commit.
  const searchTexts = createSearchTexts();

  async function appendEntries(newEntries: readonly NewEntry[]): Promise<LogEntry[]> {
    assertOpen();
    // Schema refusals are found here, before anything is sent; the log's rules are the database's.
    const valid = newEntries.map(validNewEntry);
    if (valid.length === 0) return [];
    return session.run(async (client) => {
      const search = searchTexts.plan(valid);
      try {
        await client.query(appendStatement(valid, instanceId, search.texts));
        search.commit();
      } catch (error) {
        if (!isRefusal(error)) throw appendFailure(error, database);
        throw await explainRefusal(valid, error, (text, values) => pool.query(text, values));
      }
      const entries = valid.map(
        ({ conversationId, seq, event, at }): LogEntry => ({
          conversationId,
          seq,
          event,
          at,
          machineVersion: MACHINE_VERSION,
        }),
      );
      // Committed, and still in the session's queue: the next append waits for the listeners,
      // so they hear of the commits in order.
      appended.emit(entries);
      return entries;
    });
  }

  return {
    append: async (entry) => (await appendEntries([entry]))[0]!,
    appendBatch: appendEntries,
    async read(conversationId, afterSeq = 0, limit = Number.POSITIVE_INFINITY) {
      assertOpen();
      checkReadAfter(afterSeq, limit);
      // One statement: one snapshot of the log. LIMIT NULL is no limit.
      const { rows } = await pool.query<EventRow>(
        `SELECT conversation_id, seq, at, machine_version, event FROM log_entries
         WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
        [conversationId, afterSeq, Number.isFinite(limit) ? limit : null],
      );
      let expected = afterSeq + 1;
      return rows.map((row) => {
        // The keys make a gap impossible; a row removed by hand is still reported where it was.
        if (row.seq !== expected) {
          throw new CorruptLogEntryError(conversationId, expected, 'it is missing');
        }
        expected++;
        return decodeLogEntry(row);
      });
    },
    async lastSeq(conversationId) {
      assertOpen();
      const { rows } = await pool.query('SELECT last_seq FROM conversations WHERE id = $1', [
        conversationId,
      ]);
      return rows[0] ? lastSeqOf(rows[0], conversationId) : 0;
    },
    onAppended: (listener) => appended.add(listener),
    forget: (conversationId) => searchTexts.forget(conversationId),
    clearListeners: () => appended.clear(),
  };
}
