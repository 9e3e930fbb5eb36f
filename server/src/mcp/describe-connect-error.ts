import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from './mcp-config.ts';
import { isSchemaError } from './tool-call-error.ts';

/** Why a server could not be started or reached, in words a person can act on. */
export function describeConnectError(
  error: unknown,
  config: McpServerConfig,
  stderr: string[],
): string {
  const lastWords = lastOutput(stderr);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (config.transport === 'stdio') {
    if (code === 'ENOENT') {
      return `Cannot start the ${config.name} server: the command "${config.command}" was not found. Check mcpServers.${config.name}.command in the MCP config and PATH.`;
    }
    if (code === 'EACCES') {
      return `Cannot start the ${config.name} server: "${config.command}" is not executable.`;
    }
  }
  if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
    return `The ${config.name} server stopped before it finished starting.${lastWords}`;
  }
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
    return `The ${config.name} server did not answer the MCP handshake in time.${lastWords}`;
  }
  if (isSchemaError(error)) {
    return `The ${config.name} server answered with messages that are not valid MCP.${lastWords}`;
  }
  const reason = error instanceof Error ? describeCause(error) : String(error);
  const where = config.transport === 'http' ? ` at ${config.url}` : '';
  return `Cannot connect to the ${config.name} server${where}: ${reason}${lastWords}`;
}

/** Why a server that was working stopped. */
export function describeLostServer(config: McpServerConfig, stderr: string[]): string {
  return `The ${config.name} server stopped unexpectedly; restarting it.${lastOutput(stderr)}`;
}

function describeCause(error: Error): string {
  // fetch failures carry the useful part (ECONNREFUSED…) in `cause`.
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

function lastOutput(stderr: string[]): string {
  const last = stderr.at(-1);
  return last ? ` Its last output: "${last.slice(0, 300)}"` : '';
}
