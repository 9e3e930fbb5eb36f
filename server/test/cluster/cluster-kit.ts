import { afterEach, beforeEach } from 'vitest';
import { type ClaudeEmulator, startClaudeEmulator } from '../claude-emulator/claude-emulator.ts';
import { type ServerProcess, serverDirs, startServerProcess } from '../server/server-process.ts';
import { connectClient, type WsTestClient } from '../server/ws-test-client.ts';
import { freshDatabase, type TestDatabase } from '../store/support/postgres-databases.ts';

/**
 * The time a test that starts several server processes may take: each start compiles the
 * server's source through tsx (several seconds on a loaded 2-core machine), which the default
 * 20 s leaves too little room for. A ceiling, not a wait: every step waits for its event.
 */
export const CLUSTER_TEST_TIMEOUT = 60_000;

/**
 * For each test of the calling file: a Claude emulator, a fresh PostgreSQL database, and the
 * Tollgate instances the test starts on them (real server processes sharing the database and one
 * workspace, each with a data folder of its own), with their WebSocket clients; all of them
 * stopped after the test (the instances with SIGKILL) and the database dropped.
 */
export function clusterPerTest() {
  let emulator: ClaudeEmulator | undefined;
  let database: TestDatabase | undefined;
  let workspaceDir: string | undefined;
  const instances: ServerProcess[] = [];
  const clients: WsTestClient[] = [];
  beforeEach(async () => {
    emulator = await startClaudeEmulator();
    database = await freshDatabase();
    workspaceDir = (await serverDirs()).workspaceDir;
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await Promise.all(instances.splice(0).map((instance) => instance.kill('SIGKILL')));
    await emulator?.close();
    await database?.drop();
    emulator = undefined;
    database = undefined;
  });
  const kit = {
    get emulator(): ClaudeEmulator {
      if (!emulator) throw new Error('the emulator is only there inside a test');
      return emulator;
    },
    get database(): TestDatabase {
      if (!database) throw new Error('the database is only there inside a test');
      return database;
    },
    get workspaceDir(): string {
      if (!workspaceDir) throw new Error('the workspace is only there inside a test');
      return workspaceDir;
    },
    /** Starts one more instance on the shared database and workspace. */
    async start(env: Record<string, string> = {}): Promise<ServerProcess> {
      const { dataDir } = await serverDirs();
      const instance = await startServerProcess({
        ANTHROPIC_API_KEY: 'sk-ant-test',
        ANTHROPIC_BASE_URL: kit.emulator.url,
        DATABASE_URL: kit.database.url,
        DATA_DIR: dataDir,
        WORKSPACE_DIR: kit.workspaceDir,
        WRITE_CHUNK_BYTES: '256',
        ...env,
      });
      instances.push(instance);
      return instance;
    },
    /** A client of that instance, once it has the hello; closed after the test. */
    async client(instance: ServerProcess): Promise<WsTestClient> {
      const client = await connectClient(instance.wsUrl);
      clients.push(client);
      await client.waitForMessage('hello');
      return client;
    },
  };
  return kit;
}
