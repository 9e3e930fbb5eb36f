import { afterEach, beforeEach } from 'vitest';
import { type ClaudeEmulator, startClaudeEmulator } from '../claude-emulator/claude-emulator.ts';
import { type ServerProcess, serverDirs, startServerProcess } from './server-process.ts';
import { connectClient, type WsTestClient } from './ws-test-client.ts';

export type ServerDirs = Awaited<ReturnType<typeof serverDirs>>;

/**
 * For each test of the calling file: a Claude emulator, and the real server process and WebSocket
 * clients the test starts on it; all of them stopped after the test (the server with SIGKILL).
 */
export function emulatedServerPerTest() {
  let emulator: ClaudeEmulator | undefined;
  let server: ServerProcess | undefined;
  const clients: WsTestClient[] = [];
  beforeEach(async () => {
    emulator = await startClaudeEmulator();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server?.kill('SIGKILL');
    server = undefined;
    await emulator?.close();
    emulator = undefined;
  });
  const kit = {
    get emulator(): ClaudeEmulator {
      if (!emulator) throw new Error('the emulator is only there inside a test');
      return emulator;
    },
    get server(): ServerProcess {
      if (!server) throw new Error('no server was started');
      return server;
    },
    /**
     * Starts the server on the emulator (or, with `claude: false`, with no Claude settings at
     * all), in fresh folders or the given ones (a restart); `env` adds to or overrides the
     * defaults. The one started last is the one stopped after the test.
     */
    async start(env: Record<string, string> = {}, dirs?: ServerDirs, { claude = true } = {}) {
      const folders = dirs ?? (await serverDirs());
      server = await startServerProcess({
        ...(claude
          ? { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: kit.emulator.url }
          : {}),
        DATA_DIR: folders.dataDir,
        WORKSPACE_DIR: folders.workspaceDir,
        ...env,
      });
      return { server, dirs: folders };
    },
    /** A client of the server (or of `url`), connected; closed after the test. */
    async connect(url?: string, headers: Record<string, string> = {}) {
      const client = await connectClient(url ?? kit.server.wsUrl, headers);
      clients.push(client);
      return client;
    },
    /** The same, once it has the hello. */
    async client(url?: string, headers: Record<string, string> = {}) {
      const client = await kit.connect(url, headers);
      await client.waitForMessage('hello');
      return client;
    },
  };
  return kit;
}
