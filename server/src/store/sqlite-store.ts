import { createConversationChanges } from './conversation-changes.ts';
import { createConversationDeletions } from './conversation-deletions.ts';
import { logListenerError } from './listeners.ts';
import { soleInstanceCluster } from './sole-instance-cluster.ts';
import { createSqliteCheckpoints } from './sqlite-checkpoints.ts';
import {
  type CompactionSchedule,
  createSqliteCompaction,
  logCompactionError,
} from './sqlite-compaction.ts';
import { assertOpen, openDatabase } from './sqlite-connection.ts';
import { createSqliteConversationIndex } from './sqlite-conversation-index.ts';
import { readHeads } from './sqlite-heads.ts';
import { createSqliteLog } from './sqlite-log.ts';
import { prepareStatements } from './sqlite-statements.ts';
import { createSqliteToolGrants } from './sqlite-tool-grants.ts';
import type { Store } from './store.ts';

export interface SqliteStoreOptions {
  /** Recent entries that make a compaction into segments due (smaller in tests). */
  compactAfter?: number;
  /**
   * Runs each step of a compaction after the last (setImmediate, so appends and everything else
   * run between steps); tests run them at once, or one by one.
   */
  scheduleCompaction?: CompactionSchedule;
  /** Receives why a compaction failed (its entries stay recent). Logged to stderr by default. */
  onCompactionError?: (error: unknown) => void;
  /**
   * Receives what a listener (`log.onAppended`, `conversations.onChanged`) throws; the append
   * that announced it has committed and is not failed by it. Logged to stderr by default.
   */
  onListenerError?: (error: unknown) => void;
}

/**
 * Enough for a compaction to write few, well-filled segments (with 200 conversations streaming,
 * about ten entries each), and few enough for the unindexed recent table to be scanned in well
 * under a millisecond. A compaction runs in steps (sqlite-compaction.ts), so its size is not a
 * pause.
 */
const COMPACT_AFTER = 2_000;

/**
 * The embedded store: one SQLite file (created with its directory if missing), owned by one
 * server process (a cluster of one), behind one connection that backs all four parts, so that an
 * append, its command id and the title it gives its conversation are one transaction. The work
 * of every call is done synchronously (SQLite is in-process); an append is in the file when its
 * promise is made.
 */
export function openSqliteStore(
  file: string,
  {
    compactAfter = COMPACT_AFTER,
    scheduleCompaction = setImmediate,
    onCompactionError = logCompactionError,
    onListenerError = logListenerError,
  }: SqliteStoreOptions = {},
): Store {
  const db = openDatabase(file);
  const sql = prepareStatements(db);
  const heads = readHeads(sql);
  const changes = createConversationChanges(onListenerError);
  const deletions = createConversationDeletions(onListenerError);
  const compaction = createSqliteCompaction({
    db,
    sql,
    compactAfter,
    schedule: scheduleCompaction,
    onError: onCompactionError,
  });
  const log = createSqliteLog({
    db,
    sql,
    heads,
    onPersonMessage: changes.changed,
    compaction,
    onListenerError,
  });
  return {
    log,
    conversations: createSqliteConversationIndex({
      db,
      sql,
      heads,
      changes,
      deletions,
      purge: log.purge,
    }),
    checkpoints: createSqliteCheckpoints({ db, sql, heads }),
    commands: {
      async has(conversationId, commandId) {
        assertOpen(db);
        return sql.hasCommand.get(conversationId, commandId) !== undefined;
      },
    },
    grants: createSqliteToolGrants(db),
    cluster: soleInstanceCluster(),
    async close() {
      if (!db.open) return;
      compaction.finish();
      // Cheap statistics upkeep SQLite recommends before closing a long-lived connection.
      db.pragma('optimize');
      db.close();
      log.clearListeners();
      changes.clear();
      deletions.clear();
    },
  };
}
