import type { ClaudeRequest, ConversationEvent } from '@tollgate/machines';
import { fromCallback } from 'xstate';
import type { DispatchFor } from '../conversations/fact-routes.ts';
import type { Logger } from '../logger.ts';
import type { ClaudeClient } from './claude-client.ts';
import type { ClaudeSettings } from './claude-config.ts';
import { buildClaudeRequest, type ClaudeToolDefinition } from './claude-request.ts';
import { streamAssistantTurn } from './stream-assistant-turn.ts';

export interface ClaudeActorDeps {
  client: ClaudeClient;
  settings: ClaudeSettings;
  /** The tools Claude may call right now (the hub's, with unavailable servers left out). */
  tools: () => ClaudeToolDefinition[];
  /** The way in of the conversation the actor runs for: logs each fact, then hands it over. */
  dispatchFor: DispatchFor;
  logger: Logger;
}

/**
 * The machine's `claude` actor: streams one assistant turn and reports it through `dispatch`,
 * which logs every fact (the runtime says when the machine consumes it). Stopping the actor
 * (Stop, or the machine leaving the turn) aborts the HTTP stream.
 */
export function createClaudeActor(deps: ClaudeActorDeps) {
  return fromCallback<ConversationEvent, ClaudeRequest>(({ input, system }) => {
    const controller = new AbortController();
    streamAssistantTurn({
      client: deps.client,
      params: buildClaudeRequest(deps.settings, input.messages, deps.tools(), input.settings),
      turn: input.turn,
      signal: controller.signal,
      emit: deps.dispatchFor(system),
      logger: deps.logger.child({ turn: input.turn }),
    }).catch((error: unknown) => deps.logger.error({ err: error }, 'Claude turn failed to report'));
    return () => controller.abort();
  });
}
