import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../logger.ts';
import { type Backoff, backoffDelay } from './backoff.ts';
import { describeConnectError, describeLostServer } from './describe-connect-error.ts';
import { listAllTools } from './list-all-tools.ts';
import type { McpServerConfig } from './mcp-config.ts';
import { openTransport } from './open-transport.ts';
import { createProgressTap, type ProgressTap } from './progress-tap.ts';
import type { StderrTail } from './stderr-tail.ts';
import { TappedTransport } from './tapped-transport.ts';

/** The same states the browser protocol shows (machines/src/protocol/server-message.ts). */
export type ServerState = 'starting' | 'ready' | 'unavailable';

export interface ServerStatus {
  /** The server's configured name. */
  server: string;
  transport: 'stdio' | 'http';
  builtIn: boolean;
  state: ServerState;
  /** Why the server is unavailable (kept while a retry connects), for the person to act on. */
  error?: string;
  /** How many tools it offers (the last list, while down). */
  tools: number;
  /**
   * Failed starts and crashes since the server last stayed up for `backoff.maxMs`; each doubles
   * the wait before the next try, so a server that crashes right after starting is not hammered.
   */
  failures: number;
  /** When the next try starts (epoch ms), while unavailable. */
  retryAt?: number;
}

/** A connected server: its client, and the tap that reads its progress in transport order. */
export interface LiveSession {
  client: Client;
  tap: ProgressTap;
}

export interface ServerConnection {
  readonly config: McpServerConfig;
  /** Resolves after the first attempt, whatever its outcome; never rejects. */
  start(): Promise<void>;
  status(): ServerStatus;
  /** The tools last listed (kept while the server is down, so names stay known). */
  tools(): readonly Tool[];
  /** Null unless ready. */
  session(): LiveSession | null;
  /** A call found the connection broken (an HTTP server has no process to watch): reconnect. */
  reportBroken(error: unknown): void;
  close(): Promise<void>;
}

export interface ServerConnectionOptions {
  config: McpServerConfig;
  logger: Logger;
  backoff: Backoff;
  /** For the handshake and each tools/list page. */
  requestTimeoutMs: number;
  /** Called after every change of status or tools. */
  onChange: (status: ServerStatus) => void;
}

/**
 * One configured server over its whole life: connect, list its tools, and when it cannot start or
 * stops, report why and try again after an exponential backoff, until closed. Each attempt gets a
 * new client and transport; an attempt overtaken by a newer one or by close() cleans up after
 * itself and changes nothing.
 */
export function createServerConnection(options: ServerConnectionOptions): ServerConnection {
  const { config, backoff, requestTimeoutMs } = options;
  const logger = options.logger.child({ mcpServer: config.name });
  let state: ServerState = 'starting';
  let closed = false;
  let error: string | undefined;
  let failures = 0;
  let retryAt: number | undefined;
  let tools: Tool[] = [];
  let live: LiveSession | null = null;
  let connecting: Client | null = null;
  let readySince = 0;
  let generation = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let firstAttempt: Promise<void> | undefined;

  const status = (): ServerStatus => ({
    server: config.name,
    transport: config.transport,
    builtIn: config.builtIn === true,
    state,
    ...(error !== undefined ? { error } : {}),
    tools: tools.length,
    failures,
    ...(retryAt !== undefined ? { retryAt } : {}),
  });
  const changed = () => options.onChange(status());

  async function connect(): Promise<void> {
    if (closed) return;
    generation += 1;
    const attempt = generation;
    state = 'starting';
    retryAt = undefined;
    changed();
    const tap = createProgressTap();
    const { transport, stderr } = openTransport(config, logger);
    const client = new Client(
      { name: 'tollgate', version: '0.1.0' },
      {
        capabilities: {},
        listChanged: {
          // Our own refresh, because the SDK's reads only the first page.
          tools: { autoRefresh: false, debounceMs: 100, onChanged: () => void refresh(attempt) },
        },
      },
    );
    // Includes "progress for an unknown token": the SDK's own dropped copies (#2580), harmless
    // here because the tap has already delivered them.
    client.onerror = (err) => logger.debug({ err }, 'MCP client error');
    client.onclose = () => {
      if (attempt === generation && live?.client === client) lost(stderr);
    };
    connecting = client;
    try {
      await client.connect(new TappedTransport(transport, tap), { timeout: requestTimeoutMs });
      const listed = await listAllTools(client, requestTimeoutMs);
      if (attempt !== generation) {
        void client.close();
        return;
      }
      connecting = null;
      live = { client, tap };
      tools = listed;
      state = 'ready';
      error = undefined;
      readySince = Date.now();
      logger.info({ tools: tools.length }, 'MCP server ready');
      changed();
    } catch (err) {
      if (connecting === client) connecting = null;
      // Not awaited: a stdio close may wait seconds for a process that never started.
      void client.close().catch(() => undefined);
      if (attempt !== generation) return;
      await nextTick(); // let the last stderr lines in before quoting them
      if (attempt !== generation) return;
      failures += 1;
      retryLater(describeConnectError(err, config, stderr.lines()), err);
    }
  }

  function lost(stderr: StderrTail): void {
    const attempt = generation;
    live = null;
    // A server that stayed up a while recovered: its next crash starts the backoff afresh.
    failures = Date.now() - readySince >= backoff.maxMs ? 1 : failures + 1;
    void nextTick().then(() => {
      if (attempt === generation) retryLater(describeLostServer(config, stderr.lines()));
    });
  }

  function retryLater(message: string, cause?: unknown): void {
    const delay = backoffDelay(backoff, failures);
    state = 'unavailable';
    error = message;
    retryAt = Date.now() + delay;
    logger.warn({ err: cause, failures, retryInMs: delay }, message);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
    retryTimer.unref();
    changed();
  }

  async function refresh(attempt: number): Promise<void> {
    const session = live;
    if (attempt !== generation || session === null) return;
    try {
      const listed = await listAllTools(session.client, requestTimeoutMs);
      if (attempt !== generation) return;
      tools = listed;
      changed();
    } catch (err) {
      logger.warn({ err }, 'could not refresh the tool list after a change');
    }
  }

  return {
    config,
    start() {
      firstAttempt ??= connect();
      return firstAttempt;
    },
    status,
    tools: () => tools,
    session: () => live,
    reportBroken(err) {
      const session = live;
      if (session === null) return;
      logger.warn({ err }, 'the connection broke; reconnecting');
      // Closing fires onclose, which restarts through lost().
      void session.client.close().catch(() => undefined);
    },
    async close() {
      generation += 1;
      clearTimeout(retryTimer);
      const clients = [live?.client, connecting].filter((c): c is Client => c != null);
      live = null;
      connecting = null;
      closed = true;
      state = 'unavailable';
      error = 'The MCP hub was closed.';
      retryAt = undefined;
      changed();
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    },
  };
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
