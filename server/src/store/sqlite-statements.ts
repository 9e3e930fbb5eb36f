import type { Database } from 'better-sqlite3';
import type { EventRow } from './decode-log-entry.ts';
import type { RecentRow, SegmentRow } from './log-segments.ts';

/** Every statement the SQLite store runs, prepared once when it opens. */
export function prepareStatements(db: Database) {
  return {
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
    // A person's rename replaces any title, and a later message's does not replace it (above).
    renameTitle: db.prepare<[string, string]>('UPDATE conversations SET title = ? WHERE id = ?'),
    // An "Always allow everywhere" decision's grant, for the conversation's owner ('' for the
    // single owner): a grant of the same tool already kept stays (tool-grants.ts).
    insertGrant: db.prepare<[string, string, number, number, string]>(
      `INSERT INTO tool_grants (owner, tool_name, server, conversation_id, seq, granted_at)
       SELECT coalesce(owner, ''), ?, ?, id, ?, ? FROM conversations WHERE id = ?
       ON CONFLICT (owner, server, tool_name) DO NOTHING`,
    ),
    // "Always allow" in one conversation: the first decision stays until a revoke removes it.
    insertConversationGrant: db.prepare<[string, string, string, number, number]>(
      `INSERT INTO conversation_grants (conversation_id, tool_name, server, seq, granted_at)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (conversation_id, tool_name) DO NOTHING`,
    ),
    revokeConversationGrant: db.prepare<[string, string]>(
      'DELETE FROM conversation_grants WHERE conversation_id = ? AND tool_name = ?',
    ),
    deleteConversationGrants: db.prepare<[string]>(
      'DELETE FROM conversation_grants WHERE conversation_id = ?',
    ),
    insertSearchText: db.prepare<[string, number, string, string]>(
      'INSERT INTO search_texts (conversation_id, seq, anchor, text) VALUES (?, ?, ?, ?)',
    ),
    // LIKE with `\` as the escape (search-snippet.ts: likePattern), case-insensitive for ASCII.
    searchTitles: db.prepare<[string | null, string], ConversationRow & { title: string }>(
      `SELECT id, title, created_at AS createdAt FROM conversations
       WHERE owner IS ? AND title LIKE ? ESCAPE '\\'`,
    ),
    // A scan of the texts: a LIKE with a leading % can use no index.
    searchTexts: db.prepare<
      [string | null, string, number],
      { conversationId: string; title: string | null; seq: number; anchor: string; text: string }
    >(
      `SELECT s.conversation_id AS conversationId, c.title, s.seq, s.anchor, s.text
       FROM search_texts s JOIN conversations c ON c.id = s.conversation_id
       WHERE c.owner IS ? AND s.text LIKE ? ESCAPE '\\' ORDER BY s.position DESC LIMIT ?`,
    ),
    searchBackfill: db.prepare<[], string>('SELECT conversation_id FROM search_backfill').pluck(),
    clearSearchBackfill: db.prepare('DELETE FROM search_backfill'),
    deleteRecent: db.prepare<[string]>('DELETE FROM recent_entries WHERE conversation_id = ?'),
    deleteSegments: db.prepare<[string]>('DELETE FROM entry_segments WHERE conversation_id = ?'),
    deleteCommands: db.prepare<[string]>('DELETE FROM commands WHERE conversation_id = ?'),
    deleteCheckpoint: db.prepare<[string]>('DELETE FROM checkpoints WHERE conversation_id = ?'),
    deleteSearchTexts: db.prepare<[string]>('DELETE FROM search_texts WHERE conversation_id = ?'),
    deleteConversation: db.prepare<[string]>('DELETE FROM conversations WHERE id = ?'),
    // Only segments with something after `afterSeq`: a reconnecting tab reads the last one or two.
    readSegments: db.prepare<[string, number], SegmentRow>(
      `SELECT first_seq, last_seq, entries, checksum FROM entry_segments
       WHERE conversation_id = ? AND last_seq > ? ORDER BY last_seq`,
    ),
    // A scan without an index: the table holds about a compaction's worth of rows (at most four,
    // sqlite-compaction.ts; more only while compactions fail).
    readRecent: db.prepare<[string, number], EventRow>(
      `SELECT conversation_id, seq, at, machine_version, event FROM recent_entries
       WHERE conversation_id = ? AND seq > ? ORDER BY position`,
    ),
    /** A compaction's next rows: after position ?, up to position ?, at most ? of them. */
    recentRows: db
      .prepare<[number, number, number], RecentRow>(
        `SELECT position, conversation_id, seq, at, machine_version, event FROM recent_entries
         WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
      )
      .raw(),
    lastRecentPosition: db
      .prepare<[], number | null>('SELECT max(position) FROM recent_entries')
      .pluck(),
    insertSegment: db.prepare<[string, number, number, number, string, string]>(
      `INSERT INTO entry_segments (conversation_id, first_seq, last_seq, last_at, entries, checksum)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    clearRecentUpTo: db.prepare<[number]>('DELETE FROM recent_entries WHERE position <= ?'),
    countRecent: db.prepare<[], number>('SELECT count(*) FROM recent_entries').pluck(),
    createConversation: db.prepare<[string, number, string | null]>(
      'INSERT INTO conversations (id, created_at, owner) VALUES (?, ?, ?)',
    ),
    conversations: db.prepare<[], ConversationRow>(
      'SELECT id, title, created_at AS createdAt FROM conversations',
    ),
    // `IS`, not `=`: it matches NULL (the single owner) too, and still uses the index.
    conversationsOwnedBy: db.prepare<[string | null], ConversationRow>(
      'SELECT id, title, created_at AS createdAt FROM conversations WHERE owner IS ?',
    ),
    conversationOwner: db.prepare<[string], { owner: string | null }>(
      'SELECT owner FROM conversations WHERE id = ?',
    ),
    conversation: db.prepare<[string], ConversationRow>(
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
}

export type Statements = ReturnType<typeof prepareStatements>;

/** A `conversations` row as the list reads it. */
export interface ConversationRow {
  id: string;
  title: string | null;
  createdAt: number;
}
