import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClaudeEmulator, startClaudeEmulator } from '../claude-emulator/claude-emulator.ts';
import { say, turnCompleted } from '../server/flow-scripts.ts';
import { type ServerProcess, serverDirs, startServerProcess } from '../server/server-process.ts';
import { connectClient, type WsTestClient } from '../server/ws-test-client.ts';
import { type PrivatePostgres, startPrivatePostgres } from '../support/private-postgres.ts';
import { CLUSTER_TEST_TIMEOUT } from './cluster-kit.ts';

// A Tollgate instance whose PostgreSQL server is stopped and started again under it: a server of
// the test's own, since the shared one serves the other test files.

let postgres: PrivatePostgres;
let emulator: ClaudeEmulator;
let server: ServerProcess | undefined;
const clients: WsTestClient[] = [];
beforeEach(async () => {
  postgres = await startPrivatePostgres();
  emulator = await startClaudeEmulator();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.kill('SIGKILL');
  server = undefined;
  await emulator.close();
  await postgres.dispose();
});

async function client(): Promise<WsTestClient> {
  const connected = await connectClient(server!.wsUrl);
  clients.push(connected);
  return connected;
}

async function health() {
  const response = await fetch(`${server!.url}/healthz`);
  return { status: response.status, body: await response.json() };
}

/** Connects until the instance lets the socket in (it refuses with 1013 while it has no database). */
async function clientOnceAvailable(): Promise<WsTestClient> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const next = await client();
    const outcome = await next.waitFor(
      () => (next.received.some((m) => m.type === 'hello') ? 'in' : (next.closed() ?? undefined)),
      'the hello or a close',
    );
    if (outcome === 'in') return next;
    expect(outcome).toMatchObject({ code: 1013, reason: 'database unavailable' });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the instance never let a socket in again');
}

describe('PostgreSQL restarted under a running instance', { timeout: CLUSTER_TEST_TIMEOUT }, () => {
  it('tells its tabs, refuses sockets and says so on /healthz meanwhile, then resumes with nothing lost', async () => {
    const { dataDir, workspaceDir } = await serverDirs();
    server = await startServerProcess({
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: emulator.url,
      DATABASE_URL: postgres.url,
      DATA_DIR: dataDir,
      WORKSPACE_DIR: workspaceDir,
    });
    expect(await health()).toEqual({
      status: 200,
      body: { ok: true, claude: 'ready', database: 'ok' },
    });
    emulator.enqueue(say('Before the restart.'));
    const a = await client();
    await a.waitForMessage('hello');
    const id = await a.createConversation();
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'First' });
    await turnCompleted(a, id, 1);
    const before = a.entries(id);

    await postgres.stop();
    // The tab is told: its socket closes with "try again later", and the page reconnects.
    expect(await a.waitFor(() => a.closed() ?? undefined, 'the close')).toEqual({
      code: 1013,
      reason: 'database unavailable',
    });
    const down = await health();
    expect(down).toEqual({
      status: 503,
      body: { ok: false, claude: 'ready', database: 'unavailable' },
    });
    const refused = await client();
    expect(await refused.waitFor(() => refused.closed() ?? undefined, 'the refusal')).toEqual({
      code: 1013,
      reason: 'database unavailable',
    });

    await postgres.start();
    const b = await clientOnceAvailable();
    expect((await health()).status).toBe(200);
    // Resumes after the last seq it had: nothing missed, nothing twice.
    const subscribed = await b.subscribe(id, before.at(-1)!.seq);
    expect(subscribed.lastSeq).toBe(before.at(-1)!.seq);
    expect(b.entries(id)).toEqual([]);
    emulator.enqueue(say('After the restart.'));
    b.command(id, { type: 'user.message', text: 'Second' });
    await turnCompleted(b, id, 2);
    const c = await client();
    await c.waitForMessage('hello');
    await c.subscribe(id);
    const all = c.entries(id);
    expect(all.slice(0, before.length)).toEqual(before);
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    expect(emulator.requests).toHaveLength(2);
  });
});
