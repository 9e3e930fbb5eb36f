import { Client, type ClientConfig, escapeIdentifier } from 'pg';
import { createListeners } from './listeners.ts';
import { EventStoreError } from './store-errors.ts';

/** A call refused because the store's session with PostgreSQL is gone (until it reconnects). */
export class SessionLostError extends EventStoreError {
  override name = 'SessionLostError';
}

/** Where the session reports what it does on its own (losing and regaining the server). */
export interface SessionLogger {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

export interface SessionOptions {
  config: ClientConfig;
  /** The database's name, for messages (never the URL, which may hold a password). */
  database: string;
  /** The channels the session LISTENs to, again after every reconnect. */
  channels: readonly string[];
  onNotification(channel: string, payload: string): void;
  onListenerError(error: unknown): void;
  logger: SessionLogger;
  /** The wait before the first reconnect attempt, doubled after each failure up to `maxRetryMs`. */
  firstRetryMs?: number;
  maxRetryMs?: number;
}

/**
 * The store's one dedicated connection ("the session"). It holds the cluster's advisory locks,
 * carries the LISTENs and performs every append, so that the locks and the right to append end
 * together: once the session is gone this instance owns nothing and can append nothing. The
 * session is then reconnected (with backoff); the new one owns nothing either until it claims.
 */
export interface PostgresSession {
  /**
   * Runs `work` on the session, after every work queued before it has finished: the session's
   * statements never interleave, and their outcomes are seen in the order they were queued.
   * Refused with `SessionLostError` while the session is lost, and after `close`.
   */
  run<T>(work: (client: Client) => Promise<T>): Promise<T>;
  /** Whether the session is up now. */
  healthy(): boolean;
  /** Told once per loss, before any reconnect attempt. */
  onLost(listener: (error: unknown) => void): () => void;
  /** Told when a new session is up (listening again) after a loss. */
  onRestored(listener: () => void): () => void;
  /** Ends the session; what is queued is refused. Idempotent. */
  close(): Promise<void>;
}

/** Connects the session (rejecting if the server cannot be reached now) and starts listening. */
export async function openPostgresSession(options: SessionOptions): Promise<PostgresSession> {
  const { config, database, channels, onNotification, logger } = options;
  const firstRetryMs = options.firstRetryMs ?? 250;
  const maxRetryMs = options.maxRetryMs ?? 2_000;
  const lost = createListeners<unknown>(options.onListenerError);
  const restored = createListeners<undefined>(options.onListenerError);
  let state: 'up' | 'lost' | 'closed' = 'up';
  let lostBecause: unknown;
  let retryTimer: NodeJS.Timeout | undefined;
  let reconnecting: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  let tail: Promise<unknown> = Promise.resolve();

  async function connect(): Promise<Client> {
    const client = new Client(config);
    // Until it is watched below, an error is reported by connect() or query() rejecting; without
    // a listener the 'error' event would crash the process.
    client.on('error', () => {});
    try {
      await client.connect();
      for (const channel of channels) await client.query(`LISTEN ${escapeIdentifier(channel)}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    client.on('notification', (message) => onNotification(message.channel, message.payload ?? ''));
    client.on('error', (error) => lose(client, error));
    client.on('end', () => lose(client, new Error('the connection ended')));
    return client;
  }

  let client = await connect();

  function lose(which: Client, error: unknown) {
    if (which !== client || state !== 'up') return;
    state = 'lost';
    lostBecause = error;
    logger.warn({ err: error, database }, 'lost the session with PostgreSQL; reconnecting');
    // Ended for good, so that if the server still has it, its locks go with it.
    void which.end().catch(() => {});
    lost.emit(error);
    retry(firstRetryMs);
  }

  function retry(delay: number) {
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      reconnecting = reconnect(delay).finally(() => {
        reconnecting = undefined;
      });
    }, delay);
  }

  async function reconnect(delay: number) {
    if (state !== 'lost') return;
    let next: Client;
    try {
      next = await connect();
    } catch (error) {
      if (state !== 'lost') return;
      logger.warn({ err: error, database }, 'PostgreSQL is still unreachable');
      retry(Math.min(delay * 2, maxRetryMs));
      return;
    }
    if (state !== 'lost') {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    state = 'up';
    lostBecause = undefined;
    logger.info({ database }, 'the session with PostgreSQL is back');
    restored.emit(undefined);
  }

  function refusal(): Error {
    if (state === 'closed') return new EventStoreError(`the store on ${database} is closed`);
    const reason = lostBecause instanceof Error ? lostBecause.message : String(lostBecause);
    return new SessionLostError(
      `the session with the PostgreSQL database ${database} is lost (${reason}); reconnecting`,
    );
  }

  return {
    run<T>(work: (client: Client) => Promise<T>): Promise<T> {
      if (state !== 'up') return Promise.reject(refusal());
      const result = tail.then(() => {
        if (state !== 'up') throw refusal();
        return work(client);
      });
      tail = result.catch(() => {});
      return result;
    },
    healthy: () => state === 'up',
    onLost: (listener) => lost.add(listener),
    onRestored: (listener) => restored.add(() => listener()),
    close() {
      if (closing) return closing;
      state = 'closed';
      clearTimeout(retryTimer);
      lost.clear();
      restored.clear();
      closing = (async () => {
        await reconnecting;
        // What runs finishes (an append in flight is answered); what waits behind it is refused.
        await tail;
        await client.end().catch(() => {});
      })();
      return closing;
    },
  };
}
