import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type ConversationEvent,
  conversationEventSchema,
  type LogEntry,
  logEntrySchema,
  MACHINE_VERSION,
} from '@tollgate/machines';
import Database from 'better-sqlite3';
import { conversationTitle } from './conversation-title.ts';
import { decodeLogEntry, type EventRow, trustedEntry } from './decode-log-entry.ts';
import type { Checkpoint, EventStore } from './event-store.ts';
import { decodeSegment, encodeSegments, type RecentRow, type SegmentRow } from './log-segments.ts';
import { migrate } from './sqlite-schema.ts';
import { CorruptLogEntryError, EventStoreError } from './store-errors.ts';

const conversationIdSchema = logEntrySchema.shape.conversationId;
const atSchema = logEntrySchema.shape.at;

export interface SqliteEventStoreOptions {
  /** Recent entries that trigger a compaction into segments (smaller in tests). */
  compactAfter?: number;
}

interface Head {
  seq: number;
  /** The latest activity: the newest entry's time, or the creation time. */
  at: number;
}

interface AppendItem {
  conversationId: string;
  event: ConversationEvent;
  at: number;
}

/**
 * Enough for a compaction to write few, well-filled segments (with 200 conversations streaming,
 * about ten entries each) yet short enough to take a few milliseconds, and for the unindexed
 * recent table to be scanned in well under one.
 */
const COMPACT_AFTER = 2_000;

/**
 * The embedded event store: one SQLite file (created with its directory if missing), owned by one
 * server process. Every call is synchronous; an append is in the file when it returns.
 */
