import type { Pool } from 'pg';
import type { Cluster } from './cluster.ts';
import { createListeners } from './listeners.ts';
import { parseLogNotice } from './postgres-channels.ts';
import type { createPostgresRelay } from './postgres-relay.ts';
import { textOrNull } from './postgres-rows.ts';
import type { PostgresSession } from './postgres-session.ts';

/**
 * Takes the conversation's lock on the session (a session-level advisory lock, so it lasts as
 * long as the session does, and no longer) and, if it got it, records this instance as the owner
 * for the others to find. One statement: the attempt is materialized once, the record follows it.
 */
const CLAIM_SQL = `
  WITH attempt AS MATERIALIZED (SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked),
  recorded AS (
    INSERT INTO conversation_owners (conversation_id, instance_id)
    SELECT $1, $2 FROM attempt WHERE locked
    ON CONFLICT (conversation_id) DO UPDATE
    SET instance_id = excluded.instance_id, claimed_at = now()
  )
  SELECT locked FROM attempt`;

/** Forgets this instance's record (another's stays) and lets the lock go. */
const RELEASE_SQL = `
  WITH forgotten AS (
    DELETE FROM conversation_owners WHERE conversation_id = $1 AND instance_id = $2
  )
  SELECT pg_advisory_unlock(hashtextextended($1, 0))`;

export interface PostgresClusterParts {
  session: PostgresSession;
  pool: Pool;
  instanceId: string;
  relay: ReturnType<typeof createPostgresRelay>;
  assertOpen(): void;
  onListenerError(error: unknown): void;
}

/**
 * The instances sharing one PostgreSQL database, as this one sees them. Ownership is the advisory
 * lock on this instance's session: when the session ends (the instance died, or lost the server)
 * the locks go with it, and another instance can claim. Since the session is also where every
 * append runs, an instance that lost its claims has lost the means to append under them too.
 */
export function createPostgresCluster({
  session,
  pool,
  instanceId,
  relay,
  assertOpen,
  onListenerError,
}: PostgresClusterParts): Cluster & { logNotified(payload: string): void; clear(): void } {
  /** The conversations this session holds the lock of. */
  const owned = new Set<string>();
  const logChanged = createListeners<[string, number]>(onListenerError);
  // Registered before anyone else's: by the time the owner's listeners hear of a loss, nothing is
  // owned any more.
  session.onLost(() => owned.clear());

  return {
    instanceId,
    async claim(conversationId) {
      assertOpen();
      // On the session's queue, so two claims (or a claim and a release) of one conversation
      // never overlap: the lock is taken once, and released once.
      return session.run(async (client) => {
        if (owned.has(conversationId)) return true;
        const { rows } = await client.query(CLAIM_SQL, [conversationId, instanceId]);
        const locked = rows[0]?.locked === true;
        if (locked) owned.add(conversationId);
        return locked;
      });
    },
    async release(conversationId) {
      assertOpen();
      return session.run(async (client) => {
        if (!owned.delete(conversationId)) return;
        await client.query(RELEASE_SQL, [conversationId, instanceId]);
      });
    },
    async ownerOf(conversationId) {
      assertOpen();
      const { rows } = await pool.query(
        'SELECT instance_id FROM conversation_owners WHERE conversation_id = $1',
        [conversationId],
      );
      return rows[0] ? textOrNull('conversation_owners', rows[0], 'instance_id') : null;
    },
    onLogChanged(listener) {
      return logChanged.add(([conversationId, lastSeq]) => listener(conversationId, lastSeq));
    },
    relay: (ownerInstanceId, conversationId, command, timeoutMs) =>
      relay.relay(ownerInstanceId, conversationId, command, timeoutMs),
    serve: (handler) => relay.serve(handler),
    healthy: () => session.healthy(),
    onLost: (listener) => session.onLost(listener),
    onRestored: (listener) => session.onRestored(listener),
    /** A notification of LOG_CHANNEL: another instance's commit (this one's are skipped). */
    logNotified(payload) {
      const notice = parseLogNotice(payload);
      if (!notice || notice.instanceId === instanceId) return;
      logChanged.emit([notice.conversationId, notice.lastSeq]);
    },
    clear() {
      owned.clear();
      logChanged.clear();
    },
  };
}
