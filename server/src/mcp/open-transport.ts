import type { Readable } from 'node:stream';
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
    return {
      transport: new StreamableHTTPClientTransport(new URL(config.url), {
        requestInit: { headers: config.headers },
      }),
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
