import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type ConversationEvent,
  type ConversationSummary,
  conversationEventSchema,
  type LogEntry,
  logEntrySchema,
  MACHINE_VERSION,
} from '@tollgate/machines';
import Database from 'better-sqlite3';
import { conversationTitle } from './conversation-title.ts';
import { decodeLogEntry, type EventRow } from './decode-log-entry.ts';
import type { Checkpoint, EventStore } from './event-store.ts';
import { migrate } from './sqlite-schema.ts';
import { CorruptLogEntryError, EventStoreError } from './store-errors.ts';

const conversationIdSchema = logEntrySchema.shape.conversationId;
const atSchema = logEntrySchema.shape.at;

/**
 * The embedded event store: one SQLite file (created with its directory if missing), owned by one
 * server process. Every call is synchronous; an append is in the file when it returns.
 */
export function openSqliteEventStore(file: string): EventStore {
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
    // The seq is computed in the INSERT itself, from the end of the conversation's key range: one
    // statement, so no other write can come between reading the last seq and using it.
    insertEvent: db.prepare<
      [string, string, string | null, number, number, string, string],
      { seq: number }
    >(
      `INSERT INTO events (conversation_id, seq, type, command_id, at, machine_version, event)
       SELECT ?, coalesce(max(seq), 0) + 1, ?, ?, ?, ?, ? FROM events WHERE conversation_id = ?
       RETURNING seq`,
    ),
    setTitle: db.prepare<[string, string]>(
      'UPDATE conversations SET title = ? WHERE id = ? AND title IS NULL',
    ),
    readEvents: db.prepare<[string, number], EventRow>(
      `SELECT conversation_id, seq, at, machine_version, event FROM events
       WHERE conversation_id = ? AND seq > ? ORDER BY seq`,
    ),
    lastSeq: db
      .prepare<[string], number>(
        'SELECT coalesce(max(seq), 0) FROM events WHERE conversation_id = ?',
      )
      .pluck(),
    createConversation: db.prepare<[string, number]>(
      'INSERT INTO conversations (id, created_at) VALUES (?, ?)',
    ),
    hasConversation: db
      .prepare<[string], number>('SELECT 1 FROM conversations WHERE id = ?')
      .pluck(),
    // Each conversation's last entry is one descent of the events key; the list is short enough
    // to sort without an index (which every append would otherwise have to update).
    listConversations: db.prepare<[], ConversationSummary>(
      `SELECT c.id, c.title, c.created_at AS createdAt,
         max(c.created_at, coalesce(last.at, 0)) AS updatedAt, coalesce(last.seq, 0) AS lastSeq
       FROM conversations c
       LEFT JOIN events last ON last.conversation_id = c.id
         AND last.seq = (SELECT max(seq) FROM events WHERE conversation_id = c.id)
       ORDER BY updatedAt DESC, createdAt DESC, c.id`,
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
        'SELECT 1 FROM events WHERE conversation_id = ? AND command_id = ?',
      )
      .pluck(),
  };

  const listeners = new Set<() => void>();
  let announcing = false;
  // Deferred to a microtask: the caller broadcasts the entry first, and a burst of messages in one
  // tick is announced once.
  function announceChange() {
    if (announcing || listeners.size === 0) return;
    announcing = true;
    queueMicrotask(() => {
      announcing = false;
      for (const listener of [...listeners]) listener();
    });
  }

  /** Checked before anything is written, so a refused event leaves the log as it was. */
  function validEvent(conversationId: string, event: ConversationEvent): ConversationEvent {
    const parsed = conversationEventSchema.safeParse(event);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`)
      .join('; ');
    const type = (event as { type?: unknown } | null)?.type;
    throw new EventStoreError(
      `refused to append an invalid ${typeof type === 'string' ? type : 'event'} to conversation ${conversationId}: ${issues}`,
    );
  }

  /** One validated event, as one INSERT (and a title for a person's first message). */
  function insert(conversationId: string, event: ConversationEvent, at: number): LogEntry {
    const commandId = 'commandId' in event ? event.commandId : null;
    let seq: number;
    try {
      // `all`, not `get`: `get` resets the statement after its first row, and a commit reached by
      // a reset skips SQLite's WAL hook, so the WAL would never be checkpointed and grow forever.
      const [row] = sql.insertEvent.all(
        conversationId,
        event.type,
        commandId,
        at,
        MACHINE_VERSION,
        JSON.stringify(event),
        conversationId,
      );
      seq = row!.seq;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new EventStoreError(`there is no conversation ${conversationId}`);
      }
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' && commandId !== null) {
        throw new EventStoreError(
          `command ${commandId} is already in the log of conversation ${conversationId}`,
        );
      }
      throw error;
    }
    if (event.type === 'user.message') {
      sql.setTitle.run(conversationTitle(event.text), conversationId);
    }
    return { conversationId, seq, event, at, machineVersion: MACHINE_VERSION };
  }

  // IMMEDIATE takes the write lock up front rather than upgrading a read lock half-way, which
  // another writer could make fail.
  const insertAll = db.transaction(
    (conversationId: string, events: readonly ConversationEvent[], at: number) =>
      events.map((event) => insert(conversationId, event, at)),
  ).immediate;

  function appendMany(
    conversationId: string,
    events: readonly ConversationEvent[],
    at: number,
  ): LogEntry[] {
    if (!atSchema.safeParse(at).success) {
      throw new EventStoreError(`refused an append time of ${at} (epoch milliseconds expected)`);
    }
    const valid = events.map((event) => validEvent(conversationId, event));
    const only = valid.length === 1 ? valid[0]! : null;
    // A lone fact (the streamed deltas, nearly every append) is a single statement, atomic by
    // itself: no BEGIN and COMMIT around it on the hot path.
    const entries =
      only && only.type !== 'user.message'
        ? [insert(conversationId, only, at)]
        : insertAll(conversationId, valid, at);
    if (valid.some((event) => event.type === 'user.message')) announceChange();
    return entries;
  }

  const insertBatch = db.transaction(
    (items: readonly { conversationId: string; event: ConversationEvent; at: number }[]) =>
      items.map((item) => insert(item.conversationId, item.event, item.at)),
  ).immediate;

  function appendBatch(
    items: readonly { conversationId: string; event: ConversationEvent; at: number }[],
  ): LogEntry[] {
    const valid = items.map((item) => {
      if (!atSchema.safeParse(item.at).success) {
        throw new EventStoreError(
          `refused an append time of ${item.at} (epoch milliseconds expected)`,
        );
      }
      return { ...item, event: validEvent(item.conversationId, item.event) };
    });
    if (valid.length === 0) return [];
    const entries = insertBatch(valid);
    if (valid.some((item) => item.event.type === 'user.message')) announceChange();
    return entries;
  }

  /** One SELECT, so it sees one consistent state of the log. */
  function readAll(conversationId: string, afterSeq: number): LogEntry[] {
    const entries: LogEntry[] = [];
    let expected = afterSeq + 1;
    for (const row of sql.readEvents.iterate(conversationId, afterSeq)) {
      if (row.seq !== expected) {
        throw new CorruptLogEntryError(conversationId, expected, 'it is missing');
      }
      entries.push(decodeLogEntry(row));
      expected++;
    }
    return entries;
  }

  return {
    append: (conversationId, event, at) => appendMany(conversationId, [event], at)[0]!,
    appendMany,
    appendBatch,
    read(conversationId, afterSeq = 0) {
      if (!Number.isInteger(afterSeq) || afterSeq < 0) {
        throw new EventStoreError(`cannot read after seq ${afterSeq}`);
      }
      return readAll(conversationId, afterSeq);
    },
    lastSeq: (conversationId) => sql.lastSeq.get(conversationId) ?? 0,

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
    },
    hasConversation: (conversationId) => sql.hasConversation.get(conversationId) !== undefined,
    listConversations: () => sql.listConversations.all(),
    onConversationsChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    saveCheckpoint(conversationId, seq, snapshot) {
      if (sql.hasConversation.get(conversationId) === undefined) {
        throw new EventStoreError(`there is no conversation ${conversationId}`);
      }
      const last = sql.lastSeq.get(conversationId) ?? 0;
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
