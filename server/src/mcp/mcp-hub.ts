import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ClaudeToolDefinition } from '../claude/claude-request.ts';
import type { Logger } from '../logger.ts';
import { type Backoff, DEFAULT_BACKOFF } from './backoff.ts';
import { createChunkLedger, type ToolChunk, type ToolProgress } from './chunk-ledger.ts';
import type { McpServerConfig } from './mcp-config.ts';
import { sdkProgressEvery } from './progress-tap.ts';
import { createServerConnection, type ServerStatus } from './server-connection.ts';
import { describeCallFailure, isSchemaError, ToolCallError } from './tool-call-error.ts';
import { readToolResult, type ToolCallResult } from './tool-call-result.ts';
import { buildToolCatalog, type ToolCatalogEntry, toClaudeTools } from './tool-catalog.ts';

export interface McpHubOptions {
  servers: McpServerConfig[];
  logger: Logger;
  /** Waits between restarts of a failed server; tests shorten them. */
  backoff?: Partial<Backoff>;
  /** For the handshake and tools/list. */
  requestTimeoutMs?: number;
  /** How long a call may go without a reply or any progress. */
  callTimeoutMs?: number;
}

export interface CallToolOptions {
  /** Aborting sends MCP's notifications/cancelled and fails the call as cancelled. */
  signal?: AbortSignal;
  /** Each chunk of a file as it is written, in order, the moment the transport reads it. */
  onChunk?: (chunk: ToolChunk) => void;
  /** Progress without content, from any tool that reports it. */
  onProgress?: (progress: ToolProgress) => void;
}

export interface McpHub {
  /** Connects to every server; resolves when each has connected or failed once. Never throws. */
  start(): Promise<void>;
  tools(): ToolCatalogEntry[];
  tool(claudeName: string): ToolCatalogEntry | undefined;
  /** What Claude is offered now: the tools of servers that are ready. */
  claudeTools(): ClaudeToolDefinition[];
  status(): ServerStatus[];
  /** Called with a server's status after each change; returns the unsubscribe. */
  onStatusChange(listener: (status: ServerStatus) => void): () => void;
  /**
   * Tries the server again now, its backoff started afresh (a person asked, from the page): a
   * ready one is closed and reconnected, a failed one stops waiting for its next try; while a try
   * is under way, that try is the restart. False when no server has that name.
   */
  restart(server: string): boolean;
  /** Runs a tool by its Claude name; throws ToolCallError when it cannot run or finish. */
  callTool(
    claudeName: string,
    input: Record<string, unknown>,
    options?: CallToolOptions,
  ): Promise<ToolCallResult>;
  close(): Promise<void>;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_CALL_TIMEOUT_MS = 5 * 60_000;

/**
 * The MCP client side of Tollgate: one connection per configured server, their tools under
 * Claude-safe names, and calls whose chunks are read from the transport in order and proven
 * complete against the tool's receipt.
 */
export function createMcpHub(options: McpHubOptions): McpHub {
  const logger = options.logger.child({ component: 'mcp-hub' });
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  assertDistinctNames(options.servers);

  const listeners = new Set<(status: ServerStatus) => void>();
  let catalog: ToolCatalogEntry[] | null = null;
  const connections = options.servers.map((config) =>
    createServerConnection({
      config,
      logger,
      backoff,
      requestTimeoutMs,
      onChange: (status) => {
        catalog = null;
        for (const listener of listeners) {
          try {
            listener(status);
          } catch (err) {
            logger.error({ err }, 'a status listener threw');
          }
        }
      },
    }),
  );
  const byName = new Map(connections.map((c) => [c.config.name, c]));

  const currentCatalog = () => {
    catalog ??= buildToolCatalog(connections);
    return catalog;
  };
  const tool = (name: string) => currentCatalog().find((entry) => entry.claudeName === name);

  async function callTool(
    claudeName: string,
    input: Record<string, unknown>,
    callOptions: CallToolOptions = {},
  ): Promise<ToolCallResult> {
    const entry = tool(claudeName);
    if (entry === undefined) {
      throw new ToolCallError('unknown_tool', `No MCP server offers a tool named ${claudeName}.`);
    }
    const connection = byName.get(entry.server)!;
    const session = connection.session();
    if (session === null) {
      const why = connection.status().error ?? 'it is not connected';
      throw new ToolCallError(
        'unavailable',
        `The ${entry.server} server is unavailable, so ${claudeName} cannot run: ${why}`,
      );
    }
    const context = { server: entry.server, tool: claudeName, timeoutMs: callTimeoutMs };
    // Our own controller, unlinked when the call ends: the SDK keeps its abort listener on the
    // signal, and aborting a finished call must not send a stray notifications/cancelled.
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(callOptions.signal?.reason ?? 'cancelled');
    if (callOptions.signal?.aborted) {
      throw new ToolCallError('cancelled', `${claudeName} was cancelled before it started.`);
    }
    callOptions.signal?.addEventListener('abort', forwardAbort, { once: true });
    const ledger = createChunkLedger({
      ...(callOptions.onChunk ? { onChunk: callOptions.onChunk } : {}),
      ...(callOptions.onProgress ? { onProgress: callOptions.onProgress } : {}),
    });
    const tapped = session.tap.register(
      (params) => ledger.receive(params),
      sdkProgressEvery(callTimeoutMs),
    );
    try {
      const raw = await session.client.callTool(
        { name: entry.mcpName, arguments: input, _meta: tapped.meta },
        undefined,
        {
          signal: controller.signal,
          // Delivery goes through the tap; this handler only makes the SDK ask for progress
          // and restart the timeout on each notification.
          onprogress: () => undefined,
          resetTimeoutOnProgress: true,
          timeout: callTimeoutMs,
        },
      );
      return readToolResult(raw, ledger, context);
    } catch (error) {
      const failure = describeCallFailure(error, {
        ...context,
        cancelled: controller.signal.aborted,
      });
      if (isBrokenConnection(error, controller.signal.aborted)) connection.reportBroken(error);
      throw failure;
    } finally {
      tapped.release();
      callOptions.signal?.removeEventListener('abort', forwardAbort);
    }
  }

  return {
    async start() {
      await Promise.all(connections.map((c) => c.start()));
    },
    tools: () => [...currentCatalog()],
    tool,
    claudeTools: () => toClaudeTools(currentCatalog()),
    status: () => connections.map((c) => c.status()),
    onStatusChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    restart(server) {
      const connection = byName.get(server);
      if (connection === undefined) return false;
      connection.restart();
      return true;
    },
    callTool,
    async close() {
      await Promise.all(connections.map((c) => c.close()));
      listeners.clear();
    },
  };
}

/** A failure of the link itself (fetch failed, pipe gone), not an answer from the server. */
function isBrokenConnection(error: unknown, cancelled: boolean): boolean {
  return (
    !cancelled &&
    !(error instanceof McpError) &&
    !(error instanceof ToolCallError) &&
    !isSchemaError(error)
  );
}

function assertDistinctNames(servers: readonly McpServerConfig[]): void {
  const seen = new Set<string>();
  for (const { name } of servers) {
    if (seen.has(name)) throw new Error(`Two MCP servers are named ${name}; names must differ.`);
    seen.add(name);
  }
}
