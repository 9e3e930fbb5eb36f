import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerState } from '@tollgate/machines';
import type { Logger } from '../logger.ts';
import { type Backoff, backoffDelay } from './backoff.ts';
import { describeConnectError, describeLostServer } from './describe-connect-error.ts';
import { listAllTools } from './list-all-tools.ts';
import type { McpServerConfig } from './mcp-config.ts';
import { openTransport } from './open-transport.ts';
import { createProgressTap, type ProgressTap } from './progress-tap.ts';
import type { StderrTail } from './stderr-tail.ts';
import { TappedTransport } from './tapped-transport.ts';

/**
 * The same states the browser protocol shows (machines/src/protocol/server-message.ts):
 * `starting` (the first try), `ready`, `failed` (a retry is scheduled), `restarting` (any later
 * try: after a failure, or asked for).
 */
export type ServerState = McpServerState;

export interface ServerStatus {
  /** The server's configured name. */
  server: string;
  transport: 'stdio' | 'http';
  builtIn: boolean;
  state: ServerState;
  /** Why the server failed (kept while a retry connects), for the person to act on. */
  error?: string;
  /**
   * The last lines it wrote to stderr before it failed (kept while a retry connects; bounded by
   * MCP_STDERR_TAIL); empty while starting or ready.
   */
  stderr: string[];
  /** How many tools it offers (the last list, while down). */
  tools: number;
  /**
   * Failed starts and crashes since the server last stayed up for `backoff.maxMs`; each doubles
   * the wait before the next try, so a server that crashes right after starting is not hammered.
   */
  failures: number;
  /** When the next try starts (epoch ms), while failed. */
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
  /**
   * Tries again now, whatever the backoff says, with the backoff started afresh: closes the
   * current connection (failing the calls running on it) and connects anew. Nothing happens while
   * a try is under way (starting or restarting): that try is the restart. Returns whether a try
   * began.
   */
  restart(): boolean;
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
  let stderrTail: string[] = [];
  let failures = 0;
  let attempts = 0;
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
    stderr: [...stderrTail],
    tools: tools.length,
    failures,
    ...(retryAt !== undefined ? { retryAt } : {}),
  });
  const changed = () => options.onChange(status());

  async function connect(): Promise<void> {
    if (closed) return;
    generation += 1;
    const attempt = generation;
    attempts += 1;
    state = attempts === 1 ? 'starting' : 'restarting';
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
      stderrTail = [];
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
      retryLater(describeConnectError(err, config, stderr.lines()), stderr.lines(), err);
    }
  }

  function lost(stderr: StderrTail): void {
    const attempt = generation;
    live = null;
    // A server that stayed up a while recovered: its next crash starts the backoff afresh.
    failures = Date.now() - readySince >= backoff.maxMs ? 1 : failures + 1;
    void nextTick().then(() => {
      if (attempt === generation) {
        retryLater(describeLostServer(config, stderr.lines()), stderr.lines());
      }
    });
  }

  function retryLater(message: string, lastStderr: string[], cause?: unknown): void {
    const delay = backoffDelay(backoff, failures);
    state = 'failed';
    error = message;
    stderrTail = lastStderr;
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
    restart() {
      if (closed || state === 'starting' || state === 'restarting') return false;
      logger.info({ state }, 'restarting the MCP server, as asked');
      // The new try's generation overtakes the scheduled retry and a crash being reported.
      clearTimeout(retryTimer);
      retryTimer = undefined;
      const old = live?.client;
      live = null;
      failures = 0;
      void old?.close().catch(() => undefined);
      void connect();
      return true;
    },
    async close() {
      generation += 1;
      clearTimeout(retryTimer);
      const clients = [live?.client, connecting].filter((c): c is Client => c != null);
      live = null;
      connecting = null;
      closed = true;
      state = 'failed';
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
