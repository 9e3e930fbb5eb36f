import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import {
  type FactEvent,
  factEventSchema,
  isStreamedEvent,
  stopReasonSchema,
  type Usage,
} from '@tollgate/machines';

/** Claude sent something that cannot be a valid turn; the turn fails instead of folding it in. */
export class UnexpectedClaudeEvent extends Error {
  override name = 'UnexpectedClaudeEvent';
}

/** Usage counters as the API sends them: whole-message totals, some omitted when they don't apply. */
interface WireUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/** Overwrites the counters `update` carries (never adds: each is a total so far). */
function mergeUsage(usage: Usage, update: WireUsage): Usage {
  return {
    inputTokens: update.input_tokens ?? usage.inputTokens,
    outputTokens: update.output_tokens ?? usage.outputTokens,
    cacheReadInputTokens: update.cache_read_input_tokens ?? usage.cacheReadInputTokens,
    cacheCreationInputTokens: update.cache_creation_input_tokens ?? usage.cacheCreationInputTokens,
  };
}

const NO_USAGE: Usage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 0,
};

/**
 * Turns the SDK's raw stream events of one request into the machine's fact events, one for one
 * and at once (never batched). Tool input is collected per block and parsed strictly when the
 * block stops: it is valid JSON only then. The stop reason and usage are gathered from
 * message_start and message_delta, as the API defines them. Every fact is validated against the
 * machine's schema here, at the edge, and so is the order of the events: a delta for a block
 * that was never started, or of the wrong kind, ends the turn.
 */
export function createClaudeStreamTranslator(turn: number) {
  const toolBlocks = new Map<number, { id: string; name: string; json: string }>();
  const openBlocks = new Map<number, string>();
  let started = false;
  let completed = false;
  let stopReason: string | null = null;
  let usage = NO_USAGE;

  function expectBlock(index: number, deltaType: string, blockType: string) {
    const open = openBlocks.get(index);
    if (open !== blockType) {
      throw new UnexpectedClaudeEvent(
        open === undefined
          ? `${deltaType} for block ${index}, which was not started`
          : `${deltaType} for block ${index}, which is a ${open} block`,
      );
    }
  }

  function valid(fact: FactEvent): FactEvent {
    // Nearly every event of an answer is a delta: checked by hand (streamed-event-check.ts).
    if (isStreamedEvent(fact)) return fact;
    const parsed = factEventSchema.safeParse(fact);
    if (!parsed.success) {
      throw new UnexpectedClaudeEvent(
        `Claude sent a ${fact.type} Tollgate cannot accept: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    }
    return parsed.data;
  }

  function translate(event: RawMessageStreamEvent): FactEvent[] {
    if (!started && event.type !== 'message_start') {
      throw new UnexpectedClaudeEvent(`${event.type} before message_start`);
    }
    switch (event.type) {
      case 'message_start':
        if (started) throw new UnexpectedClaudeEvent('a second message_start');
        started = true;
        usage = mergeUsage(usage, event.message.usage);
        return [
          valid({
            type: 'assistant.started',
            turn,
            messageId: event.message.id,
            model: event.message.model,
          }),
        ];
      case 'content_block_start': {
        const block = event.content_block;
        openBlocks.set(event.index, block.type);
        if (block.type === 'tool_use') {
          toolBlocks.set(event.index, { id: block.id, name: block.name, json: '' });
          // Announce the call at once, so the page can show who asks for what before the input.
          return [
            valid({
              type: 'assistant.tool_input_delta',
              turn,
              index: event.index,
              toolUseId: block.id,
              name: block.name,
              partialJson: '',
            }),
          ];
        }
        if (block.type === 'redacted_thinking') {
          return [
            valid({
              type: 'assistant.redacted_thinking',
              turn,
              index: event.index,
              data: block.data,
            }),
          ];
        }
        return [];
      }
      case 'content_block_delta': {
        const delta = event.delta;
        switch (delta.type) {
          case 'text_delta':
            expectBlock(event.index, delta.type, 'text');
            return delta.text === ''
              ? []
              : [
                  valid({
                    type: 'assistant.text_delta',
                    turn,
                    index: event.index,
                    text: delta.text,
                  }),
                ];
          case 'thinking_delta':
            expectBlock(event.index, delta.type, 'thinking');
            return [
              valid({
                type: 'assistant.thinking_delta',
                turn,
                index: event.index,
                thinking: delta.thinking,
              }),
            ];
          case 'signature_delta':
            expectBlock(event.index, delta.type, 'thinking');
            return [
              valid({
                type: 'assistant.thinking_signature',
                turn,
                index: event.index,
                signature: delta.signature,
              }),
            ];
          case 'input_json_delta': {
            expectBlock(event.index, delta.type, 'tool_use');
            const tool = toolBlocks.get(event.index)!;
            tool.json += delta.partial_json;
            return delta.partial_json === ''
              ? []
              : [
                  valid({
                    type: 'assistant.tool_input_delta',
                    turn,
                    index: event.index,
                    toolUseId: tool.id,
                    name: tool.name,
                    partialJson: delta.partial_json,
                  }),
                ];
          }
          default:
            // Citations and future delta kinds carry nothing the timeline shows.
            return [];
        }
      }
      case 'content_block_stop': {
        if (!openBlocks.delete(event.index)) {
          throw new UnexpectedClaudeEvent(
            `content_block_stop for block ${event.index}, which was not started`,
          );
        }
        const tool = toolBlocks.get(event.index);
        if (!tool) return [];
        toolBlocks.delete(event.index);
        let input: unknown;
        try {
          input = tool.json === '' ? {} : JSON.parse(tool.json);
        } catch {
          throw new UnexpectedClaudeEvent(`the input of ${tool.name} is not valid JSON`);
        }
        return [
          valid({
            type: 'assistant.tool_use',
            turn,
            index: event.index,
            toolUseId: tool.id,
            name: tool.name,
            input: input as Record<string, unknown>,
          }),
        ];
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        usage = mergeUsage(usage, event.usage);
        return [];
      case 'message_stop': {
        const known = stopReasonSchema.safeParse(stopReason ?? 'end_turn');
        if (!known.success) {
          throw new UnexpectedClaudeEvent(`unknown stop reason "${stopReason}"`);
        }
        completed = true;
        return [valid({ type: 'assistant.completed', turn, stopReason: known.data, usage })];
      }
      default:
        return [];
    }
  }

  return {
    translate,
    /** Whether message_stop arrived: a stream that ends without it was cut. */
    completed: () => completed,
  };
}
