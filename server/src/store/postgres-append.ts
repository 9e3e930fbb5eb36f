import { MACHINE_VERSION } from '@tollgate/machines';
import { DatabaseError, type QueryConfig } from 'pg';
import { checkAppend } from './check-append.ts';
import type { NewEntry } from './conversation-log.ts';
import { conversationTitle } from './conversation-title.ts';
import { CONVERSATIONS_CHANNEL, LOG_CHANNEL } from './postgres-channels.ts';
import { lastSeqOf } from './postgres-rows.ts';
import type { SearchText } from './search-texts.ts';
import { EventStoreError, SeqConflictError } from './store-errors.ts';

/**
 * An append as ONE statement, so that it is its own transaction and takes one round trip: the
 * entries, their command ids, each conversation's new head and title, the grants of "Always allow
 * everywhere" and "Always allow" decisions (and the revocations of the latter), and the
 * notifications (delivered at commit, to every instance, this one included). The database refuses
 * what breaks the log: a taken seq (the primary key), a skipped one or an unknown conversation
 * (the foreign keys, checked at the end of the statement, so a batch may hold seqs 4, 5 and 6 of
 * one conversation), a command already applied (the commands key). Whatever is refused, nothing of
 * the statement is written, its grants included.
 */
const APPEND_SQL = `
  WITH input AS (
    SELECT * FROM unnest(
        $1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $9::text[],
        $14::text[], $15::text[], $16::text[], $17::text[], $18::text[]
      ) WITH ORDINALITY AS input (conversation_id, seq, at, event, command_id, title, renamed,
        grant_tool, grant_server, always_tool, always_server, revoked_tool, position)
  ),
  entries AS (
    INSERT INTO log_entries (conversation_id, seq, at, machine_version, event)
    SELECT conversation_id, seq, at, $7, event FROM input
  ),
  commands AS (
    INSERT INTO commands (conversation_id, command_id)
    SELECT conversation_id, command_id FROM input WHERE command_id IS NOT NULL
  ),
  texts AS (
    INSERT INTO search_texts (conversation_id, seq, anchor, text)
    SELECT * FROM unnest($10::text[], $11::bigint[], $12::text[], $13::text[])
  ),
  grants AS (
    -- An "Always allow everywhere" decision's grant, for the conversation's owner ('' for the
    -- single owner); a grant of the same tool already kept stays (tool-grants.ts).
    INSERT INTO tool_grants (owner, tool_name, server, conversation_id, seq, granted_at)
    SELECT coalesce(conversations.owner, ''), grant_tool, grant_server, input.conversation_id,
      input.seq, input.at
    FROM input JOIN conversations ON conversations.id = input.conversation_id
    WHERE grant_tool IS NOT NULL
    ON CONFLICT (owner, server, tool_name) DO NOTHING
  ),
  always AS (
    -- "Always allow" in one conversation: the first decision stays until a revoke removes it.
    INSERT INTO conversation_grants (conversation_id, tool_name, server, seq, granted_at)
    SELECT conversation_id, always_tool, always_server, seq, at FROM input
    WHERE always_tool IS NOT NULL
    ON CONFLICT (conversation_id, tool_name) DO NOTHING
  ),
  revoked AS (
    DELETE FROM conversation_grants USING input
    WHERE input.revoked_tool IS NOT NULL
      AND conversation_grants.conversation_id = input.conversation_id
      AND conversation_grants.tool_name = input.revoked_tool
  ),
  heads AS (
    SELECT conversation_id, max(seq) AS last_seq, max(at) AS last_at,
      -- The first person's message of the batch gives the title, if the conversation has none.
      (array_agg(title ORDER BY position) FILTER (WHERE title IS NOT NULL))[1] AS title,
      -- The last rename of the batch replaces any title.
      (array_agg(renamed ORDER BY position DESC) FILTER (WHERE renamed IS NOT NULL))[1] AS renamed
    FROM input GROUP BY conversation_id
  ),
  moved AS (
    UPDATE conversations SET
      last_seq = heads.last_seq,
      updated_at = greatest(conversations.updated_at, heads.last_at),
      title = coalesce(heads.renamed, conversations.title, heads.title)
    FROM heads WHERE conversations.id = heads.conversation_id
    RETURNING conversations.id, heads.last_seq,
      heads.title IS NOT NULL OR heads.renamed IS NOT NULL AS listed
  )
  SELECT
    pg_notify('${LOG_CHANNEL}', $8 || ' ' || id || ' ' || last_seq),
    CASE WHEN listed THEN pg_notify('${CONVERSATIONS_CHANNEL}', id) END
  FROM moved`;

/**
 * The statement appending `entries` (checked already: valid events, at least one entry), and the
 * search texts they complete, for the instance `instanceId`. Named, so each session parses it
 * once.
 */
