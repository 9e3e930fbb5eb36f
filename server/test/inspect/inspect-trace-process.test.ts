import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClaudeEmulator, startClaudeEmulator } from '../claude-emulator/claude-emulator.ts';
import { say, turnCompleted } from '../server/flow-scripts.ts';
import { type ServerProcess, serverDirs, startServerProcess } from '../server/server-process.ts';
import { connectClient, type WsTestClient } from '../server/ws-test-client.ts';

interface TraceLine {
  type: string;
  actor: string;
  at: number;
  event?: { type: string; text?: string };
  transitions?: { source: string; targets: string[]; event: string }[];
}

let emulator: ClaudeEmulator;
let server: ServerProcess | undefined;
let client: WsTestClient | undefined;

beforeEach(async () => {
  emulator = await startClaudeEmulator();
});
afterEach(async () => {
  client?.close();
  client = undefined;
  await server?.kill('SIGKILL');
  server = undefined;
  await emulator.close();
});

async function start(INSPECT: string) {
  const dirs = await serverDirs();
  const env = {
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: emulator.url,
    DATA_DIR: dirs.dataDir,
    WORKSPACE_DIR: dirs.workspaceDir,
    INSPECT,
  };
  return { dirs, started: startServerProcess(env) };
}

describe('the server with INSPECT', () => {
  it('INSPECT=1 traces a turn to DATA_DIR/inspect.jsonl, all of it on disk once SIGTERM ends the process', async () => {
    const { dirs, started } = await start('1');
    server = await started;
    emulator.enqueue(say('Hello from the trace.'));
    client = await connectClient(server.wsUrl);
    await client.waitForMessage('hello');
    const id = await client.createConversation();
    await client.subscribe(id);
    client.command(id, { type: 'user.message', text: 'Trace me' });
    // The actor takes an entry before it is published, so its trace is written by now; the
    // shutdown must flush it.
    await turnCompleted(client, id, 1);
    expect(await server.kill('SIGTERM')).toBe('0');

    const text = await readFile(join(dirs.dataDir, 'inspect.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as TraceLine);
    const message = lines.find(
      (line) => line.type === '@xstate.event' && line.event?.type === 'user.message',
    );
    expect(message?.event).toMatchObject({ type: 'user.message', text: 'Trace me' });
    const conversation = message?.actor;
    const taken = lines
      .filter((line) => line.type === '@xstate.microstep' && line.actor === conversation)
      .flatMap((line) => line.transitions ?? [])
      .filter((t) => t.targets.length > 0)
      .map((t) => `${t.source} -> ${t.targets.join(',')} (${t.event})`);
    expect(taken).toEqual([
      'idle -> streaming (user.message)',
      'streaming -> idle (assistant.completed)',
    ]);
  });

  it('refuses an unknown INSPECT value at start-up, saying which values it takes', async () => {
    const { started } = await start('yes');
    await expect(started).rejects.toThrow(
      /server exited \(1\) before starting:[\s\S]*Tollgate cannot start:[\s\S]*INSPECT="yes" must be 1/,
    );
  });
});
