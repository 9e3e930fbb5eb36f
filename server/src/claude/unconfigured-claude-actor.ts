import type { ClaudeRequest, ConversationEvent, FactEvent } from '@tollgate/machines';
import { fromCallback } from 'xstate';

/**
 * The `claude` actor when Claude cannot be reached for lack of configuration: the turn fails at
 * once with the sentence that says what to set, so the person reads it in the chat itself.
 */
export function createUnconfiguredClaudeActor(
  message: string,
  dispatch: (fact: FactEvent) => void,
) {
  return fromCallback<ConversationEvent, ClaudeRequest>(({ input }) => {
    queueMicrotask(() =>
      dispatch({
        type: 'assistant.failed',
        turn: input.turn,
        kind: 'authentication',
        message,
        retryable: true,
      }),
    );
  });
}
