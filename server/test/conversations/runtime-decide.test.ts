import {
  type ClaudeRequest,
  type ConversationEvent,
  conversationMachine,
  type FactEvent,
  findToolCall,
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
const t = tempStorePerTest(async (store) => {
  await store.conversations.create({ id: 'c1', createdAt: 0 });
});

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
 * was already in the log when its message came (the log's own feed says when an entry is durable).
 */
async function watcher() {
  const messages: LogEntry[][] = [];
  const notYetDurable: number[] = [];
  let durableSeq = 0;
  t.store.log.onAppended((entries) => {
    for (const entry of entries) {
      if (entry.conversationId === 'c1') durableSeq = Math.max(durableSeq, entry.seq);
    }
  });
  durableSeq = Math.max(durableSeq, await t.store.log.lastSeq('c1'));
  const waiters = new Set<() => void>();
  return {
    messages,
    notYetDurable,
    entries: () => messages.flat(),
    deliver(message: string) {
      const { entries } = JSON.parse(message) as { entries: LogEntry[] };
      for (const entry of entries) {
        if (entry.seq > durableSeq) notYetDurable.push(entry.seq);
      }
      messages.push(entries);
      for (const wake of [...waiters]) wake();
    },
    /** Settles once `count` messages have come. */
    holding: (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (messages.length < count) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
  };
}

/** A runtime on c1 of the test's store; `flushed` waits until its group commit is durable. */
async function open(io: ReturnType<typeof scriptedIo>) {
  const deps = storeDeps(t.store);
  // One instant: the group commit waits for the end of the event-loop turn, never for time.
  const runtime = await openConversationRuntime({
    conversationId: 'c1',
    ...deps,
    liveMachine: io.machine,
    factRoutes,
    clock: () => 1,
    logger: silentLogger(),
  });
  return { ...runtime, flushed: () => deps.writer.flush() };
}

type Runtime = Awaited<ReturnType<typeof open>>;

/**
 * Settles once the runtime has handled every event queued before now: a resent command (the
 * first one's id) waits its turn in the queue like any event, and is answered as a duplicate.
 */
async function handled(runtime: Runtime) {
  expect(
    await runtime.command({ type: 'user.message', commandId: 'm1', text: 'Write a.md' }),
  ).toEqual({ status: 'duplicate' });
}

/** Claude asked to write a file; the conversation waits for the person. */
async function askedToWrite(io: ReturnType<typeof scriptedIo>) {
  const runtime = await open(io);
  expect(
    await runtime.command({ type: 'user.message', commandId: 'm1', text: 'Write a.md' }),
  ).toMatchObject({ status: 'accepted' });
  io.claude(ev.started(1));
  io.claude(ev.toolUse(1, 0, 'toolu_1', 'write_file', { path: 'a.md', content: 'abc' }));
  io.claude(ev.completed(1, 'tool_use'));
  await handled(runtime);
  expect(runtime.snapshot().value).toBe('awaitingApproval');
  return runtime;
}

/** As askedToWrite, then approved once and its tool started: the call's chunks come next. */
async function writing(io: ReturnType<typeof scriptedIo>) {
  const runtime = await askedToWrite(io);
  expect(
    await runtime.command({
      type: 'tool.approve',
      commandId: 'a1',
      toolUseId: 'toolu_1',
      scope: 'once',
    }),
  ).toMatchObject({ status: 'accepted' });
  io.tool(ev.toolStarted('toolu_1'));
  return runtime;
}

describe('decide, append, apply, publish', () => {
  it('answers a refused command and writes, applies and publishes nothing of it', async () => {
    const io = scriptedIo();
    const runtime = await askedToWrite(io);
    const tab = await watcher();
    const lastSeq = await t.store.log.lastSeq('c1');
    expect(await runtime.subscribe(tab, lastSeq)).toBe(lastSeq);
    const before = runtime.snapshot();

    expect(
      await runtime.command({
        type: 'tool.approve',
        commandId: 'a1',
        toolUseId: 'nope',
        scope: 'once',
      }),
    ).toMatchObject({ status: 'rejected', code: 'unknown_tool_use' });
    expect(
      await runtime.command({ type: 'user.message', commandId: 'm2', text: 'Hi?' }),
    ).toMatchObject({
      status: 'rejected',
      code: 'busy',
    });
    expect(await runtime.command({ type: 'turn.retry', commandId: 'r1' })).toMatchObject({
      status: 'rejected',
      code: 'nothing_to_retry',
    });
    await handled(runtime);
    expect(await t.store.log.lastSeq('c1')).toBe(lastSeq);
    expect(await t.store.commands.has('c1', 'a1')).toBe(false);
    expect(tab.messages).toEqual([]);
    expect(runtime.snapshot().context).toBe(before.context);

    // Refused once is not refused for ever: the same id may come back when it applies.
    const deny = await runtime.command({
      type: 'tool.deny',
      commandId: 'a1',
      toolUseId: 'toolu_1',
    });
    expect(deny).toEqual({ status: 'accepted', seq: lastSeq + 1 });
    // Published by the time the command is answered.
    expect(tab.entries().map((entry) => entry.seq)).toEqual([lastSeq + 1]);
    expect(tab.entries()[0]?.event).toMatchObject({ type: 'tool.deny', commandId: 'a1' });
    expect(
      await runtime.command({ type: 'tool.deny', commandId: 'a1', toolUseId: 'toolu_1' }),
    ).toEqual({
      status: 'duplicate',
    });
    runtime.stop();
  });

  it('drops facts the conversation no longer takes: a stopped stream, a cancelled run', async () => {
    const io = scriptedIo();
    const runtime = await writing(io);
    io.tool(ev.toolChunk('toolu_1', 0, 'a', 1, 3));
    // A chunk out of order is not the next one: it never reaches the log.
    io.tool(ev.toolChunk('toolu_1', 2, 'c', 3, 3));
    await handled(runtime);
    expect(await runtime.command({ type: 'turn.stop', commandId: 's1' })).toMatchObject({
      status: 'accepted',
    });
    // The run was cancelled; what its tool still reports is late.
    io.tool(ev.toolChunk('toolu_1', 1, 'b', 2, 3));
    io.tool(ev.toolCompleted('toolu_1'));
    // So is the stream of a turn that is over.
    io.claude(ev.textDelta(1, 'late'));
    await handled(runtime);
    await runtime.flushed();
    expect((await t.store.log.read('c1')).map((entry) => entry.event.type)).toEqual([
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

  it('drops a chunk that comes again while the run it belongs to is held unfolded', async () => {
    const io = scriptedIo();
    const runtime = await writing(io);
    // The actor folds a run of chunks as one when it ends, so these three wait unfolded...
    for (const [index, text] of ['a', 'b', 'c'].entries()) {
      io.tool(ev.toolChunk('toolu_1', index, text, index + 1, 4));
    }
    // ...and chunks 0 and 1, which the actor's own state would still take, come again.
    io.tool(ev.toolChunk('toolu_1', 0, 'a', 1, 4));
    io.tool(ev.toolChunk('toolu_1', 1, 'b', 2, 4));
    io.tool(ev.toolChunk('toolu_1', 3, 'd', 4, 4));
    await handled(runtime);
    await runtime.flushed();
    const chunks = (await t.store.log.read('c1')).flatMap((entry) =>
      entry.event.type === 'tool.chunk' ? [entry.event.index] : [],
    );
    expect(chunks).toEqual([0, 1, 2, 3]);
    expect(findToolCall(runtime.snapshot().context, 'toolu_1')).toMatchObject({
      run: { chunks: 4, text: 'abcd', progress: 4 },
    });
    runtime.stop();
  });

  it('publishes every streamed entry as a message of its own, once its commit is durable', async () => {
    const io = scriptedIo();
    const runtime = await writing(io);
    await handled(runtime);
    const tab = await watcher();
    await runtime.subscribe(tab, await t.store.log.lastSeq('c1'));
    const commits: number[] = [];
    t.store.log.onAppended((entries) => commits.push(entries.length));
    // 300 chunks in one turn of the event loop, as one read of the tool's pipe brings them.
    for (let index = 0; index < 300; index++) {
      io.tool(ev.toolChunk('toolu_1', index, `${index};`, index + 1, 300));
    }
    expect(tab.messages).toEqual([]);
    await tab.holding(300);
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
