import type { ClientBase } from 'pg';
import { EventStoreError } from './store-errors.ts';

// Index i brings a database from version i to version i + 1. Steps are append-only: a database
// written by an older build is upgraded in place, one step after another, by whichever instance
// starts first.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE conversations (
    id text PRIMARY KEY,
    created_at bigint NOT NULL,
    -- The person a trusted proxy named (docs/access.md); NULL is the single owner.
    owner text,
    -- The first message a person sent, shortened; NULL until there is one.
    title text,
    -- The head of the log, kept by the append that moves it (in the same statement), so that the
    -- list is one scan of this table rather than an aggregate over every entry.
    last_seq bigint NOT NULL DEFAULT 0,
    updated_at bigint NOT NULL
  );
  CREATE INDEX conversations_by_owner ON conversations (owner);

  CREATE TABLE log_entries (
    conversation_id text NOT NULL
      CONSTRAINT log_entries_conversation_exists REFERENCES conversations (id),
    seq bigint NOT NULL CHECK (seq > 0),
    at bigint NOT NULL,
    machine_version integer NOT NULL,
    -- The event as JSON text, exactly as the machine consumed it. Not jsonb: jsonb refuses a
    -- string holding U+0000, which a tool's output may carry, and would reorder the keys.
    event text NOT NULL,
    -- The entry this one follows, which must exist: with the primary key, the database itself
    -- refuses a seq that is taken or that skips ahead, whichever instance (or hand) writes it.
    previous_seq bigint GENERATED ALWAYS AS (NULLIF(seq - 1, 0)) STORED,
    PRIMARY KEY (conversation_id, seq),
    CONSTRAINT log_entries_previous_exists FOREIGN KEY (conversation_id, previous_seq)
      REFERENCES log_entries (conversation_id, seq)
  );

  -- A command is applied once: a retried command is found here, and a second copy cannot be stored.
  CREATE TABLE commands (
    conversation_id text NOT NULL REFERENCES conversations (id),
    command_id text NOT NULL,
    PRIMARY KEY (conversation_id, command_id)
  );

  CREATE TABLE checkpoints (
    conversation_id text PRIMARY KEY REFERENCES conversations (id),
    seq bigint NOT NULL,
    -- A snapshot is only read back by the machine version that wrote it.
    machine_version integer NOT NULL,
    -- The persisted snapshot as JSON text (text for the same reason as the events).
    snapshot text NOT NULL
  );

  -- Which instance owns each conversation's live actor, as last recorded. The advisory lock on
  -- the owner's session is what makes it the owner; this row only tells the others where it is.
  CREATE TABLE conversation_owners (
    conversation_id text PRIMARY KEY,
    instance_id text NOT NULL,
    claimed_at timestamptz NOT NULL DEFAULT now()
  );

  -- Commands passed from the instance a tab is connected to (the sender) to the conversation's
  -- owner, and the owner's answer. A row lives for one round trip: the sender deletes it.
  CREATE TABLE relayed_commands (
    id uuid PRIMARY KEY,
    sender_instance_id text NOT NULL,
    owner_instance_id text NOT NULL,
    conversation_id text NOT NULL,
    -- The command as JSON text.
    command text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Set by the owner when it starts the command, so that it is run once.
    taken_at timestamptz,
    -- The outcome as JSON text, once the owner has one.
    outcome text
  );
  CREATE INDEX relayed_commands_by_owner ON relayed_commands (owner_instance_id)
    WHERE taken_at IS NULL;
  `,
  // Search (conversation-search.ts): the texts a search looks through, one row per person's
  // message and per block of Claude's text, written by the append's statement (search-texts.ts).
  // The conversations logged before this step are listed in `search_backfill`; the first
  // instance to open the store writes their texts from their logs (postgres-search.ts).
  `
  CREATE TABLE search_texts (
    id bigserial PRIMARY KEY,
    conversation_id text NOT NULL REFERENCES conversations (id),
    -- The entry the text starts at.
    seq bigint NOT NULL,
    -- The timeline item that shows it: u-<commandId> or a-<turn>.
    anchor text NOT NULL,
    text text NOT NULL
  );
  CREATE INDEX search_texts_by_conversation ON search_texts (conversation_id);
  CREATE TABLE search_backfill (conversation_id text PRIMARY KEY);
  INSERT INTO search_backfill SELECT id FROM conversations;
  `,
  // "Always allow everywhere" (tool-grants.ts): one row per person (owner '' for the single
  // owner), MCP server and tool, naming the log entry of the decision that made it.
  `
  CREATE TABLE tool_grants (
    owner text NOT NULL,
    tool_name text NOT NULL,
    server text NOT NULL,
    conversation_id text NOT NULL,
    seq integer NOT NULL,
    granted_at bigint NOT NULL,
    PRIMARY KEY (owner, server, tool_name)
  );
  `,
  // "Always allow" in one conversation (tool-grants.ts): one row per conversation and tool, written
  // and removed in the append's statement (server '' when no server offered the tool).
  `
  CREATE TABLE conversation_grants (
    conversation_id text NOT NULL,
    tool_name text NOT NULL,
    server text NOT NULL,
    seq integer NOT NULL,
    granted_at bigint NOT NULL,
    PRIMARY KEY (conversation_id, tool_name)
  );
  `,
];

/** The version a database has once every step has run. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * The key of the transaction-level advisory lock migrations run under, in the two-integer key
 * space (the conversations' locks use the one-bigint space, so they never collide with it).
 */
const MIGRATION_LOCK = [0x746f6c6c, 1] as const; // 'toll', 1

/**
 * Brings the database's tables to SCHEMA_VERSION, recorded in `schema_version`. Safe to run on
 * every start, by several instances at once: the first takes the lock and migrates, the others
 * wait for it and find nothing left to do. Refuses a database written by a newer build rather
 * than guess at its tables.
 */
export async function migrate(client: ClientBase, database: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_version (
         -- One row: the version of every other table.
         only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
         version integer NOT NULL
       )`,
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version');
    const version = rows[0]?.version ?? 0;
    if (version > SCHEMA_VERSION) {
      throw new EventStoreError(
        `the PostgreSQL database ${database} has schema version ${version}; this build knows up to ${SCHEMA_VERSION}. Run a newer Tollgate.`,
      );
    }
    for (let step = version; step < SCHEMA_VERSION; step++) await client.query(MIGRATIONS[step]!);
    if (version !== SCHEMA_VERSION) {
      await client.query(
        `INSERT INTO schema_version (version) VALUES ($1)
         ON CONFLICT (only_row) DO UPDATE SET version = excluded.version`,
        [SCHEMA_VERSION],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
