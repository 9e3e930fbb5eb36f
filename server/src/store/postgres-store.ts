import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createConversationChanges } from './conversation-changes.ts';
import { createConversationDeletions } from './conversation-deletions.ts';
import { logListenerError } from './listeners.ts';
import {
  CONVERSATIONS_CHANNEL,
  DELETIONS_CHANNEL,
  INSTANCE_ID,
  LOG_CHANNEL,
  parseDeletionNotice,
  relayChannel,
} from './postgres-channels.ts';
import { createPostgresCheckpoints } from './postgres-checkpoints.ts';
import { createPostgresCluster } from './postgres-cluster.ts';
import { createPostgresCommandLedger } from './postgres-command-ledger.ts';
import { connectionConfig, databaseName } from './postgres-connection.ts';
import { createPostgresConversationIndex } from './postgres-conversation-index.ts';
import { createPostgresLog } from './postgres-log.ts';
import { createPostgresRelay, STALE_RELAY } from './postgres-relay.ts';
import { migrate } from './postgres-schema.ts';
import { backfillSearchTexts } from './postgres-search.ts';
import { openPostgresSession, type SessionLogger } from './postgres-session.ts';
import { createPostgresToolGrants } from './postgres-tool-grants.ts';
import type { Store } from './store.ts';
import { EventStoreError } from './store-errors.ts';

export interface PostgresStoreOptions {
  /**
   * Receives what a listener (`log.onAppended`, `conversations.onChanged`, the cluster's) throws;
   * the append that announced it has committed and is not failed by it. Logged to stderr by
   * default.
   */
  onListenerError?: (error: unknown) => void;
  /** This instance's id (letters, digits, _ and -, at most 40); a new UUID by default. */
  instanceId?: string;
  /** Where the store reports losing and regaining the server; stderr by default. */
  logger?: SessionLogger;
  /** Connections for reads and the like, beside the session (10 by default). */
  poolSize?: number;
  /** The first wait before reconnecting a lost session, doubled up to `maxRetryMs`. */
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** How often the session is checked, and how long it may not answer (postgres-session.ts). */
  livenessEveryMs?: number;
  livenessTimeoutMs?: number;
}

const consoleLogger: SessionLogger = {
  warn: (details, message) => console.warn(message, details),
  info: () => {},
};

/**
 * The store several server instances share: one PostgreSQL database (`DATABASE_URL`), migrated
 * at open. Each store object has one dedicated connection, the session (postgres-session.ts),
 * which holds this instance's claims and makes every append, and a pool for everything else.
 * An append is committed when its promise resolves.
 */
export async function openPostgresStore(
  url: string,
  {
    onListenerError = logListenerError,
    instanceId = randomUUID(),
    logger = consoleLogger,
    poolSize = 10,
    firstRetryMs,
    maxRetryMs,
    livenessEveryMs,
    livenessTimeoutMs,
  }: PostgresStoreOptions = {},
): Promise<Store> {
  if (!INSTANCE_ID.test(instanceId)) {
    throw new EventStoreError(`refused instance id ${JSON.stringify(instanceId)}`);
  }
  const database = databaseName(url);
  const config = connectionConfig(url, `tollgate ${instanceId}`);
  const pool = new Pool({ ...config, max: poolSize });
  // An idle connection the server closes (a restart) is reported here, not thrown: the pool makes
  // a new one for the next query.
  pool.on('error', (error) => logger.warn({ err: error, database }, 'a pooled connection failed'));

  let closed = false;
  const assertOpen = () => {
    if (closed) throw new EventStoreError(`the store on ${database} is closed`);
  };
  const changes = createConversationChanges(onListenerError);
  const deletions = createConversationDeletions(onListenerError);
  let deletionNotified = (_conversationId: string) => {};
  const relay = createPostgresRelay({ pool, instanceId, assertOpen, logger });
  let logNotified = (_payload: string) => {};

  let session: Awaited<ReturnType<typeof openPostgresSession>>;
  try {
    const client = await pool.connect();
    try {
      await migrate(client, database);
      await backfillSearchTexts(client);
      // Relayed commands whose sender died before collecting them.
      await client.query(
        `DELETE FROM relayed_commands WHERE created_at < now() - interval '${STALE_RELAY}'`,
      );
    } finally {
      client.release();
    }
    session = await openPostgresSession({
      config,
      database,
      channels: [LOG_CHANNEL, CONVERSATIONS_CHANNEL, DELETIONS_CHANNEL, relayChannel(instanceId)],
      onNotification(channel, payload) {
        if (channel === LOG_CHANNEL) logNotified(payload);
        // A macrotask later: this instance's own notification arrives just before its append
        // resolves, and the append's entries are announced (onAppended) first.
        else if (channel === CONVERSATIONS_CHANNEL) setImmediate(() => changes.changed(payload));
        else if (channel === DELETIONS_CHANNEL) {
          const deleted = parseDeletionNotice(payload);
          if (deleted) {
            deletionNotified(deleted.conversationId);
            deletions.deleted(deleted.conversationId, deleted.owner);
          }
        } else relay.notified(payload);
      },
      onListenerError,
      logger,
      firstRetryMs,
      maxRetryMs,
      livenessEveryMs,
      livenessTimeoutMs,
    });
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }

  const log = createPostgresLog({
    session,
    pool,
    instanceId,
    database,
    assertOpen,
    onListenerError,
  });
  const cluster = createPostgresCluster({
    session,
    pool,
    instanceId,
    relay,
    assertOpen,
    onListenerError,
  });
  logNotified = cluster.logNotified;
  deletionNotified = log.forget;
  session.onRestored(() => {
    relay.catchUp().catch((error) => logger.warn({ err: error }, 'could not catch up the relay'));
  });

  let closing: Promise<void> | undefined;
  return {
    log,
    conversations: createPostgresConversationIndex({
      pool,
      assertOpen,
      changes,
      deletions: { listen: deletions.listen },
    }),
    checkpoints: createPostgresCheckpoints({ pool, assertOpen }),
    commands: createPostgresCommandLedger({ pool, assertOpen }),
    grants: createPostgresToolGrants({ pool, assertOpen }),
    cluster,
    close() {
      closing ??= (async () => {
        closed = true;
        await relay.close();
        log.clearListeners();
        changes.clear();
        deletions.clear();
        cluster.clear();
        await session.close();
        await pool.end();
      })();
      return closing;
    },
  };
}
