// Turns a scripted answer into the exact SSE event sequence of the Messages API (claude-wire.md,
// "Streaming"): message_start, then each block strictly start → deltas → stop, one ping after the
// first block start, message_delta, message_stop. Pure, so the sequence can be checked on its own.

import { resolveUsage } from './message-usage.ts';
import type { ScriptBlock, StreamScript } from './scripted-response.ts';
import { seededRandom } from './seeded-random.ts';
import { splitText } from './split-points.ts';

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export interface StreamContext {
  messageId: string;
  model: string;
  defaultInputTokens: number;
}

export const DEFAULT_SEED = 1;

function blockStart(block: ScriptBlock): Record<string, unknown> {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: '' };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: {} };
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'redacted_thinking':
      // Redacted thinking arrives whole in its start event; it has no delta type.
      return { type: 'redacted_thinking', data: block.data };
  }
}

function blockDeltas(block: ScriptBlock, random: () => number): Record<string, unknown>[] {
  switch (block.type) {
    case 'text':
      return splitText(block.text, random).map((text) => ({ type: 'text_delta', text }));
    case 'tool_use':
      // The API opens every tool input with an empty fragment, and the JSON is only whole once
      // the block stops: fragments split keys, strings and escapes.
      return ['', ...splitText(JSON.stringify(block.input), random)].map((partial_json) => ({
        type: 'input_json_delta',
        partial_json,
      }));
    case 'thinking':
      return [
        ...splitText(block.thinking, random).map((thinking) => ({
          type: 'thinking_delta',
          thinking,
        })),
        { type: 'signature_delta', signature: block.signature },
      ];
    case 'redacted_thinking':
      return [];
  }
}

export function buildStreamEvents(script: StreamScript, context: StreamContext): SseEvent[] {
  const random = seededRandom(script.seed ?? DEFAULT_SEED);
  const usage = resolveUsage(script, context.defaultInputTokens);
  const events: SseEvent[] = [];
  const push = (event: string, data: Record<string, unknown> = {}) =>
    events.push({ event, data: { type: event, ...data } });

  push('message_start', {
    message: {
      id: context.messageId,
      type: 'message',
      role: 'assistant',
      model: context.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: 1,
        service_tier: 'standard',
      },
    },
  });
  if (script.blocks.length === 0) push('ping');
  script.blocks.forEach((block, index) => {
    push('content_block_start', { index, content_block: blockStart(block) });
    if (index === 0) push('ping');
    for (const delta of blockDeltas(block, random)) push('content_block_delta', { index, delta });
    push('content_block_stop', { index });
  });
  push('message_delta', {
    delta: { stop_reason: script.stopReason, stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  });
  push('message_stop');
  return events;
}

/** The same answer as one non-streaming Message body (`stream` absent or false). */
export function buildMessage(
  script: StreamScript,
  context: StreamContext,
): Record<string, unknown> {
  const usage = resolveUsage(script, context.defaultInputTokens);
  return {
    id: context.messageId,
    type: 'message',
    role: 'assistant',
    model: context.model,
    content: script.blocks.map((block) => ({ ...block })),
    stop_reason: script.stopReason,
    stop_sequence: null,
    usage: { ...usage, service_tier: 'standard' },
  };
}

/** One event on the wire: `event: <type>\ndata: <one-line JSON>\n\n`. */
export function encodeEvent(event: SseEvent): string {
  // JSON.stringify never emits a raw newline, so `data:` stays one line.
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
