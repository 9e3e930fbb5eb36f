import type { ClaudeRequest, ConversationEvent } from '@tollgate/machines';
import { fromCallback } from 'xstate';
import type { DispatchFor } from '../conversations/fact-routes.ts';
import type { ImageStore } from '../images/image-store.ts';
import { MissingImageError, resolveImageReferences } from '../images/resolve-image-references.ts';
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
  /** Where the images a conversation names are read from; without it, none can be sent. */
  images?: Pick<ImageStore, 'get'>;
}

const NO_IMAGES: Pick<ImageStore, 'get'> = { get: async () => null };

/**
 * The machine's `claude` actor: streams one assistant turn and reports it through `dispatch`,
 * which logs every fact (the runtime says when the machine consumes it). Stopping the actor
 * (Stop, or the machine leaving the turn) aborts the HTTP stream, unless its `message_stop` has
 * arrived: then the body's last bytes are read first (stream-assistant-turn.ts, DRAIN_MS).
 */
export function createClaudeActor(deps: ClaudeActorDeps) {
  return fromCallback<ConversationEvent, ClaudeRequest>(({ input, system }) => {
    const controller = new AbortController();
    const emit = deps.dispatchFor(system);
    const logger = deps.logger.child({ turn: input.turn });
    const request = buildClaudeRequest(deps.settings, input.messages, deps.tools(), input.settings);
    // The machine names images by hash; their bytes are read here, at the edge, for each request.
    resolveImageReferences(request.messages, deps.images ?? NO_IMAGES)
      .then(
        async (messages) => {
          if (controller.signal.aborted) return;
          await streamAssistantTurn({
            client: deps.client,
            params: { ...request, messages },
            turn: input.turn,
            signal: controller.signal,
            emit,
            logger,
          });
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          logger.error({ err: error }, 'the images of a Claude request could not be read');
          emit({
            type: 'assistant.failed',
            turn: input.turn,
            kind: 'invalid_request',
            message:
              error instanceof MissingImageError
                ? error.message
                : 'The images of this conversation could not be read on the server; retry to ask again.',
            retryable: true,
          });
        },
      )
      .catch((error: unknown) => deps.logger.error({ err: error }, 'Claude turn failed to report'));
    return () => controller.abort();
  });
}
