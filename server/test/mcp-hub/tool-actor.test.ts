import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ConversationEvent,
  conversationMachine,
  type FactEvent,
  findToolCall,
  inertActors,
} from '@tollgate/machines';
import { afterEach, describe, expect, it } from 'vitest';
import { type Actor, createActor, waitFor } from 'xstate';
import { BUILT_IN_SERVER_NAME, builtInToolServer } from '../../src/mcp/built-in-tool-server.ts';
import { createMcpHub, type McpHub } from '../../src/mcp/mcp-hub.ts';
import { createToolActor } from '../../src/mcp/tool-actor.ts';
import { silentLogger } from '../silent-logger.ts';
import { eventually, filesIn } from './hub-test-kit.ts';

// A real conversation actor, provided with the MCP tool actor and a Claude actor that does
// nothing: the test plays Claude's facts itself, then the person's approval.

type Conversation = Actor<typeof conversationMachine>;

let hub: McpHub | undefined;
let workspace: string | undefined;
let conversation: Conversation | undefined;
afterEach(async () => {
  conversation?.stop();
  await hub?.close();
  if (workspace) await rm(workspace, { recursive: true, force: true });
  hub = undefined;
  workspace = undefined;
  conversation = undefined;
});

const content = `${Array.from({ length: 30 }, (_, i) => `${i}: chunked ✓ text`).join('\n')}\n`;
let commands = 0;
const command = () => `cmd_${++commands}`;

async function startConversation(chunkDelayMs = 0) {
  workspace = await mkdtemp(join(tmpdir(), 'tollgate-actor-'));
  hub = createMcpHub({
    servers: [builtInToolServer({ workspaceDir: workspace, chunkBytes: 16, chunkDelayMs })],
    logger: silentLogger(),
  });
  await hub.start();
  const facts: FactEvent[] = [];
  const dispatch = (fact: FactEvent) => {
    facts.push(fact);
    actor.send(fact);
  };
  const machine = conversationMachine.provide({
    actors: {
      claude: inertActors.claude,
      tool: createToolActor({ hub, dispatchFor: () => dispatch }),
    },
  });
  const actor: Conversation = createActor(machine);
  conversation = actor;
  actor.start();
  const send = (event: ConversationEvent) => actor.send(event);

  // Claude, played by the test: one write_file call.
  send({ type: 'user.message', commandId: command(), text: 'Write my notes', at: 1 });
  send({ type: 'assistant.started', turn: 1, messageId: 'msg_1', model: 'claude-sonnet-4-5' });
  send({
    type: 'assistant.tool_use',
    turn: 1,
    index: 0,
    toolUseId: 'toolu_1',
    name: 'write_file',
    input: { path: 'notes/a.md', content },
  });
  send({
    type: 'assistant.completed',
    turn: 1,
    stopReason: 'tool_use',
    usage: {
      inputTokens: 1,
      outputTokens: 1,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
    },
  });
  return { actor, facts, send, workspace };
}

describe('the tool actor in a conversation', () => {
  it('runs nothing before approval, then reports start, every chunk and completion', async () => {
    const { actor, facts, send, workspace } = await startConversation();
    expect(actor.getSnapshot().value).toBe('awaitingApproval');
    expect(facts).toEqual([]);

    send({ type: 'tool.approve', commandId: command(), toolUseId: 'toolu_1', scope: 'once' });
    const resumed = await waitFor(actor, (s) => s.value === 'resuming');

    const chunks = facts.filter((f) => f.type === 'tool.chunk');
    expect(facts[0]).toEqual({
      type: 'tool.started',
      toolUseId: 'toolu_1',
      server: BUILT_IN_SERVER_NAME,
    });
    expect(facts.slice(1, -1).every((f) => f.type === 'tool.chunk')).toBe(true);
    expect(chunks.map((c) => c.index)).toEqual([...chunks.keys()]);
    // 16-byte chunks, cut at character boundaries.
    expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(Buffer.byteLength(content) / 16));
    const onDisk = await readFile(join(workspace, 'notes/a.md'), 'utf8');
    const sha256 = createHash('sha256').update(onDisk).digest('hex');
    expect(facts.at(-1)).toEqual({
      type: 'tool.completed',
      toolUseId: 'toolu_1',
      content: `Wrote notes/a.md: ${Buffer.byteLength(content)} bytes in ${chunks.length} chunks (sha256 ${sha256}).`,
      isError: false,
      file: { path: 'notes/a.md', bytes: Buffer.byteLength(content), sha256 },
    });

    // The machine folded every chunk: the run's text is the file.
    const run = findToolCall(resumed.context, 'toolu_1')?.run;
    expect(run).toMatchObject({
      status: 'completed',
      server: BUILT_IN_SERVER_NAME,
      chunks: chunks.length,
      text: content,
    });
    expect(onDisk).toBe(content);
  });

  it('Stop while the tool runs cancels it through MCP: no file, nothing reported after', async () => {
    const { actor, facts, send, workspace } = await startConversation(40);
    send({ type: 'tool.approve', commandId: command(), toolUseId: 'toolu_1', scope: 'once' });
    await waitFor(actor, (s) => (findToolCall(s.context, 'toolu_1')?.run?.chunks ?? 0) >= 2);
    send({ type: 'turn.stop', commandId: command() });
    expect(actor.getSnapshot().value).toBe('idle');
    const reported = facts.length;

    await eventually(async () => (await filesIn(workspace)).length === 0, 'no file is left');
    // The server answered the cancelled call with nothing, and the actor said nothing more.
    expect(await hub?.callTool('list_files', {})).toMatchObject({ content: 'notes/' });
    expect(facts.length).toBe(reported);
    expect(facts.some((f) => f.type === 'tool.completed' || f.type === 'tool.failed')).toBe(false);
    expect(findToolCall(actor.getSnapshot().context, 'toolu_1')?.run?.status).not.toBe('completed');
  });

  it('an unknown tool fails the run with a reason, without starting it', async () => {
    workspace = await mkdtemp(join(tmpdir(), 'tollgate-actor-'));
    hub = createMcpHub({ servers: [], logger: silentLogger() });
    await hub.start();
    const facts: FactEvent[] = [];
    const actor = createActor(createToolActor({ hub, dispatchFor: () => (f) => facts.push(f) }), {
      input: { toolUseId: 'toolu_9', name: 'nope', input: {} },
    });
    actor.start();
    await eventually(() => facts.length > 0, 'a fact is reported');
    expect(facts).toEqual([
      {
        type: 'tool.failed',
        toolUseId: 'toolu_9',
        message: 'No MCP server offers a tool named nope.',
      },
    ]);
    actor.stop();
  });
});
