import {
  type ClaudeRequest,
  type ConversationEvent,
  conversationMachine,
} from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { fromCallback } from 'xstate';
import { openConversationRuntime } from '../../src/conversations/conversation-runtime.ts';
import { createFactRoutes } from '../../src/conversations/fact-routes.ts';
import { silentLogger } from '../silent-logger.ts';
import { tempStorePerTest } from '../store/support/temp-store.ts';
import { storeDeps } from './support/store-deps.ts';
import { watcher } from './support/watcher.ts';

const t = tempStorePerTest(async (store) => {
  await store.conversations.create({ id: 'c1', createdAt: 0 });
  await store.conversations.create({ id: 'c2', createdAt: 0 });
});

describe('conversations sharing one live machine', () => {
  it("each one's IO actors report into its own log, even when their turns interleave", async () => {
    const factRoutes = createFactRoutes(silentLogger());
    // A Claude that repeats the question back, a word per event-loop turn, so the two
    // conversations' streams interleave.
    const liveMachine = conversationMachine.provide({
      actors: {
        claude: fromCallback<ConversationEvent, ClaudeRequest>(({ input, system }) => {
          const dispatch = factRoutes.dispatchFor(system);
          const [question] = input.messages.at(-1)?.content ?? [];
          const words = question?.type === 'text' ? question.text.split(' ') : ['?'];
          const turn = input.turn;
          let stopped = false;
          void (async () => {
            dispatch({ type: 'assistant.started', turn, messageId: 'm', model: 'm' });
            for (const word of words) {
              await new Promise((resolve) => setImmediate(resolve));
              if (stopped) return;
              dispatch({ type: 'assistant.text_delta', turn, index: 0, text: `${word} ` });
            }
          })();
          return () => {
            stopped = true;
          };
        }),
      },
    });
    const deps = {
      ...storeDeps(t.store),
      liveMachine,
      factRoutes,
      clock: () => 1,
      logger: silentLogger(),
    };
    const first = await openConversationRuntime({ ...deps, conversationId: 'c1' });
    const second = await openConversationRuntime({ ...deps, conversationId: 'c2' });
    // Each conversation's watcher: an entry reaches it once it is durable.
    const firstTab = watcher();
    const secondTab = watcher();
    await first.subscribe(firstTab, 0);
    await second.subscribe(secondTab, 0);
    try {
      // Both questions at once, so the two answers stream side by side.
      expect(
        await Promise.all([
          first.command({ type: 'user.message', commandId: 'a', text: 'one two three four' }),
          second.command({ type: 'user.message', commandId: 'b', text: 'five six seven eight' }),
        ]),
      ).toMatchObject([{ status: 'accepted' }, { status: 'accepted' }]);
      // The question, assistant.started and four deltas each.
      await Promise.all([firstTab.holding(6), secondTab.holding(6)]);
      const answer = async (id: string) =>
        (await t.store.log.read(id))
          .flatMap((entry) =>
            entry.event.type === 'assistant.text_delta' ? [entry.event.text] : [],
          )
          .join('');

      expect(await answer('c1')).toBe('one two three four ');
      expect(await answer('c2')).toBe('five six seven eight ');
      expect(firstTab.received.every((entry) => entry.conversationId === 'c1')).toBe(true);
      expect(secondTab.received.every((entry) => entry.conversationId === 'c2')).toBe(true);
    } finally {
      first.stop();
      second.stop();
    }
  });
});
