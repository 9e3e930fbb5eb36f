import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ClaudeToolDefinition } from '../claude/claude-request.ts';
import { assignClaudeToolNames } from './claude-tool-names.ts';
import type { ServerConnection } from './server-connection.ts';

/** What a person is shown about a tool before approving a call, and how to reach it. */
export interface ToolCatalogEntry {
  /** The name Claude sees and calls. */
  claudeName: string;
  /** The MCP server that runs it, as configured. */
  server: string;
  /** Its name on that server. */
  mcpName: string;
  title?: string;
  description: string;
  inputSchema: ClaudeToolDefinition['input_schema'];
  /** The server's hints, e.g. to auto-approve read-only tools; hints, never guarantees. */
  annotations: {
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
  builtIn: boolean;
  /** False while its server is down: Claude is not offered it and a call fails. */
  available: boolean;
}

/** The built-in tool whose input (the file's content) Claude should stream as it writes it. */
const EAGER_BUILT_IN_TOOLS = new Set(['write_file']);

/** Every tool of every server in configuration order, named for Claude. */
export function buildToolCatalog(connections: readonly ServerConnection[]): ToolCatalogEntry[] {
  const listed = connections.flatMap((connection) =>
    connection.tools().map((tool) => ({ connection, tool })),
  );
  const names = assignClaudeToolNames(
    listed.map(({ connection, tool }) => ({
      server: connection.config.name,
      tool: tool.name,
      builtIn: connection.config.builtIn === true,
    })),
  );
  return listed.map(({ connection, tool }, i) =>
    catalogEntry(tool, {
      claudeName: names[i]!,
      server: connection.config.name,
      builtIn: connection.config.builtIn === true,
      available: connection.status().state === 'ready',
    }),
  );
}

type Placement = Pick<ToolCatalogEntry, 'claudeName' | 'server' | 'builtIn' | 'available'>;

function catalogEntry(tool: Tool, placement: Placement): ToolCatalogEntry {
  const { title: annotatedTitle, ...hints } = tool.annotations ?? {};
  const title = tool.title ?? annotatedTitle;
  const annotations: ToolCatalogEntry['annotations'] = {};
  for (const key of [
    'readOnlyHint',
    'destructiveHint',
    'idempotentHint',
    'openWorldHint',
  ] as const) {
    if (typeof hints[key] === 'boolean') annotations[key] = hints[key];
  }
  return {
    ...placement,
    mcpName: tool.name,
    ...(title !== undefined ? { title } : {}),
    description: tool.description ?? '',
    // MCP requires an object schema; the SDK has checked it, this makes it explicit for Claude.
    inputSchema: { ...tool.inputSchema, type: 'object' },
    annotations,
  };
}

/** The definitions Claude is offered: the available tools only. */
export function toClaudeTools(catalog: readonly ToolCatalogEntry[]): ClaudeToolDefinition[] {
  return catalog
    .filter((entry) => entry.available)
    .map((entry) => {
      const summary = entry.description.trim() || entry.title || entry.mcpName;
      return {
        name: entry.claudeName,
        description: `${summary}\n\n(Tool "${entry.mcpName}" of the MCP server "${entry.server}".)`,
        input_schema: entry.inputSchema,
        ...(entry.builtIn && EAGER_BUILT_IN_TOOLS.has(entry.mcpName)
          ? { eager_input_streaming: true }
          : {}),
      };
    });
}
