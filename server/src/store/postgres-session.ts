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
  /**
   * How often the session is checked while up, and how long its work may take before the
   * session counts as lost: a network cut without a reset would otherwise hold every append (and
   * the locks) until the operating system gives the connection up, which takes many minutes.
   */
  livenessEveryMs?: number;
  livenessTimeoutMs?: number;
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
  const livenessEveryMs = options.livenessEveryMs ?? 5_000;
  const livenessTimeoutMs = options.livenessTimeoutMs ?? 15_000;
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

  // Liveness: a trivial statement on the session's queue. Behind a stuck append it waits too, so
  // any session work that takes longer than livenessTimeoutMs counts as the session lost.
  let checking = false;
  const liveness = setInterval(() => {
    if (state !== 'up' || checking) return;
    checking = true;
    const which = client;
    const timer = setTimeout(
      () => lose(which, new Error(`PostgreSQL did not answer for ${livenessTimeoutMs} ms`)),
      livenessTimeoutMs,
    );
    timer.unref();
    const done = () => {
      clearTimeout(timer);
      checking = false;
    };
    session.run((current) => current.query('SELECT 1')).then(done, done);
  }, livenessEveryMs);
  liveness.unref();

  function lose(which: Client, error: unknown) {
    if (which !== client || state !== 'up') return;
    state = 'lost';
    lostBecause = error;
    logger.warn({ err: error, database }, 'lost the session with PostgreSQL; reconnecting');
    // Ended for good, so that if the server still has it, its locks go with it; the socket is
    // destroyed too, so that work still waiting on it fails now rather than when a dead network
    // finally times out.
    void which.end().catch(() => {});
    (
      which as unknown as { connection?: { stream?: { destroy(): void } } }
    ).connection?.stream?.destroy();
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
    // If the server still keeps the old session (the network dropped, not the server), it still
    // holds the old locks, and would until its own keepalive gives up: end it, so that what this
    // instance owned is free now, for it or for another instance.
    const previous = (client as unknown as { processID?: number }).processID;
    if (previous !== undefined) {
      await next
        .query(
          // Waits (up to 5 s) until it has ended and its locks are free, not only signalled.
          `SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
           WHERE pid = $1 AND application_name = $2`,
          [previous, config.application_name],
        )
        .catch((error) =>
          logger.warn({ err: error, database }, 'could not end the previous session'),
        );
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

  const session: PostgresSession = {
    run<T>(work: (client: Client) => Promise<T>): Promise<T> {
      if (state !== 'up') return Promise.reject(refusal());
      // Work asked of this session runs on it or not at all: never on the next one, which holds
      // none of this one's locks.
      const asked = client;
      const result = tail.then(() => {
        if (state !== 'up') throw refusal();
        if (client !== asked) {
          throw new SessionLostError(
            `the session with the PostgreSQL database ${database} this was asked of was lost before it ran`,
          );
        }
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
      clearInterval(liveness);
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
  return session;
}
