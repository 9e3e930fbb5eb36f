import type { ClaudeRequest, ConversationEvent } from '@tollgate/machines';
import { fromCallback } from 'xstate';
import type { DispatchFor } from '../conversations/fact-routes.ts';

/**
 * The `claude` actor when Claude cannot be reached for lack of configuration: the turn fails at
 * once with the sentence that says what to set, so the person reads it in the chat itself.
 */
export function createUnconfiguredClaudeActor(message: string, dispatchFor: DispatchFor) {
  return fromCallback<ConversationEvent, ClaudeRequest>(({ input, system }) => {
    const dispatch = dispatchFor(system);
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
