import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAppConfig } from '../../src/app-config.ts';
import { createWebHandler } from '../../src/http/web-handler.ts';
import type { Backoff } from '../../src/mcp/backoff.ts';
import { type RequestHandler, startTollgateServer } from '../../src/tollgate-server.ts';
import { type ClaudeEmulator, startClaudeEmulator } from '../claude-emulator/claude-emulator.ts';
import { silentLogger } from '../silent-logger.ts';

// The whole product in the test process: the Claude emulator, the real server (store, MCP hub
// with the built-in file tools, gateway) and the built page on one port.

let webHandler: RequestHandler | null | undefined;

/** The built page, read once per test file. */
function sharedWebHandler(): RequestHandler | null {
  webHandler ??= createWebHandler({ logger: silentLogger() });
  return webHandler;
}

export interface E2eStack {
  emulator: ClaudeEmulator;
  url: string;
  workspaceDir: string;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Waits between tries of a failed MCP server; a test that restarts one by hand lengthens them. */
  mcpBackoff?: Partial<Backoff>;
  /** Writes into the data folder before the server starts (a conversation's log, say). */
  seed?: (dataDir: string) => Promise<void>;
}

export async function startStack(
  env: Record<string, string> = {},
  options: StackOptions = {},
): Promise<E2eStack> {
  const handler = sharedWebHandler();
  if (handler === null) throw new Error('The page is not built: run npm run build -w web first.');
  const emulator = await startClaudeEmulator();
  const root = await mkdtemp(join(tmpdir(), 'tollgate-e2e-'));
  const dataDir = join(root, 'data');
  const workspaceDir = join(root, 'workspace');
  await mkdir(dataDir, { recursive: true });
  await mkdir(workspaceDir, { recursive: true });
  const result = readAppConfig(
    {
      ANTHROPIC_API_KEY: 'test',
      ANTHROPIC_BASE_URL: emulator.url,
      PORT: '0',
      DATA_DIR: dataDir,
      WORKSPACE_DIR: workspaceDir,
      WRITE_CHUNK_BYTES: '64',
      WRITE_CHUNK_DELAY_MS: '15',
      ...env,
    },
    root,
  );
  if (!result.ok) throw new Error(result.problems.join('\n'));
  await options.seed?.(dataDir);
  const server = await startTollgateServer({
    config: result.config,
    logger: silentLogger(),
    webHandler: handler,
    ...(options.mcpBackoff ? { mcpBackoff: options.mcpBackoff } : {}),
  });
  return {
    emulator,
    url: server.url,
    workspaceDir,
    async close() {
      await server.close();
      await emulator.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
