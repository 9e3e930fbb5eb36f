// One recording session: a Claude emulator, the real server as a child process on folders of its
// own (kept across a restart), and the WebSocket clients that drive it, all closed at the end.
// It uses only test tooling that already existed when the first goldens were recorded (commit
// 0996332), so the recorder can be copied into a worktree of an older commit and run there.

import { rm } from 'node:fs/promises';
import type { LogEntry } from '@tollgate/machines';
import { type ClaudeEmulator, startClaudeEmulator } from '../claude-emulator/claude-emulator.ts';
import { type ServerProcess, serverDirs, startServerProcess } from '../server/server-process.ts';
import { connectClient, type WsTestClient } from '../server/ws-test-client.ts';

export interface GoldenRun {
  emulator: ClaudeEmulator;
  /** Starts the server, or starts it again on the same data after `kill`. */
  start(): Promise<void>;
  /** Kills the server with SIGKILL: nothing is flushed or closed, as in a crash. */
  kill(): Promise<void>;
  /** A connected client that has had its hello. */
  client(): Promise<WsTestClient>;
  /** A client subscribed to a new conversation. */
  conversation(): Promise<{ c: WsTestClient; id: string }>;
}

export async function withGoldenRun<T>(
  env: Record<string, string>,
  use: (run: GoldenRun) => Promise<T>,
): Promise<T> {
  const emulator = await startClaudeEmulator();
  const dirs = await serverDirs();
  const clients: WsTestClient[] = [];
  let server: ServerProcess | undefined;
  const run: GoldenRun = {
    emulator,
    async start() {
      server = await startServerProcess({
        ANTHROPIC_API_KEY: 'sk-ant-test',
        ANTHROPIC_BASE_URL: emulator.url,
        DATA_DIR: dirs.dataDir,
        WORKSPACE_DIR: dirs.workspaceDir,
        // Small chunks, as in the server flow tests: a written file is several chunk entries.
        WRITE_CHUNK_BYTES: '256',
        ...env,
      });
    },
    async kill() {
      await server?.kill('SIGKILL');
      server = undefined;
    },
    async client() {
      if (server === undefined) throw new Error('the server is not running');
      const c = await connectClient(server.wsUrl);
      clients.push(c);
      await c.waitForMessage('hello');
      return c;
    },
    async conversation() {
      const c = await run.client();
      const id = await c.createConversation();
      await c.subscribe(id);
      return { c, id };
    },
  };
  try {
    await run.start();
    return await use(run);
  } finally {
    for (const c of clients) c.close();
    await server?.kill('SIGKILL');
    emulator.release();
    await emulator.close();
    await rm(dirs.root, { recursive: true, force: true });
  }
}

/**
 * The conversation's whole log as a tab that opens it reads it: a new client subscribes from 0,
 * and `subscribed` says every entry up to its lastSeq has been sent.
 */
export async function readWholeLog(run: GoldenRun, id: string): Promise<LogEntry[]> {
  const reader = await run.client();
  const { lastSeq } = await reader.subscribe(id, 0);
  const entries = reader.entries(id).filter((entry) => entry.seq <= lastSeq);
  const seqs = entries.map((entry) => entry.seq);
  if (lastSeq === 0 || seqs.some((seq, i) => seq !== i + 1) || seqs.length !== lastSeq) {
    throw new Error(`the log of ${id} did not arrive whole: seqs ${seqs.join(',')} of ${lastSeq}`);
  }
  return entries;
}