export function openSqliteEventStore(
  file: string,
  { compactAfter = COMPACT_AFTER }: SqliteEventStoreOptions = {},
): EventStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // A second process opening the file (a second server on the same data directory) waits this
    // long for the lock, then fails with the message below.
    db.pragma('busy_timeout = 1000');
    // One process owns the file: it takes the lock once and keeps it, instead of taking and
    // releasing file locks and the shared-memory index on every commit, which nearly halved the
    // time of an append in server/bench. Durability is the same. The price: nothing else can read
    // the file while the server runs (stop it to use the sqlite3 shell or copy the file), and a
    // second server on the same data is refused rather than allowed to fork the conversations.
    db.pragma('locking_mode = EXCLUSIVE');
    // WAL: a commit is one sequential append to the -wal file.
    db.pragma('journal_mode = WAL');
    // NORMAL with WAL syncs at checkpoints, not at every commit. A commit is in the OS's page
    // cache when the call returns, so it survives the process dying at any instant (a crash,
    // kill -9, an OOM kill): what the tests check, and what a server mostly meets. What it trades
    // away: on a power cut or kernel panic the commits since the WAL was last synced can be lost.
    // The file is never torn (it comes back as an earlier, consistent log), but seqs browsers
    // already saw may then be reused. FULL would fsync every append, a disk flush per streamed
    // delta; a deployment that needs it can change this one line.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new EventStoreError(
        `${file} is in use by another process (is another Tollgate server running on this data directory?)`,
      );
    }
    throw error;
  }

  const sql = {
    insertRecent: db.prepare<[string, number, number, number, string]>(
      `INSERT INTO recent_entries (conversation_id, seq, at, machine_version, event)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    insertCommand: db.prepare<[string, string]>(
      'INSERT INTO commands (conversation_id, command_id) VALUES (?, ?)',
    ),
    setTitle: db.prepare<[string, string]>(
      'UPDATE conversations SET title = ? WHERE id = ? AND title IS NULL',
    ),
    // Only segments with something after `afterSeq`: a reconnecting tab reads the last one or two.
    readSegments: db.prepare<[string, number], SegmentRow>(
      `SELECT first_seq, last_seq, entries, checksum FROM entry_segments
       WHERE conversation_id = ? AND last_seq > ? ORDER BY last_seq`,
    ),
    // A scan without an index: the table holds at most a compaction's worth of rows.
    readRecent: db.prepare<[string, number], EventRow>(
      `SELECT conversation_id, seq, at, machine_version, event FROM recent_entries
       WHERE conversation_id = ? AND seq > ? ORDER BY position`,
    ),
    allRecent: db
      .prepare<[], RecentRow>(
        'SELECT conversation_id, seq, at, machine_version, event FROM recent_entries ORDER BY position',
      )
      .raw(),
    insertSegment: db.prepare<[string, number, number, number, string, string]>(
      `INSERT INTO entry_segments (conversation_id, first_seq, last_seq, last_at, entries, checksum)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    clearRecent: db.prepare('DELETE FROM recent_entries'),
    countRecent: db.prepare<[], number>('SELECT count(*) FROM recent_entries').pluck(),
    createConversation: db.prepare<[string, number]>(
      'INSERT INTO conversations (id, created_at) VALUES (?, ?)',
    ),
    conversations: db.prepare<[], { id: string; title: string | null; createdAt: number }>(
      'SELECT id, title, created_at AS createdAt FROM conversations',
    ),
    conversation: db.prepare<[string], { id: string; title: string | null; createdAt: number }>(
      'SELECT id, title, created_at AS createdAt FROM conversations WHERE id = ?',
    ),
    segmentHeads: db.prepare<[], { id: string; seq: number; at: number }>(
      `SELECT conversation_id AS id, max(last_seq) AS seq, max(last_at) AS at
       FROM entry_segments GROUP BY conversation_id`,
    ),
    recentHeads: db.prepare<[], { id: string; seq: number; at: number }>(
      `SELECT conversation_id AS id, max(seq) AS seq, max(at) AS at
       FROM recent_entries GROUP BY conversation_id`,
    ),
    // An older checkpoint never replaces a newer one.
    saveCheckpoint: db.prepare<[string, number, number, string]>(
      `INSERT INTO checkpoints (conversation_id, seq, machine_version, snapshot) VALUES (?, ?, ?, ?)
       ON CONFLICT (conversation_id) DO UPDATE
       SET seq = excluded.seq, machine_version = excluded.machine_version, snapshot = excluded.snapshot
       WHERE excluded.seq >= checkpoints.seq`,
    ),
    latestCheckpoint: db.prepare<
      [string],
      { seq: number; machine_version: number; snapshot: string }
    >('SELECT seq, machine_version, snapshot FROM checkpoints WHERE conversation_id = ?'),
    hasCommand: db
      .prepare<[string, string], number>(
        'SELECT 1 FROM commands WHERE conversation_id = ? AND command_id = ?',
      )
      .pluck(),
  };

  // The store is the file's only writer (the exclusive lock above), so each conversation's last
  // seq and latest activity are kept here, read once at open, instead of being looked up in the
  // log at every append.
  const heads = new Map<string, Head>();
  for (const row of sql.conversations.all()) heads.set(row.id, { seq: 0, at: row.createdAt });
  for (const row of [...sql.segmentHeads.all(), ...sql.recentHeads.all()]) {
    const head = heads.get(row.id);
    if (!head) continue;
    head.seq = Math.max(head.seq, row.seq);
    head.at = Math.max(head.at, row.at);
  }
  let recentCount = sql.countRecent.get() ?? 0;

  const listeners = new Set<(conversationIds: string[]) => void>();
  const changed = new Set<string>();
  // Deferred to a microtask: the caller broadcasts the entry first, and a burst of messages in one
  // tick is announced once.
  function announceChange(conversationId: string) {
    if (listeners.size === 0) return;
    if (changed.size === 0) {
      queueMicrotask(() => {
        const ids = [...changed];
        changed.clear();
        for (const listener of [...listeners]) listener(ids);
      });
    }
    changed.add(conversationId);
  }

  /** Checked before anything is written, so a refused event leaves the log as it was. */
  function validItem(item: AppendItem): AppendItem {
    if (!atSchema.safeParse(item.at).success) {
      throw new EventStoreError(
        `refused an append time of ${item.at} (epoch milliseconds expected)`,
      );
    }
    const parsed = conversationEventSchema.safeParse(item.event);
    if (parsed.success) return { ...item, event: parsed.data };
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`)
      .join('; ');
    const type = (item.event as { type?: unknown } | null)?.type;
    throw new EventStoreError(
      `refused to append an invalid ${typeof type === 'string' ? type : 'event'} to conversation ${item.conversationId}: ${issues}`,
    );
  }

  /** Moves every recent entry into segments (log-segments.ts), inside the caller's transaction. */
  function compact() {
    for (const segment of encodeSegments(sql.allRecent.iterate())) {
      sql.insertSegment.run(
        segment.conversationId,
        segment.firstSeq,
        segment.lastSeq,
        segment.lastAt,
        segment.entries,
        segment.checksum,
      );
    }
    sql.clearRecent.run();
  }

  /**
   * Appends validated items, each with its conversation's next seq; compacts when the recent
   * entries reach `compactAfter`. Returns the new heads, for the caller to keep once committed.
   */
  function insertItems(items: readonly AppendItem[]) {
    const staged = new Map<string, Head>();
    const entries = items.map(({ conversationId, event, at }): LogEntry => {
      const head = staged.get(conversationId) ?? heads.get(conversationId);
      if (!head) throw new EventStoreError(`there is no conversation ${conversationId}`);
      const seq = head.seq + 1;
      if ('commandId' in event) {
        try {
          sql.insertCommand.run(conversationId, event.commandId);
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
            throw new EventStoreError(
              `command ${event.commandId} is already in the log of conversation ${conversationId}`,
            );
          }
          throw error;
        }
      }
      sql.insertRecent.run(conversationId, seq, at, MACHINE_VERSION, JSON.stringify(event));
      if (event.type === 'user.message') {
        sql.setTitle.run(conversationTitle(event.text), conversationId);
      }
      staged.set(conversationId, { seq, at: Math.max(head.at, at) });
      return { conversationId, seq, event, at, machineVersion: MACHINE_VERSION };
    });
    const compacting = recentCount + items.length >= compactAfter;
    if (compacting) compact();
    return { entries, staged, compacting };
  }
  // IMMEDIATE takes the write lock up front rather than upgrading a read lock half-way.
  const insertInTransaction = db.transaction(insertItems).immediate;

  function appendItems(items: readonly AppendItem[]): LogEntry[] {
    const valid = items.map(validItem);
    if (valid.length === 0) return [];
    const only = valid.length === 1 ? valid[0]! : null;
    // A lone fact that does not compact (not a command, so no command id and no title to record)
    // is one INSERT, atomic by itself: no BEGIN and COMMIT around it.
    const alone = only !== null && !('commandId' in only.event) && recentCount + 1 < compactAfter;
    const { entries, staged, compacting } = alone ? insertItems(valid) : insertInTransaction(valid);
    for (const [conversationId, head] of staged) heads.set(conversationId, head);
    recentCount = compacting ? 0 : recentCount + valid.length;
    for (const item of valid) {
      if (item.event.type === 'user.message') announceChange(item.conversationId);
    }
    return entries;
  }

  function summaryOf(row: { id: string; title: string | null; createdAt: number }) {
    const head = heads.get(row.id) ?? { seq: 0, at: row.createdAt };
    return { ...row, updatedAt: head.at, lastSeq: head.seq };
  }

  /** One SELECT per tier, so it sees one consistent state of the log. */
  function readAll(conversationId: string, afterSeq: number): LogEntry[] {
    const entries: LogEntry[] = [];
    let expected = afterSeq + 1;
    const take = (row: EventRow) => {
      if (row.seq <= afterSeq) return;
      if (row.seq !== expected) {
        throw new CorruptLogEntryError(conversationId, expected, 'it is missing');
      }
      entries.push(decodeLogEntry(row));
      expected++;
    };
    for (const segment of sql.readSegments.iterate(conversationId, afterSeq)) {
      const { rows, intact } = decodeSegment(conversationId, segment);
      if (intact) {
        // What the store validated and wrote, byte for byte (see decodeSegment).
        for (const row of rows) {
          if (row.seq <= afterSeq) continue;
          if (row.seq !== expected) {
            throw new CorruptLogEntryError(conversationId, expected, 'it is missing');
          }
          entries.push(trustedEntry(row));
          expected++;
        }
      } else {
        for (const row of rows) take(row);
      }
    }
    for (const row of sql.readRecent.iterate(conversationId, afterSeq)) take(row);
    return entries;
  }

  return {
    append: (conversationId, event, at) => appendItems([{ conversationId, event, at }])[0]!,
    appendMany: (conversationId, events, at) =>
      appendItems(events.map((event) => ({ conversationId, event, at }))),
    appendBatch: appendItems,
    read(conversationId, afterSeq = 0) {
      if (!Number.isInteger(afterSeq) || afterSeq < 0) {
        throw new EventStoreError(`cannot read after seq ${afterSeq}`);
      }
      return readAll(conversationId, afterSeq);
    },
    lastSeq: (conversationId) => heads.get(conversationId)?.seq ?? 0,

    createConversation({ id, createdAt }) {
      if (!conversationIdSchema.safeParse(id).success) {
        throw new EventStoreError(`refused conversation id ${JSON.stringify(id)}`);
      }
      if (!atSchema.safeParse(createdAt).success) {
        throw new EventStoreError(`refused creation time ${createdAt} for conversation ${id}`);
      }
      try {
        sql.createConversation.run(id, createdAt);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new EventStoreError(`conversation ${id} already exists`);
        }
        throw error;
      }
      heads.set(id, { seq: 0, at: createdAt });
      announceChange(id);
    },
    hasConversation: (conversationId) => heads.has(conversationId),
    listConversations: () =>
      sql.conversations
        .all()
        .map((row) => summaryOf(row))
        .sort(
          (a, b) =>
            b.updatedAt - a.updatedAt ||
            b.createdAt - a.createdAt ||
            (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
        ),
    conversation(conversationId) {
      const row = heads.has(conversationId) ? sql.conversation.get(conversationId) : undefined;
      return row ? summaryOf(row) : null;
    },
    onConversationsChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    saveCheckpoint(conversationId, seq, snapshot) {
      const last = heads.get(conversationId)?.seq;
      if (last === undefined) {
        throw new EventStoreError(`there is no conversation ${conversationId}`);
      }
      if (!Number.isInteger(seq) || seq < 0 || seq > last) {
        throw new EventStoreError(
          `refused a checkpoint at seq ${seq} of conversation ${conversationId}, whose log ends at ${last}`,
        );
      }
      sql.saveCheckpoint.run(conversationId, seq, MACHINE_VERSION, JSON.stringify(snapshot));
    },
    latestCheckpoint(conversationId): Checkpoint | null {
      const row = sql.latestCheckpoint.get(conversationId);
      // A snapshot is the shape of the machine that made it; after an upgrade the log is replayed
      // by the new machine instead of trusting an old snapshot's shape.
      if (!row || row.machine_version !== MACHINE_VERSION) return null;
      try {
        return { seq: row.seq, snapshot: JSON.parse(row.snapshot) };
      } catch (error) {
        throw new EventStoreError(
          `the checkpoint of conversation ${conversationId} at seq ${row.seq} is not JSON (${(error as Error).message})`,
        );
      }
    },

    hasCommand: (conversationId, commandId) =>
      sql.hasCommand.get(conversationId, commandId) !== undefined,

    close() {
      if (!db.open) return;
      // Cheap statistics upkeep SQLite recommends before closing a long-lived connection.
      db.pragma('optimize');
      db.close();
      listeners.clear();
    },
  };
}
