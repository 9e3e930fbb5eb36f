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
  /**
   * Aborted by Stop, or when the turn ended: until `message_stop` the HTTP stream is closed at
   * once and nothing more is reported; after it, the rest of the body is read (see DRAIN_MS).
   */
  signal: AbortSignal;
  /** Receives each fact the moment its SSE event is parsed. */
  emit: (fact: FactEvent) => void;
  logger: Logger;
  /** How long a body may take to end once the turn was stopped after `message_stop` (tests). */
  drainMs?: number;
}

/**
 * After `message_stop` only the body's last bytes are due: reading them lets the kept-alive
 * connection go back to the pool for the next request. A stopped turn waits this long for them,
 * then closes the connection (a server that keeps it open would otherwise hold it for 300 s).
 */
const DRAIN_MS = 2_000;

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
  let drain: NodeJS.Timeout | null = null;
  // The turn's end stops this actor right after `message_stop`, a few bytes before the body
  // ends: from then on a stop only bounds how long those bytes may take.
  const stopOnAbort = () => {
    if (!translator.completed()) controller.abort();
    else drain ??= setTimeout(() => controller.abort(), options.drainMs ?? DRAIN_MS);
  };
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
      // The answer is whole: what follows is read to the end and ignored.
      if (translator.completed()) continue;
      try {
        for (const fact of translator.translate(event)) emit(fact);
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
    // A broken connection after a whole answer changes nothing the person sees.
    if (translator.completed()) {
      logger.debug({ turn, err: error }, 'the connection broke after the answer was complete');
      return;
    }
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
    if (drain) clearTimeout(drain);
  }
}
