import { AnthropicError } from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { FactEvent } from '@tollgate/machines';
import type { Logger } from '../logger.ts';
import type { ClaudeClient } from './claude-client.ts';
import { createClaudeStreamTranslator } from './claude-stream-translator.ts';
import { describeClaudeError, isAbort } from './describe-claude-error.ts';

export interface StreamAssistantTurnOptions {
  client: ClaudeClient;
  params: MessageCreateParamsStreaming;
  turn: number;
  /** Aborted by Stop: the HTTP stream is closed and nothing more is reported. */
  signal: AbortSignal;
  /** Receives each fact the moment its SSE event is parsed. */
  emit: (fact: FactEvent) => void;
  logger: Logger;
}

/**
 * Streams one assistant turn from Claude through the official SDK and reports it as fact events:
 * started, deltas, complete tool calls, then completed, or failed with what the person should
 * know. Never throws; an abort ends it silently.
 */
export async function streamAssistantTurn(options: StreamAssistantTurnOptions): Promise<void> {
  const { client, params, turn, emit, logger } = options;
  const translator = createClaudeStreamTranslator(turn);
  // Our own controller, so a malformed event can end the stream the same way Stop does.
  const controller = new AbortController();
  const stopOnAbort = () => controller.abort();
  options.signal.addEventListener('abort', stopOnAbort);
  if (options.signal.aborted) controller.abort();
  let invalid: unknown = null;
  let requestId: string | null = null;

  try {
    const { data: stream, request_id } = await client.messages
      .create(params, { signal: controller.signal })
      .withResponse();
    requestId = request_id ?? null;
    // The raw event stream: the SDK's MessageStream would also rebuild the whole message after
    // every event, which the translator does not need.
    for await (const event of stream) {
      try {
        const facts = translator.translate(event);
        // After message_stop the answer is whole, and its end stops this actor. The rest of the
        // body (its last bytes) is still read, so the kept-alive connection goes back to the
        // pool for the next request instead of being cut by that stop.
        if (translator.completed()) options.signal.removeEventListener('abort', stopOnAbort);
        for (const fact of facts) emit(fact);
      } catch (error) {
        invalid = error;
        break; // leaving the loop closes the HTTP stream
      }
    }
    if (invalid !== null) throw invalid;
    if (!translator.completed()) {
      throw new AnthropicError('the stream ended before message_stop');
    }
  } catch (error) {
    if (invalid === null && (options.signal.aborted || isAbort(error))) return;
    const failure = describeClaudeError(invalid ?? error);
    const message =
      invalid instanceof Error
        ? `${invalid.message}. The partial answer is kept; retry to ask again.`
        : failure.message;
    const log = failure.kind === 'invalid_request' ? logger.error : logger.warn;
    log.call(
      logger,
      {
        turn,
        kind: failure.kind,
        status: failure.status,
        requestId: failure.requestId ?? requestId,
        err: invalid ?? error,
      },
      'Claude turn failed',
    );
    emit({
      type: 'assistant.failed',
      turn,
      kind: failure.kind,
      message,
      retryable: failure.retryable,
    });
  } finally {
    options.signal.removeEventListener('abort', stopOnAbort);
  }
}
