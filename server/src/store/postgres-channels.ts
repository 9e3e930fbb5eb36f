// The LISTEN/NOTIFY channels the instances sharing one database speak on, and their payloads.
// A notification is only a hint that names what changed: the rows are read from the tables, so a
// notification lost while a session was down costs a read after `onRestored`, never an entry.

/**
 * Every commit to the log, one notification per conversation it touched:
 * `<instanceId> <conversationId> <lastSeq>`. The instance id lets the writer skip its own.
 */
export const LOG_CHANNEL = 'tollgate_log';

/** A conversation created, or given a person's message (the list shows it anew): its id. */
export const CONVERSATIONS_CHANNEL = 'tollgate_conversations';

/** A conversation deleted: `{"id": …, "owner": …}` as JSON (an owner may hold any character). */
export const DELETIONS_CHANNEL = 'tollgate_deleted';

/** A DELETIONS_CHANNEL payload read back; null for one this build does not understand. */
export function parseDeletionNotice(
  payload: string,
): { conversationId: string; owner: string | null } | null {
  try {
    const { id, owner } = JSON.parse(payload) as { id?: unknown; owner?: unknown };
    if (typeof id !== 'string' || (owner !== null && typeof owner !== 'string')) return null;
    return { conversationId: id, owner };
  } catch {
    return null;
  }
}

/**
 * One instance's own channel, for the relay: `request <id>` (a command for it to run, as the
 * owner) and `outcome <id>` (the answer to a command it sent). 15 + 40 characters at most, under
 * PostgreSQL's 63 for a channel name.
 */
export function relayChannel(instanceId: string): string {
  return `tollgate_relay_${instanceId}`;
}

/** What an instance id may be: it is part of a channel name and of a space-separated payload. */
export const INSTANCE_ID = /^[A-Za-z0-9_-]{1,40}$/;

/** A LOG_CHANNEL payload read back; null for one this build does not understand. */
export function parseLogNotice(
  payload: string,
): { instanceId: string; conversationId: string; lastSeq: number } | null {
  // A conversation id may hold spaces; an instance id and a seq never do.
  const first = payload.indexOf(' ');
  const last = payload.lastIndexOf(' ');
  if (first <= 0 || last <= first + 1) return null;
  const lastSeq = Number(payload.slice(last + 1));
  if (!Number.isSafeInteger(lastSeq) || lastSeq < 1) return null;
  return {
    instanceId: payload.slice(0, first),
    conversationId: payload.slice(first + 1, last),
    lastSeq,
  };
}

/** A relay channel payload read back; null for one this build does not understand. */
export function parseRelayNotice(
  payload: string,
): { kind: 'request' | 'outcome'; id: string } | null {
  const match = /^(request|outcome) ([0-9a-f-]{36})$/.exec(payload);
  return match ? { kind: match[1] as 'request' | 'outcome', id: match[2]! } : null;
}
