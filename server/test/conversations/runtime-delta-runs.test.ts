import {
  type ClaudeRequest,
  type ConversationEvent,
  conversationMachine,
  currentAssistantItem,
  type FactEvent,
  type LogEntry,
  pendingToolCalls,
  replay,
} from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { fromCallback, type InspectionEvent } from 'xstate';
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

/** A Claude the test drives: `say` reports a text delta of block 0, `report` any fact. */
function scriptedClaude() {
  let dispatch: ((fact: FactEvent) => void) | null = null;
  let turn = 0;
  const machine = conversationMachine.provide({
    actors: {
      claude: fromCallback<ConversationEvent, ClaudeRequest>(({ input, system }) => {
        dispatch = factRoutes.dispatchFor(system);
        turn = input.turn;
        queueMicrotask(() =>
          dispatch?.({ type: 'assistant.started', turn, messageId: 'msg_1', model: 'm' }),
        );
      }),
    },
  });
  const report = (fact: FactEvent) => dispatch?.(fact);
  return {
    machine,
    turn: () => turn,
    report,
    say: (text: string) => report({ type: 'assistant.text_delta', turn, index: 0, text }),
  };
}

/** A runtime on conversation c1 of the test's store, recording each delta its actor consumes. */
async function openRuntime(claude: ReturnType<typeof scriptedClaude>) {
  const consumed: string[] = [];
  const runtime = await openConversationRuntime({
    conversationId: 'c1',
    ...storeDeps(t.store),
    liveMachine: claude.machine,
    factRoutes,
    clock: () => 1,
    logger: silentLogger(),
    // What the XState inspector shows of each delta the actor consumes.
    inspect: (event: InspectionEvent) => {
      if (event.type !== '@xstate.event' || !String(event.event.type).endsWith('_delta')) return;
      const { text, thinking, partialJson } = event.event;
      consumed.push(String(text ?? thinking ?? partialJson));
    },
  });
  return { runtime, consumed };
}

/** A watcher that keeps every entry it is sent, and can wait until it holds `count` of them. */
function watcher() {
  const received: LogEntry[] = [];
  let waiting: { count: number; resolve: () => void } | null = null;
  return {
    received,
    deliver(message: string) {
      const parsed = JSON.parse(message) as { type: string; entries?: LogEntry[] };
      received.push(...(parsed.entries ?? []));
      if (waiting && received.length >= waiting.count) waiting.resolve();
    },
    holding: (count: number) =>
      new Promise<void>((resolve) => {
        if (received.length >= count) resolve();
        else waiting = { count, resolve };
      }),
  };
}

const view = (snapshot: { value: unknown; context: unknown }) => ({
  value: snapshot.value,
  context: snapshot.context,
});

describe('a live actor folding a streamed answer', () => {
  it('sends every delta to watchers on its own at once, and folds the run as one event', async () => {
    const claude = scriptedClaude();
    const { runtime, consumed: inspected } = await openRuntime(claude);
    const tab = watcher();
    await runtime.subscribe(tab, 0);
    try {
      expect(
        await runtime.command({ type: 'user.message', commandId: 'm1', text: 'Count to four' }),
      ).toEqual({ status: 'accepted', seq: 1 });
      await tab.holding(2); // the message, assistant.started

      for (const word of ['One, ', 'two, ', 'three, ']) {
        claude.say(word);
        await tab.holding(tab.received.length + 1);
        expect(tab.received.at(-1)?.event).toMatchObject({ text: word });
      }
      // Read mid-run, the state has every delta so far.
      expect(currentAssistantItem(runtime.snapshot().context)?.blocks).toEqual([
        { type: 'text', index: 0, text: 'One, two, three, ' },
      ]);
      claude.say('four.');
      await tab.holding(6);
      expect(await runtime.command({ type: 'turn.stop', commandId: 's1' })).toEqual({
        status: 'accepted',
        seq: 7,
      });
      await tab.holding(7);

      // Stop keeps the whole answer, as the log's replay does.
      expect(currentAssistantItem(runtime.snapshot().context)?.blocks).toEqual([
        { type: 'text', index: 0, text: 'One, two, three, four.' },
      ]);
      expect(view(runtime.snapshot())).toEqual(view(replay(await t.store.log.read('c1'))));
      // The log and the watchers have one entry per delta; the inspector, one event per run.
      expect(
        tab.received.flatMap((entry) =>
          entry.event.type === 'assistant.text_delta' ? [entry.event.text] : [],
        ),
      ).toEqual(['One, ', 'two, ', 'three, ', 'four.']);
      expect(tab.received.map((entry) => entry.seq)).toEqual(
        (await t.store.log.read('c1')).map((entry) => entry.seq),
      );
      expect(inspected).toEqual(['One, two, three, ', 'four.']);
    } finally {
      runtime.stop();
    }
  });

  it('ends a run at the next other fact, and reaches the state its log replays to', async () => {
    const claude = scriptedClaude();
    const { runtime, consumed } = await openRuntime(claude);
    const tab = watcher();
    await runtime.subscribe(tab, 0);
    try {
      expect(
        await runtime.command({ type: 'user.message', commandId: 'm1', text: 'Write a.md' }),
      ).toEqual({ status: 'accepted', seq: 1 });
      await tab.holding(2); // the message, assistant.started
      const turn = claude.turn();
      const facts: FactEvent[] = [
        ev.thinkingDelta(turn, 'Let me ', 0),
        ev.thinkingDelta(turn, 'think.', 0),
        ev.thinkingSignature(turn, 'sig', 0),
        ev.textDelta(turn, 'I will ', 1),
        ev.textDelta(turn, 'write it.', 1),
        ev.toolInputDelta(turn, 2, 'toolu_a', 'write_file', '{"path":"a.md",'),
        ev.toolInputDelta(turn, 2, 'toolu_a', 'write_file', '"content":"hi"}'),
        ev.toolUse(turn, 2, 'toolu_a', 'write_file', { path: 'a.md', content: 'hi' }),
        ev.completed(turn, 'tool_use'),
      ];
      for (const fact of facts) claude.report(fact);
      await tab.holding(2 + facts.length);

      // Each run was consumed whole when the next fact arrived, before anything read the state.
      expect(consumed).toEqual([
        'Let me think.',
        'I will write it.',
        '{"path":"a.md","content":"hi"}',
      ]);
      expect(tab.received.slice(2).map((entry) => entry.event)).toEqual(facts);
      const snapshot = runtime.snapshot();
      expect(pendingToolCalls(snapshot.context).map((call) => call.toolUseId)).toEqual(['toolu_a']);
      expect(view(snapshot)).toEqual(view(replay(await t.store.log.read('c1'))));
    } finally {
      runtime.stop();
    }
  });
});
