import {
  type ClaudeRequest,
  type ConversationEvent,
  conversationMachine,
  inertConversationMachine,
  MACHINE_VERSION,
  replay,
} from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { createActor, fromCallback } from 'xstate';
import * as ev from '../../../machines/src/test-support/event-builders.ts';
import { openConversationRuntime } from '../../src/conversations/conversation-runtime.ts';
import { createFactRoutes } from '../../src/conversations/fact-routes.ts';
import { silentLogger } from '../silent-logger.ts';
import { tempStorePerTest } from '../store/support/temp-store.ts';
import { storeDeps } from './support/store-deps.ts';
import { watcher } from './support/watcher.ts';

const factRoutes = createFactRoutes(silentLogger());

/** A Claude that answers every request with three deltas, reported through the runtime. */
const answeringMachine = conversationMachine.provide({
  actors: {
    claude: fromCallback<ConversationEvent, ClaudeRequest>(({ input, system }) => {
      const dispatch = factRoutes.dispatchFor(system);
      queueMicrotask(() => {
        const turn = input.turn;
        dispatch({ type: 'assistant.started', turn, messageId: `msg_${turn}`, model: 'm' });
        for (const text of ['One, ', 'two, ', 'three.']) {
          dispatch({ type: 'assistant.text_delta', turn, index: 0, text });
        }
        dispatch({
          type: 'assistant.completed',
          turn,
          stopReason: 'end_turn',
          usage: {
            inputTokens: 1,
            outputTokens: 1,
            cacheReadInputTokens: 0,
            cacheCreationInputTokens: 0,
          },
        });
      });
    }),
  },
});

const t = tempStorePerTest(async (store) => {
  await store.conversations.create({ id: 'c1', createdAt: 0 });
});
/** What a runtime of conversation c1 in the test's store, answered by `answeringMachine`, needs. */
function runtimeDeps() {
  let clock = 0;
  return {
    conversationId: 'c1',
    ...storeDeps(t.store),
    liveMachine: answeringMachine,
    factRoutes,
    clock: () => ++clock,
    logger: silentLogger(),
  };
}

/** The entries of one exchange: the question, started, three deltas, completed. */
const EXCHANGE = 6;

describe('a conversation runtime', () => {
  it('group-commits streamed facts in order, checkpoints at rest, and rebuilds to the same state', async () => {
    const store = t.store;
    const deps = runtimeDeps();
    const runtime = await openConversationRuntime(deps);
    const tab = watcher();
    await runtime.subscribe(tab, 0);
    for (let i = 0; i < 120; i++) {
      expect(
        (await runtime.command({ type: 'user.message', commandId: `m${i}`, text: `Question ${i}` }))
          .status,
      ).toBe('accepted');
      // The answer is in the log (published once durable): the conversation is at rest again.
      await tab.holding((i + 1) * EXCHANGE);
    }
    expect(runtime.snapshot().value).toBe('idle');
    // The deltas were group-committed, yet the log keeps the order the actor consumed them in.
    expect((await store.log.read('c1')).slice(0, 7).map((entry) => entry.event.type)).toEqual([
      'user.message',
      'assistant.started',
      'assistant.text_delta',
      'assistant.text_delta',
      'assistant.text_delta',
      'assistant.completed',
      'user.message',
    ]);
    expect(tab.received.map((entry) => entry.seq)).toEqual(
      Array.from({ length: 120 * EXCHANGE }, (_, i) => i + 1),
    );
    const checkpoint = await store.checkpoints.latest('c1');
    expect(checkpoint?.seq).toBeGreaterThanOrEqual(500);
    const live = runtime.snapshot().context;
    runtime.stop();

    const rebuilt = await openConversationRuntime(deps);
    expect(rebuilt.snapshot().context).toEqual(live);
    expect(rebuilt.snapshot().context).toEqual(replay(await store.log.read('c1')).context);
    expect(
      await rebuilt.command({ type: 'user.message', commandId: 'm0', text: 'Question 0' }),
    ).toEqual({
      status: 'duplicate',
    });
    rebuilt.stop();
  });

  it('opens from a checkpoint of its last entry, and goes on', async () => {
    const store = t.store;
    const deps = runtimeDeps();
    const first = await openConversationRuntime(deps);
    const tab = watcher();
    await first.subscribe(tab, 0);
    await first.command({ type: 'user.message', commandId: 'q1', text: 'Question 1' });
    await tab.holding(EXCHANGE);
    first.stop();
    // A checkpoint of the whole log, nothing after it: the rebuild reads no entry.
    const log = await store.log.read('c1');
    const actor = createActor(inertConversationMachine, { snapshot: replay(log) });
    await store.checkpoints.save('c1', EXCHANGE, actor.getPersistedSnapshot());
    expect((await store.checkpoints.latest('c1'))?.seq).toBe(EXCHANGE);

    const rebuilt = await openConversationRuntime(deps);
    expect(rebuilt.snapshot().value).toBe('idle');
    expect(rebuilt.snapshot().context).toEqual(replay(log).context);
    const again = watcher();
    await rebuilt.subscribe(again, EXCHANGE);
    expect(
      (await rebuilt.command({ type: 'user.message', commandId: 'q2', text: 'Question 2' })).status,
    ).toBe('accepted');
    await again.holding(EXCHANGE);
    expect(again.received.map((entry) => entry.event.type).at(-1)).toBe('assistant.completed');
    rebuilt.stop();
  });

  it('saves what a long rebuild folded, and a tab that takes checkpoints catches up from it', async () => {
    const store = t.store;
    // 100 exchanges written by an earlier server that saved no checkpoint.
    const events = Array.from({ length: 100 }, (_, i) => [
      ev.userMessage(`Question ${i}`),
      ev.started(i + 1),
      ...['One, ', 'two, ', 'three.'].map((text) => ev.textDelta(i + 1, text)),
      ev.completed(i + 1),
    ]).flat();
    for (const [i, event] of events.entries()) {
      await store.log.append({ conversationId: 'c1', seq: i + 1, event, at: i });
    }
    expect(await store.checkpoints.latest('c1')).toBeNull();
    const runtime = await openConversationRuntime(runtimeDeps());
    expect((await store.checkpoints.latest('c1'))?.seq).toBe(events.length);

    const tab = watcher();
    await runtime.subscribe(tab, 0, { checkpoint: true });
    expect(tab.received).toEqual([]);
    const [checkpoint, ...rest] = tab.messages.map((message) => JSON.parse(message));
    expect(rest).toEqual([]);
    const folded = replay(await store.log.read('c1'));
    expect(checkpoint).toEqual({
      type: 'checkpoint',
      conversationId: 'c1',
      seq: events.length,
      machineVersion: MACHINE_VERSION,
      snapshot: JSON.parse(JSON.stringify({ value: folded.value, context: folded.context })),
    });
    // From there on, the entries.
    await runtime.command({ type: 'user.message', commandId: 'q', text: 'One more' });
    await tab.holding(EXCHANGE);
    expect(tab.received[0]?.seq).toBe(events.length + 1);
    runtime.stop();
  });
});
