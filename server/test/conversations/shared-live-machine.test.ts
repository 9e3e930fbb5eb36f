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

const t = tempStorePerTest((store) => {
  store.conversations.create({ id: 'c1', createdAt: 0 });
  store.conversations.create({ id: 'c2', createdAt: 0 });
});

describe('conversations sharing one live machine', () => {
  it("each one's IO actors report into its own log, even when their turns interleave", async () => {
    const factRoutes = createFactRoutes(silentLogger());
    // Resolves once both answers are reported and group-committed: the log writer's commit was
    // scheduled (setImmediate) by the last fact, before this one.
    let answered = 0;
    let bothAnswered = () => {};
    const committed = new Promise<void>((resolve) => {
      bothAnswered = () => setImmediate(resolve);
    });
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
            if (++answered === 2) bothAnswered();
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
    const first = openConversationRuntime({ ...deps, conversationId: 'c1' });
    const second = openConversationRuntime({ ...deps, conversationId: 'c2' });
    try {
      first.command({ type: 'user.message', commandId: 'a', text: 'one two three four' });
      second.command({ type: 'user.message', commandId: 'b', text: 'five six seven eight' });
      await committed;
      const answer = (id: string) =>
        t.store.log
          .read(id)
          .flatMap((entry) =>
            entry.event.type === 'assistant.text_delta' ? [entry.event.text] : [],
          )
          .join('');

      expect(answer('c1')).toBe('one two three four ');
      expect(answer('c2')).toBe('five six seven eight ');
    } finally {
      first.stop();
      second.stop();
    }
  });
});
