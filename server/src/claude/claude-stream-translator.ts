import type { Message, MessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { type FactEvent, factEventSchema, stopReasonSchema, type Usage } from '@tollgate/machines';

/** Claude sent something that cannot be a valid turn; the turn fails instead of folding it in. */
export class UnexpectedClaudeEvent extends Error {
  override name = 'UnexpectedClaudeEvent';
}

function usageOf(message: Message): Usage {
  return {
    inputTokens: message.usage.input_tokens ?? 0,
    outputTokens: message.usage.output_tokens ?? 0,
    cacheReadInputTokens: message.usage.cache_read_input_tokens ?? 0,
    cacheCreationInputTokens: message.usage.cache_creation_input_tokens ?? 0,
  };
}

/**
 * Turns the SDK's raw stream events of one request into the machine's fact events, one for one
 * and at once (never batched). Tool input is collected per block and parsed strictly when the
 * block stops: it is valid JSON only then. Every fact is validated against the machine's schema
 * here, at the edge.
 */
export function createClaudeStreamTranslator(turn: number) {
  const toolBlocks = new Map<number, { id: string; name: string; json: string }>();
  let completed = false;

  function valid(fact: FactEvent): FactEvent {
    const parsed = factEventSchema.safeParse(fact);
    if (!parsed.success) {
      throw new UnexpectedClaudeEvent(
        `Claude sent a ${fact.type} Tollgate cannot accept: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    }
    return parsed.data;
  }

  function translate(event: MessageStreamEvent, snapshot: Message): FactEvent[] {
    switch (event.type) {
      case 'message_start':
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
            return [
              valid({
                type: 'assistant.thinking_delta',
                turn,
                index: event.index,
                thinking: delta.thinking,
              }),
            ];
          case 'signature_delta':
            return [
              valid({
                type: 'assistant.thinking_signature',
                turn,
                index: event.index,
                signature: delta.signature,
              }),
            ];
          case 'input_json_delta': {
            const tool = toolBlocks.get(event.index);
            if (!tool)
              throw new UnexpectedClaudeEvent(
                `input_json_delta for block ${event.index}, which is not a tool call`,
              );
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
        const tool = toolBlocks.get(event.index);
        if (!tool) return [];
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
        return [];
      case 'message_stop': {
        const stopReason = stopReasonSchema.safeParse(snapshot.stop_reason ?? 'end_turn');
        if (!stopReason.success) {
          throw new UnexpectedClaudeEvent(`unknown stop reason "${snapshot.stop_reason}"`);
        }
        completed = true;
        return [
          valid({
            type: 'assistant.completed',
            turn,
            stopReason: stopReason.data,
            usage: usageOf(snapshot),
          }),
        ];
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