export function appendStatement(
  entries: readonly NewEntry[],
  instanceId: string,
  texts: readonly SearchText[] = [],
): QueryConfig {
  const columns = {
    conversationIds: [] as string[],
    seqs: [] as number[],
    ats: [] as number[],
    events: [] as string[],
    commandIds: [] as (string | null)[],
    // A person's message, as the title it would give: it also puts the conversation anew in the
    // list (CONVERSATIONS_CHANNEL), even if it has a title already.
    titles: [] as (string | null)[],
    renamed: [] as (string | null)[],
    // An "Always allow everywhere" decision: the tool and server of the grant written with it.
    grantTools: [] as (string | null)[],
    grantServers: [] as (string | null)[],
    // "Always allow" in one conversation, and its revocation.
    alwaysTools: [] as (string | null)[],
    alwaysServers: [] as (string | null)[],
    revokedTools: [] as (string | null)[],
  };
  for (const { conversationId, seq, at, event } of entries) {
    columns.conversationIds.push(conversationId);
    columns.seqs.push(seq);
    columns.ats.push(at);
    columns.events.push(JSON.stringify(event));
    columns.commandIds.push('commandId' in event ? event.commandId : null);
    columns.titles.push(event.type === 'user.message' ? conversationTitle(event.text) : null);
    columns.renamed.push(event.type === 'conversation.renamed' ? event.title : null);
    const grant = event.type === 'tool.approve' ? event.grant : undefined;
    const everywhere = event.type === 'tool.approve' && event.scope === 'everywhere';
    const always = event.type === 'tool.approve' && event.scope === 'always';
    const granted = everywhere && grant?.server !== undefined ? grant : undefined;
    columns.grantTools.push(granted?.toolName ?? null);
    columns.grantServers.push(granted?.server ?? null);
    columns.alwaysTools.push(always && grant ? grant.toolName : null);
    columns.alwaysServers.push(always && grant ? (grant.server ?? '') : null);
    columns.revokedTools.push(event.type === 'policy.revoke' ? event.toolName : null);
  }
  return {
    name: 'tollgate_append',
    text: APPEND_SQL,
    values: [
      columns.conversationIds,
      columns.seqs,
      columns.ats,
      columns.events,
      columns.commandIds,
      columns.titles,
      MACHINE_VERSION,
      instanceId,
      columns.renamed,
      texts.map((text) => text.conversationId),
      texts.map((text) => text.seq),
      texts.map((text) => text.anchor),
      texts.map((text) => text.text),
      columns.grantTools,
      columns.grantServers,
      columns.alwaysTools,
      columns.alwaysServers,
      columns.revokedTools,
    ],
  };
}

/** Whether the database refused an append for breaking one of the log's keys. */
export function isRefusal(error: unknown): boolean {
  // 23505: unique_violation (a taken seq, a repeated command); 23503: foreign_key_violation (a
  // skipped seq, an unknown conversation).
  return error instanceof DatabaseError && (error.code === '23505' || error.code === '23503');
}

/** What the explanation of a refusal needs to read: rows of the conversations and commands. */
export type Reader = (
  text: string,
  values: unknown[],
) => Promise<{ rows: Record<string, unknown>[] }>;

/**
 * The error for an append the database refused, the same one (and in the same words) the other
 * implementations throw: the log as it stands now is read, and the entries are checked against
 * it in order. If it has moved on since (another instance appended in between), and the entries
 * now pass, the refusal was still a conflict over the seq.
 */
export async function explainRefusal(
  entries: readonly NewEntry[],
  refusal: unknown,
  read: Reader,
): Promise<Error> {
  const ids = [...new Set(entries.map((entry) => entry.conversationId))];
  const commandIds = entries.flatMap(({ event }) =>
    'commandId' in event ? [event.commandId] : [],
  );
  const heads = await read('SELECT id, last_seq FROM conversations WHERE id = ANY($1)', [ids]);
  const known = await read(
    'SELECT conversation_id, command_id FROM commands WHERE conversation_id = ANY($1) AND command_id = ANY($2)',
    [ids, commandIds],
  );
  const lastSeqs = new Map(
    heads.rows.map((row) => [row.id as string, lastSeqOf(row, row.id as string)]),
  );
  const commands = new Set(known.rows.map((row) => `${row.conversation_id} ${row.command_id}`));
  try {
    checkAppend(entries, {
      lastSeq: (conversationId) => lastSeqs.get(conversationId),
      hasCommand: (conversationId, commandId) => commands.has(`${conversationId} ${commandId}`),
    });
  } catch (error) {
    return error as Error;
  }
  const first = entries[0]!;
  const error = new SeqConflictError(
    first.conversationId,
    first.seq,
    lastSeqs.get(first.conversationId) ?? 0,
  );
  error.cause = refusal;
  return error;
}

/** An append that failed for another reason than a refusal of the log's rules. */
export function appendFailure(error: unknown, database: string): Error {
  if (error instanceof EventStoreError) return error;
  const message = (error as Error).message;
  // The server answered with an error: the statement, its own transaction, was rolled back. Any
  // other failure (the connection broke) leaves it unknown whether it committed.
  const failure = new EventStoreError(
    error instanceof DatabaseError
      ? `the PostgreSQL database ${database} refused the append, and wrote nothing: ${message}`
      : `the append to the PostgreSQL database ${database} failed, and may or may not have been written: ${message}`,
  );
  failure.cause = error;
  return failure;
}
