import {
  type ClaudeRequest,
  type ConversationEvent,
  conversationMachine,
  type FactEvent,
  type LogEntry,
  type ToolRequest,
} from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { fromCallback } from 'xstate';
import * as ev from '../../../machines/src/test-support/event-builders.ts';
import { openConversationRuntime } from '../../src/conversations/conversation-runtime.ts';
import { createFactRoutes } from '../../src/conversations/fact-routes.ts';
import { silentLogger } from '../silent-logger.ts';
import { tempStorePerTest } from '../store/support/temp-store.ts';
import { storeDeps } from './support/store-deps.ts';

const factRoutes = createFactRoutes(silentLogger());
const t = tempStorePerTest((store) => store.conversations.create({ id: 'c1', createdAt: 0 }));
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** IO actors the test drives: `claude` and `tool` report facts for whichever is running. */
function scriptedIo() {
  let claude: ((fact: FactEvent) => void) | null = null;
  let tool: ((fact: FactEvent) => void) | null = null;
  const machine = conversationMachine.provide({
    actors: {
      claude: fromCallback<ConversationEvent, ClaudeRequest>(({ system }) => {
        claude = factRoutes.dispatchFor(system);
      }),
      tool: fromCallback<ConversationEvent, ToolRequest>(({ system }) => {
        tool = factRoutes.dispatchFor(system);
      }),
    },
  });
  return {
    machine,
    claude: (fact: FactEvent) => claude?.(fact),
    tool: (fact: FactEvent) => tool?.(fact),
  };
}

/**
 * A watcher that keeps each message it is sent, as the messages it was, and whether each entry
 * was already in the log when its message came.
 */
function watcher() {
  const messages: LogEntry[][] = [];
  const notYetDurable: number[] = [];
  return {
    messages,
    notYetDurable,
    entries: () => messages.flat(),
    deliver(message: string) {
      const { entries } = JSON.parse(message) as { entries: LogEntry[] };
      for (const entry of entries) {
        if (t.store.log.read('c1', entry.seq - 1)[0]?.seq !== entry.seq)
          notYetDurable.push(entry.seq);
      }
      messages.push(entries);
    },
  };
}

function open(io: ReturnType<typeof scriptedIo>) {
  // One instant: the group commit waits for the end of the event-loop turn, never for time.
  return openConversationRuntime({
    conversationId: 'c1',
    ...storeDeps(t.store),
    liveMachine: io.machine,
    factRoutes,
    clock: () => 1,
    logger: silentLogger(),
  });
}

/** Claude asked to write a file; the conversation waits for the person. */
async function askedToWrite(io: ReturnType<typeof scriptedIo>) {
  const runtime = open(io);
  runtime.command({ type: 'user.message', commandId: 'm1', text: 'Write a.md' });
  io.claude(ev.started(1));
  io.claude(ev.toolUse(1, 0, 'toolu_1', 'write_file', { path: 'a.md', content: 'abc' }));
  io.claude(ev.completed(1, 'tool_use'));
  await settled();
  expect(runtime.snapshot().value).toBe('awaitingApproval');
  return runtime;
}

describe('decide, append, apply, publish', () => {
  it('answers a refused command and writes, applies and publishes nothing of it', async () => {
    const io = scriptedIo();
    const runtime = await askedToWrite(io);
    const tab = watcher();
    runtime.subscribe(tab, t.store.log.lastSeq('c1'));
    const lastSeq = t.store.log.lastSeq('c1');
    const before = runtime.snapshot();

    expect(
      runtime.command({ type: 'tool.approve', commandId: 'a1', toolUseId: 'nope', scope: 'once' }),
    ).toMatchObject({ status: 'rejected', code: 'unknown_tool_use' });
    expect(runtime.command({ type: 'user.message', commandId: 'm2', text: 'Hi?' })).toMatchObject({
      status: 'rejected',
      code: 'busy',
    });
    expect(runtime.command({ type: 'turn.retry', commandId: 'r1' })).toMatchObject({
      status: 'rejected',
      code: 'nothing_to_retry',
    });
    await settled();
    expect(t.store.log.lastSeq('c1')).toBe(lastSeq);
    expect(t.store.commands.has('c1', 'a1')).toBe(false);
    expect(tab.messages).toEqual([]);
    expect(runtime.snapshot().context).toBe(before.context);

    // Refused once is not refused for ever: the same id may come back when it applies.
    const deny = runtime.command({ type: 'tool.deny', commandId: 'a1', toolUseId: 'toolu_1' });
    expect(deny).toMatchObject({ status: 'accepted', entry: { seq: lastSeq + 1 } });
    expect(tab.entries().map((entry) => entry.seq)).toEqual([lastSeq + 1]);
    expect(runtime.command({ type: 'tool.deny', commandId: 'a1', toolUseId: 'toolu_1' })).toEqual({
      status: 'duplicate',
    });
    runtime.stop();
  });

  it('drops facts the conversation no longer takes: a stopped stream, a cancelled run', async () => {
    const io = scriptedIo();
    const runtime = await askedToWrite(io);
    runtime.command({ type: 'tool.approve', commandId: 'a1', toolUseId: 'toolu_1', scope: 'once' });
    io.tool(ev.toolStarted('toolu_1'));
    io.tool(ev.toolChunk('toolu_1', 0, 'a', 1, 3));
    // A chunk out of order is not the next one: it never reaches the log.
    io.tool(ev.toolChunk('toolu_1', 2, 'c', 3, 3));
    await settled();
    runtime.command({ type: 'turn.stop', commandId: 's1' });
    // The run was cancelled; what its tool still reports is late.
    io.tool(ev.toolChunk('toolu_1', 1, 'b', 2, 3));
    io.tool(ev.toolCompleted('toolu_1'));
    // So is the stream of a turn that is over.
    io.claude(ev.textDelta(1, 'late'));
    await settled();
    expect(t.store.log.read('c1').map((entry) => entry.event.type)).toEqual([
      'user.message',
      'assistant.started',
      'assistant.tool_use',
      'assistant.completed',
      'tool.approve',
      'tool.started',
      'tool.chunk',
      'turn.stop',
    ]);
    expect(runtime.snapshot().value).toBe('idle');
    runtime.stop();
  });

  it('publishes every streamed entry as a message of its own, once its commit is durable', async () => {
    const io = scriptedIo();
    const runtime = await askedToWrite(io);
    runtime.command({ type: 'tool.approve', commandId: 'a1', toolUseId: 'toolu_1', scope: 'once' });
    io.tool(ev.toolStarted('toolu_1'));
    const tab = watcher();
    runtime.subscribe(tab, t.store.log.lastSeq('c1'));
    const commits: number[] = [];
    t.store.log.onAppended((entries) => commits.push(entries.length));
    // 300 chunks in one turn of the event loop, as one read of the tool's pipe brings them.
    for (let index = 0; index < 300; index++) {
      io.tool(ev.toolChunk('toolu_1', index, `${index};`, index + 1, 300));
    }
    expect(tab.messages).toEqual([]);
    await settled();
    expect(commits.reduce((sum, n) => sum + n, 0)).toBe(300);
    expect(tab.messages).toHaveLength(300);
    expect(tab.notYetDurable).toEqual([]);
    expect(tab.messages.every((entries) => entries.length === 1)).toBe(true);
    expect(
      tab.entries().map((entry) => (entry.event.type === 'tool.chunk' ? entry.event.index : -1)),
    ).toEqual(Array.from({ length: 300 }, (_, i) => i));
    runtime.stop();
  });
});
