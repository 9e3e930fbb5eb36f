import type { Database } from 'better-sqlite3';

// Index i brings a database from version i to version i + 1. Steps are append-only: a file
// written by an older build is upgraded in place, one step after another.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    -- The first message a person sent, shortened; NULL until there is one.
    title TEXT,
    created_at INTEGER NOT NULL
  ) STRICT;

  -- An append writes this one b-tree and nothing else (no rowid table beside the key, no counter
  -- row to update): one page per commit, which is what bounds the append rate. The last seq and
  -- the last activity of a conversation are read off the end of its key range instead.
  CREATE TABLE events (
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    seq INTEGER NOT NULL CHECK (seq > 0),
    type TEXT NOT NULL,
    -- The client's idempotency key, for commands; NULL for facts (and then not indexed).
    command_id TEXT,
    at INTEGER NOT NULL,
    machine_version INTEGER NOT NULL,
    -- The event as JSON, exactly as the machine consumed it.
    event TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
  ) STRICT, WITHOUT ROWID;
  -- A command is applied once: a retried command is found here, and a second copy cannot be stored.
  CREATE UNIQUE INDEX events_by_command ON events (conversation_id, command_id)
    WHERE command_id IS NOT NULL;

  CREATE TABLE checkpoints (
    conversation_id TEXT PRIMARY KEY REFERENCES conversations (id),
    seq INTEGER NOT NULL,
    -- A snapshot is only read back by the machine version that wrote it.
    machine_version INTEGER NOT NULL,
    -- The persisted snapshot as JSON.
    snapshot TEXT NOT NULL
  ) STRICT;
  `,
  // The log becomes two tiers. Appends go to `recent_entries`, in append order: each commit
  // touches the end of one b-tree, however many conversations stream at once. (With one row per
  // entry keyed by conversation, many streaming conversations dirtied one page per entry:
  // docs/performance.md.) Every couple of thousand entries the store moves them into
  // `entry_segments`, rows of one conversation's entries each (log-segments.ts) as a JSON
  // array, which a read parses at once. A command's id goes to `commands` beside its entry, so a
  // retried command is still found and refused.
  `
  CREATE TABLE recent_entries (
    position INTEGER PRIMARY KEY,
    -- No foreign key: the store checks the conversation from its own list before every append.
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL CHECK (seq > 0),
    at INTEGER NOT NULL,
    machine_version INTEGER NOT NULL,
    -- The event as JSON, exactly as the machine consumed it.
    event TEXT NOT NULL
  ) STRICT;

  CREATE TABLE entry_segments (
    position INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    -- [[seq, at, machine_version, event], …] in seq order, the events verbatim.
    entries TEXT NOT NULL,
    -- sha256 of entries, hex, taken when the store wrote them (each event validated on append):
    -- a segment that still matches is read without validating each event again. NULL (segments
    -- made by this migration) means every event is validated when read.
    checksum TEXT
  ) STRICT;
  CREATE INDEX entry_segments_by_conversation ON entry_segments (conversation_id, last_seq);

  CREATE TABLE commands (
    conversation_id TEXT NOT NULL,
    command_id TEXT NOT NULL,
    PRIMARY KEY (conversation_id, command_id)
  ) STRICT, WITHOUT ROWID;

  INSERT INTO commands
    SELECT conversation_id, command_id FROM events WHERE command_id IS NOT NULL;
  INSERT INTO entry_segments (conversation_id, first_seq, last_seq, last_at, entries)
    SELECT conversation_id, min(seq), max(seq), max(at),
      -- An event that is not JSON (a damaged row) is carried over as a string: the migration
      -- goes through, and reading it later fails at its own seq, as it did before.
      json_group_array(json_array(seq, at, machine_version,
        CASE WHEN json_valid(event) THEN json(event) ELSE json_quote(event) END) ORDER BY seq)
    FROM events GROUP BY conversation_id, (seq - 1) / 1000 ORDER BY conversation_id, min(seq);
  DROP TABLE events;
  `,
  // Conversations get an owner: the person a trusted proxy named (TRUSTED_USER_HEADER,
  // docs/access.md), who alone lists and opens them. NULL is the single owner of a Tollgate
  // without people, as every conversation written before this step was.
  `
  ALTER TABLE conversations ADD COLUMN owner TEXT;
  CREATE INDEX conversations_by_owner ON conversations (owner);
  `,
  // Search (conversation-search.ts): the texts a search looks through, one row per person's
  // message and per block of Claude's text, written in the append's transaction
  // (search-texts.ts). The conversations logged before this step are listed in
  // `search_backfill`, and their texts are written from their logs when the store opens.
  `
  CREATE TABLE search_texts (
    position INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    -- The entry the text starts at.
    seq INTEGER NOT NULL,
    -- The timeline item that shows it: u-<commandId> or a-<turn>.
    anchor TEXT NOT NULL,
    text TEXT NOT NULL
  ) STRICT;
  CREATE INDEX search_texts_by_conversation ON search_texts (conversation_id);
  CREATE TABLE search_backfill (conversation_id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
  INSERT INTO search_backfill SELECT id FROM conversations;
  `,
  // "Always allow everywhere" (tool-grants.ts): one row per person (owner '' for the single
  // owner), MCP server and tool, naming the log entry of the decision that made it.
  `
  CREATE TABLE tool_grants (
    owner TEXT NOT NULL,
    tool_name TEXT NOT NULL,
    server TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (owner, server, tool_name)
  ) STRICT, WITHOUT ROWID;
  `,
  // "Always allow" in one conversation (tool-grants.ts): one row per conversation and tool, written
  // and removed in the append's transaction (server '' when no server offered the tool).
  `
  CREATE TABLE conversation_grants (
    conversation_id TEXT NOT NULL,
    tool_name TEXT NOT NULL,
    server TEXT NOT NULL,
    seq INTEGER NOT NULL,
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, tool_name)
  ) STRICT, WITHOUT ROWID;
  `,
];

/** The version a file has once every step has run. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the file's tables to SCHEMA_VERSION, recorded in SQLite's `user_version` pragma. Safe to
 * run on every open; refuses a file written by a newer build rather than guess at its tables.
 */
export function migrate(db: Database): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `${db.name} has schema version ${version}; this build knows up to ${SCHEMA_VERSION}. Run a newer Tollgate.`,
      );
    }
    for (let step = version; step < SCHEMA_VERSION; step++) db.exec(MIGRATIONS[step]!);
    if (version !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
