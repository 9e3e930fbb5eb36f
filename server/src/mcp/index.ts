// The MCP hub: connections to the configured MCP servers, their tools for Claude, and the
// machine's tool actor. Explicit named exports only.

export { type Backoff, DEFAULT_BACKOFF } from './backoff.ts';
export {
  BUILT_IN_SERVER_NAME,
  type BuiltInToolServerEnv,
  builtInToolServer,
} from './built-in-tool-server.ts';
export { CHUNK_META_KEY, type ToolChunk, type ToolProgress } from './chunk-ledger.ts';
export { assignClaudeToolNames, CLAUDE_TOOL_NAME, type ToolOrigin } from './claude-tool-names.ts';
export {
  type HttpServerConfig,
  McpConfigError,
  type McpServerConfig,
  parseMcpConfig,
  readMcpConfig,
  readMcpConfigFromEnv,
  type StdioServerConfig,
} from './mcp-config.ts';
export { type CallToolOptions, createMcpHub, type McpHub, type McpHubOptions } from './mcp-hub.ts';
export type { ServerState, ServerStatus } from './server-connection.ts';
export { createToolActor, type ToolActorDeps } from './tool-actor.ts';
export { ToolCallError, type ToolCallFailure } from './tool-call-error.ts';
export type { ToolCallResult } from './tool-call-result.ts';
export type { ToolCatalogEntry } from './tool-catalog.ts';
