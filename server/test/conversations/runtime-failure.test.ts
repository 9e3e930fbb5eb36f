import {
  type ClaudeRequest,
  type ConversationEvent,
  conversationMachine,
  type FactEvent,
  type ToolRequest,
} from '@tollgate/machines';
import { describe, expect, it, vi } from 'vitest';
import { fromCallback } from 'xstate';
import * as ev from '../../../machines/src/test-support/event-builders.ts';
import { openConversationRuntime } from '../../src/conversations/conversation-runtime.ts';
import { createFactRoutes } from '../../src/conversations/fact-routes.ts';
import { silentLogger } from '../silent-logger.ts';
import { tempStorePerTest } from '../store/support/temp-store.ts';
import { storeDeps } from './support/store-deps.ts';

const t = tempStorePerTest(async (store) => {
  await store.conversations.create({ id: 'c1', createdAt: 0 });
});

/** A promise and what settles it: told when something happens, so a test waits for exactly that. */
function signal() {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('a conversation whose log cannot be written', () => {
  it('stops, tells its watchers, and is rebuilt from what the log holds', async () => {
    const store = t.store;
    // The disk "fills up" for the first group commit only.
    const appendBatch = store.log.appendBatch.bind(store.log);
    let failNext = true;
    store.log.appendBatch = async (items) => {
      if (failNext) {
        failNext = false;
        throw new Error('SQLITE_FULL: database or disk is full');
      }
      return appendBatch(items);
    };
    const factRoutes = createFactRoutes(silentLogger());
    let dispatchFact: ((fact: FactEvent) => void) | undefined;
    const liveMachine = conversationMachine.provide({
      actors: {
        claude: fromCallback<ConversationEvent, ClaudeRequest>(({ system }) => {
          dispatchFact = factRoutes.dispatchFor(system);
        }),
      },
    });
    let failures = 0;
    const failed = signal();
    const deps = {
      conversationId: 'c1',
      ...storeDeps(store, () => undefined),
      liveMachine,
      factRoutes,
      clock: () => 1,
      logger: silentLogger(),
      onFailure: () => {
        failures += 1;
        failed.resolve();
      },
    };
    const runtime = await openConversationRuntime(deps);
    const seen: string[] = [];
    await runtime.subscribe({ deliver: (message) => seen.push(message) }, 0);
    expect(
      await runtime.command({ type: 'user.message', commandId: 'm1', text: 'Hello' }),
    ).toMatchObject({ status: 'accepted' });
    dispatchFact?.({ type: 'assistant.started', turn: 1, messageId: 'msg_1', model: 'm' });
    dispatchFact?.({ type: 'assistant.text_delta', turn: 1, index: 0, text: 'LOST ' });
    await failed.promise;

    expect(failures).toBe(1);
    const last = JSON.parse(seen.at(-1) ?? '{}');
    expect(last).toMatchObject({ type: 'error', code: 'internal', conversationId: 'c1' });
    expect(seen.some((m) => m.includes('LOST'))).toBe(false);

    const rebuilt = await openConversationRuntime(deps);
    const rebuiltSeq = await store.log.lastSeq('c1');
    // Reported later by the stream the stop aborted: dropped, not thrown back into the actor, and
    // not taken by the rebuilt runtime, which has a route of its own.
    expect(dispatchFact).toBeDefined();
    expect(() =>
      dispatchFact?.({ type: 'assistant.text_delta', turn: 1, index: 0, text: 'late' }),
    ).not.toThrow();
    // Whatever the rebuilt runtime had queued before this is handled (a resent command waits its
    // turn) and written.
    expect(await rebuilt.command({ type: 'user.message', commandId: 'm1', text: 'Hello' })).toEqual(
      { status: 'duplicate' },
    );
    await deps.writer.flush();
    expect(await store.log.lastSeq('c1')).toBe(rebuiltSeq);
    expect(failures).toBe(1);
    const text = rebuilt
      .snapshot()
      .context.items.flatMap((item) => (item.kind === 'assistant' ? item.blocks : []));
    expect(text).toEqual([]);
    expect(rebuilt.snapshot().value).toBe('failed');
    rebuilt.stop();
  });

  it('refuses a command that comes after facts it could not write, and logs nothing of it', async () => {
    const store = t.store;
    const appendBatch = store.log.appendBatch.bind(store.log);
    store.log.appendBatch = async () => {
      store.log.appendBatch = appendBatch;
      throw new Error('SQLITE_FULL: database or disk is full');
    };
    const factRoutes = createFactRoutes(silentLogger());
    let dispatchFact: ((fact: FactEvent) => void) | undefined;
    const runtime = await openConversationRuntime({
      conversationId: 'c1',
      ...storeDeps(store, () => undefined),
      liveMachine: conversationMachine.provide({
        actors: {
          claude: fromCallback<ConversationEvent, ClaudeRequest>(({ system }) => {
            dispatchFact = factRoutes.dispatchFor(system);
          }),
        },
      }),
      factRoutes,
      clock: () => 1,
      logger: silentLogger(),
    });
    expect(
      await runtime.command({ type: 'user.message', commandId: 'm1', text: 'Hello' }),
    ).toMatchObject({ status: 'accepted' });
    dispatchFact?.({ type: 'assistant.started', turn: 1, messageId: 'msg_1', model: 'm' });
    dispatchFact?.({ type: 'assistant.text_delta', turn: 1, index: 0, text: 'LOST ' });

    // Stop writes the pending delta first; that fails, and the conversation stops before Stop.
    expect(await runtime.command({ type: 'turn.stop', commandId: 's1' })).toMatchObject({
      status: 'rejected',
      code: 'closing',
    });
    expect((await store.log.read('c1')).map((entry) => entry.event.type)).toEqual([
      'user.message',
      'assistant.started',
    ]);
    expect(await store.commands.has('c1', 's1')).toBe(false);
  });

  it('stops when a fact a command caused cannot be written, and still reports the command', async () => {
    const store = t.store;
    const append = store.log.append.bind(store.log);
    store.log.append = async (entry) => {
      if (entry.event.type === 'tool.started') throw new Error('SQLITE_IOERR: disk I/O error');
      return append(entry);
    };
    const factRoutes = createFactRoutes(silentLogger());
    let claude: ((fact: FactEvent) => void) | undefined;
    let failures = 0;
    const failed = signal();
    const runtime = await openConversationRuntime({
      conversationId: 'c1',
      ...storeDeps(store, () => undefined),
      liveMachine: conversationMachine.provide({
        actors: {
          claude: fromCallback<ConversationEvent, ClaudeRequest>(({ system }) => {
            claude = factRoutes.dispatchFor(system);
          }),
          // Reports its start at once, inside the approval's own dispatch, as the MCP one does.
          tool: fromCallback<ConversationEvent, ToolRequest>(({ input, system }) => {
            factRoutes.dispatchFor(system)(ev.toolStarted(input.toolUseId));
          }),
        },
      }),
      factRoutes,
      clock: () => 1,
      logger: silentLogger(),
      onFailure: () => {
        failures += 1;
        failed.resolve();
      },
    });
    const seen: string[] = [];
    await runtime.subscribe({ deliver: (message) => seen.push(message) }, 0);
    expect(
      await runtime.command({ type: 'user.message', commandId: 'm1', text: 'Write a.md' }),
    ).toMatchObject({ status: 'accepted' });
    claude?.(ev.started(1));
    claude?.(ev.toolUse(1, 0, 'toolu_1', 'write_file', { path: 'a.md', content: 'x' }));
    claude?.(ev.completed(1, 'tool_use'));

    const outcome = await runtime.command({
      type: 'tool.approve',
      commandId: 'a1',
      toolUseId: 'toolu_1',
      scope: 'once',
    });
    // The approval is in the log and was published; what failed after it stopped the conversation.
    expect(outcome).toMatchObject({ status: 'accepted' });
    const approval = (await store.log.read('c1')).at(-1);
    expect(approval?.event.type).toBe('tool.approve');
    expect(outcome).toEqual({ status: 'accepted', seq: approval?.seq });
    expect(seen.some((message) => message.includes('"type":"tool.approve"'))).toBe(true);
    // Its tool reported its start inside the approval's dispatch: that fact waits its turn, and
    // writing it fails.
    await failed.promise;
    expect(failures).toBe(1);
    expect((await store.log.read('c1')).at(-1)?.event.type).toBe('tool.approve');
    expect(JSON.parse(seen.at(-1) ?? '{}')).toMatchObject({ type: 'error', code: 'internal' });
    expect(await runtime.command({ type: 'turn.stop', commandId: 's1' })).toMatchObject({
      status: 'rejected',
      code: 'closing',
    });
  });

  it('stops when another writer took its next seq, and appends nothing more', async () => {
    const store = t.store;
    const factRoutes = createFactRoutes(silentLogger());
    let failures = 0;
    const runtime = await openConversationRuntime({
      conversationId: 'c1',
      ...storeDeps(store),
      liveMachine: conversationMachine.provide({
        actors: { claude: fromCallback<ConversationEvent, ClaudeRequest>(() => {}) },
      }),
      factRoutes,
      clock: () => 1,
      logger: silentLogger(),
      onFailure: () => failures++,
    });
    const told: string[] = [];
    await runtime.subscribe({ deliver: (message) => told.push(message) }, 0);
    // Another instance took the conversation and wrote entry 1 behind this runtime's back.
    const elsewhere = ev.userMessage('From the other instance');
    await store.log.append({ conversationId: 'c1', seq: 1, event: elsewhere, at: 1 });
    expect(
      await runtime.command({ type: 'user.message', commandId: 'm1', text: 'Stale' }),
    ).toMatchObject({ status: 'rejected', code: 'closing' });
    expect(failures).toBe(1);
    expect(told.some((message) => message.includes('"code":"internal"'))).toBe(true);
    expect(
      await runtime.command({ type: 'user.message', commandId: 'm2', text: 'Later' }),
    ).toMatchObject({ status: 'rejected', code: 'closing' });
    expect((await store.log.read('c1')).map((entry) => entry.event)).toEqual([elsewhere]);
  });

  it('when dropped, never writes the facts still waiting for their group commit', async () => {
    const store = t.store;
    const factRoutes = createFactRoutes(silentLogger());
    let dispatchFact: ((fact: FactEvent) => void) | undefined;
    const deps = storeDeps(store);
    const runtime = await openConversationRuntime({
      conversationId: 'c1',
      ...deps,
      liveMachine: conversationMachine.provide({
        actors: {
          claude: fromCallback<ConversationEvent, ClaudeRequest>(({ system }) => {
            dispatchFact = factRoutes.dispatchFor(system);
          }),
        },
      }),
      factRoutes,
      clock: () => 1,
      logger: silentLogger(),
    });
    await runtime.command({ type: 'user.message', commandId: 'm1', text: 'Hello' });
    dispatchFact?.({ type: 'assistant.started', turn: 1, messageId: 'msg_1', model: 'm' });
    await vi.waitFor(async () => expect(await store.log.lastSeq('c1')).toBe(2));
    dispatchFact?.({ type: 'assistant.text_delta', turn: 1, index: 0, text: 'never written' });
    // This instance lost the store: the delta, applied but not yet written, must not land later.
    runtime.drop();
    await deps.writer.flush();
    expect((await store.log.read('c1')).map((entry) => entry.event.type)).toEqual([
      'user.message',
      'assistant.started',
    ]);
  });
});
