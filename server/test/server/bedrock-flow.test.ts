// The whole flow with CLAUDE_PROVIDER=bedrock: the real server, its Bedrock SDK client pointed at
// the emulator's Bedrock wire (ANTHROPIC_BEDROCK_BASE_URL, the SDK's own setting), real
// WebSocket clients, the real file tools.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClaudeEmulator, startClaudeEmulator } from '../claude-emulator/claude-emulator.ts';
import { BEDROCK_MODEL } from '../claude-emulator/emulator-test-kit.ts';
import {
  awaitingApproval,
  chunksOf,
  mirrorOf,
  notes,
  say,
  textDeltasOf,
  turnCompleted,
  writeCall,
} from './flow-scripts.ts';
import { type ServerProcess, serverDirs, startServerProcess } from './server-process.ts';
import { connectClient, type WsTestClient } from './ws-test-client.ts';

let emulator: ClaudeEmulator;
let server: ServerProcess | undefined;
let client: WsTestClient | undefined;

beforeEach(async () => {
  emulator = await startClaudeEmulator();
});
afterEach(async () => {
  client?.close();
  await server?.kill('SIGKILL');
  server = undefined;
  await emulator.close();
});

/** A server on Bedrock, with the credentials given, and a client watching a new conversation. */
async function startOnBedrock(credentials: Record<string, string>) {
  const dirs = await serverDirs();
  server = await startServerProcess({
    CLAUDE_PROVIDER: 'bedrock',
    CLAUDE_MODEL: BEDROCK_MODEL,
    AWS_REGION: 'eu-central-1',
    ANTHROPIC_BEDROCK_BASE_URL: emulator.url,
    DATA_DIR: dirs.dataDir,
    WORKSPACE_DIR: dirs.workspaceDir,
    WRITE_CHUNK_BYTES: '256',
    // The AWS SDK looks for ~/.aws under HOME: the developer's own profile must not leak in.
    HOME: dirs.root,
    ...credentials,
  });
  client = await connectClient(server.wsUrl);
  await client.waitForMessage('hello');
  const id = await client.createConversation();
  await client.subscribe(id);
  return { c: client, id, dirs };
}

describe('the server on Bedrock', () => {
  it('runs the approve flow with a Bedrock API key: streamed text, the file written, Claude resumed', async () => {
    const { c, id, dirs } = await startOnBedrock({ AWS_BEARER_TOKEN_BEDROCK: 'test-bedrock-key' });
    emulator.enqueue(writeCall('toolu_b1', 'notes/b.md', notes), say('Saved, via Bedrock.'));
    c.command(id, { type: 'user.message', text: 'Save my notes' });
    await awaitingApproval(c, id);
    c.command(id, { type: 'tool.approve', toolUseId: 'toolu_b1', scope: 'once' });
    await turnCompleted(c, id, 2);

    const entries = c.entries(id);
    const text = textDeltasOf(entries, 2);
    expect(text.length).toBeGreaterThan(1);
    expect(text.join('')).toBe('Saved, via Bedrock.');
    expect(chunksOf(entries, 'toolu_b1').join('')).toBe(notes);
    expect(await readFile(join(dirs.workspaceDir, 'notes/b.md'), 'utf8')).toBe(notes);
    expect(mirrorOf(entries).value).toBe('idle');

    const path = `/model/${BEDROCK_MODEL}/invoke-with-response-stream`;
    expect(emulator.requests.map((r) => [r.path, r.status, r.violations])).toEqual([
      [path, 200, []],
      [path, 200, []],
    ]);
    expect(emulator.requests[0]?.headers.authorization).toBe('Bearer test-bedrock-key');
    // The second request answers the tool call, which Bedrock, like the Messages API, requires.
    const second = emulator.requests[1]?.body as { messages: { content: unknown[] }[] };
    expect(second.messages.at(-1)?.content[0]).toMatchObject({
      type: 'tool_result',
      tool_use_id: 'toolu_b1',
    });
  });

  it('signs with the AWS credential chain, and shows an answer Bedrock broke off as failed, keeping its text', async () => {
    const { c, id } = await startOnBedrock({
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    });
    emulator.enqueue({
      ...say('A long answer that Bedrock cuts off part of the way through.'),
      errorAfterEvents: 6,
    });
    c.command(id, { type: 'user.message', text: 'Tell me' });
    const failed = await c.waitForEntry(
      id,
      (e) => e.event.type === 'assistant.failed',
      'the failed turn',
    );

    expect(emulator.requests[0]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/bedrock\/aws4_request, /,
    );
    expect(failed.event).toMatchObject({ kind: 'stream', retryable: true });
    expect((failed.event as { message: string }).message).toContain(
      'Bedrock is unable to process your request.',
    );
    const kept = textDeltasOf(c.entries(id)).join('');
    expect(kept.length).toBeGreaterThan(0);
    expect('A long answer that Bedrock cuts off part of the way through.'.startsWith(kept)).toBe(
      true,
    );
    expect(mirrorOf(c.entries(id)).value).toBe('failed');
  });

  it('with no AWS credentials anywhere, says what to set, and sends nothing', async () => {
    // Nothing in the chain: no keys, an empty home (no ~/.aws), and no instance metadata to ask.
    const { c, id } = await startOnBedrock({ AWS_EC2_METADATA_DISABLED: 'true' });
    c.command(id, { type: 'user.message', text: 'Hello?' });
    const failed = await c.waitForEntry(
      id,
      (e) => e.event.type === 'assistant.failed',
      'the failed turn',
    );
    expect(failed.event).toMatchObject({ kind: 'authentication', retryable: false });
    expect((failed.event as { message: string }).message).toMatch(
      /^No AWS credentials were found for Bedrock \(.+\)\. Set AWS_BEARER_TOKEN_BEDROCK, or AWS credentials/,
    );
    expect(emulator.requests).toEqual([]);
  });
});
