import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StdioServerConfig } from './mcp-config.ts';

/** The name the built-in file tools are known by, in status, logs and `tool.started`. */
export const BUILT_IN_SERVER_NAME = 'tollgate-files';

// Resolved from this file rather than the working directory, so the server finds its tools
// wherever it is started from. The server never imports mcp-tools: it only runs its build.
const STDIO_ENTRY = fileURLToPath(new URL('../../../mcp-tools/dist/stdio.js', import.meta.url));

export interface BuiltInToolServerEnv {
  /** The only folder the tools may read or write. */
  workspaceDir: string;
  chunkBytes?: number;
  /** A pause after each chunk, to watch a small file stream; 0 in normal use. */
  chunkDelayMs?: number;
}

/** How to run the mcp-tools server over stdio; throws if it has not been built. */
export function builtInToolServer(env: BuiltInToolServerEnv): StdioServerConfig {
  if (!existsSync(STDIO_ENTRY)) {
    throw new Error(
      `The built-in tool server is not built (${STDIO_ENTRY} is missing): run npm run build -w mcp-tools (or npm run build).`,
    );
  }
  return {
    name: BUILT_IN_SERVER_NAME,
    transport: 'stdio',
    builtIn: true,
    command: process.execPath,
    args: [STDIO_ENTRY],
    env: {
      WORKSPACE_DIR: env.workspaceDir,
      ...(env.chunkBytes !== undefined ? { WRITE_CHUNK_BYTES: String(env.chunkBytes) } : {}),
      ...(env.chunkDelayMs !== undefined ? { WRITE_CHUNK_DELAY_MS: String(env.chunkDelayMs) } : {}),
    },
  };
}
