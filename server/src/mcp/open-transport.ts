import type { Readable } from 'node:stream';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Logger } from '../logger.ts';
import type { McpServerConfig } from './mcp-config.ts';
import { followStderr, type StderrTail } from './stderr-tail.ts';

/** A fresh transport for one connection attempt (an SDK transport cannot be started twice). */
export function openTransport(
  config: McpServerConfig,
  logger: Logger,
): { transport: Transport; stderr: StderrTail } {
  if (config.transport === 'http') {
    const url = new URL(config.url);
    // The configured headers go with every request. SSEClientTransport also puts
    // `requestInit.headers` on the GET that opens its event stream (its EventSource fetch adds
    // them), so `eventSourceInit` is not needed.
    const requestInit = { headers: { ...config.headers } };
    return {
      transport:
        config.protocol === 'sse'
          ? new SSEClientTransport(url, { requestInit })
          : new StreamableHTTPClientTransport(url, { requestInit }),
      stderr: { lines: () => [] },
    };
  }
  // stderr is piped, not inherited: a server's logs go through our logger, tagged with its name.
  const transport = new StdioClientTransport({
    command: config.command,
    args: config.args,
    env: config.env,
    ...(config.cwd !== undefined ? { cwd: config.cwd } : {}),
    stderr: 'pipe',
  });
  // With 'pipe' the SDK hands out a PassThrough at once, so no early line is missed.
  return { transport, stderr: followStderr(transport.stderr as Readable | null, logger) };
}
