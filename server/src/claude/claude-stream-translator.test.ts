import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import { createClaudeStreamTranslator } from './claude-stream-translator.ts';

const messageStart = {
  type: 'message_start',
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-5-5',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 120, output_tokens: 1, cache_read_input_tokens: 100 },
  },
} as unknown as RawMessageStreamEvent;

const event = (value: object) => value as RawMessageStreamEvent;
const textStart = event({
  type: 'content_block_start',
  index: 0,
  content_block: { type: 'text', text: '' },
});
const textDelta = (text: string, index = 0) =>
  event({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });

function translateAll(events: RawMessageStreamEvent[]) {
  const translator = createClaudeStreamTranslator(1);
  return events.flatMap((e) => translator.translate(e));
}

describe('the Claude stream translator', () => {
  it('takes the stop reason and the usage totals from message_start and message_delta', () => {
    const facts = translateAll([
      messageStart,
      textStart,
      textDelta('Hi'),
      event({ type: 'content_block_stop', index: 0 }),
      event({
        type: 'message_delta',
        delta: { stop_reason: 'max_tokens', stop_sequence: null },
        usage: { output_tokens: 42, input_tokens: 130 },
      }),
      event({ type: 'message_stop' }),
    ]);
    expect(facts.map((fact) => fact.type)).toEqual([
      'assistant.started',
      'assistant.text_delta',
      'assistant.completed',
    ]);
    expect(facts.at(-1)).toEqual({
      type: 'assistant.completed',
      turn: 1,
      stopReason: 'max_tokens',
      usage: {
        inputTokens: 130,
        outputTokens: 42,
        cacheReadInputTokens: 100,
        cacheCreationInputTokens: 0,
      },
    });
  });

  it.each([
    ['an event before message_start', [textStart], 'content_block_start before message_start'],
    ['a second message_start', [messageStart, messageStart], 'a second message_start'],
    [
      'a delta for a block never started',
      [messageStart, textDelta('x', 3)],
      'text_delta for block 3, which was not started',
    ],
    [
      'a delta of the wrong kind',
      [
        messageStart,
        textStart,
        event({
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'input_json_delta', partial_json: '{' },
        }),
      ],
      'input_json_delta for block 0, which is a text block',
    ],
    [
      'a delta after its block stopped',
      [messageStart, textStart, event({ type: 'content_block_stop', index: 0 }), textDelta('late')],
      'text_delta for block 0, which was not started',
    ],
    [
      'a text delta whose text is not text',
      [
        messageStart,
        textStart,
        event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 7 } }),
      ],
      'Claude sent a assistant.text_delta Tollgate cannot accept',
    ],
    [
      'a text delta for a block index that is not a count',
      [
        messageStart,
        event({
          type: 'content_block_start',
          index: 0.5,
          content_block: { type: 'text', text: '' },
        }),
        textDelta('x', 0.5),
      ],
      'Claude sent a assistant.text_delta Tollgate cannot accept',
    ],
    [
      'a thinking delta whose thinking is not text',
      [
        messageStart,
        event({
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'thinking', thinking: '', signature: '' },
        }),
        event({
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'thinking_delta', thinking: ['hmm'] },
        }),
      ],
      'Claude sent a assistant.thinking_delta Tollgate cannot accept',
    ],
    [
      'a tool input delta of a tool whose name the API would not give',
      [
        messageStart,
        event({
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'tool_use', id: 'toolu_1', name: 'write file', input: {} },
        }),
        event({
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'input_json_delta', partial_json: '{"path"' },
        }),
      ],
      'Claude sent a assistant.tool_input_delta Tollgate cannot accept',
    ],
    [
      'a stop for a block never started',
      [messageStart, event({ type: 'content_block_stop', index: 1 })],
      'content_block_stop for block 1, which was not started',
    ],
    [
      'an unknown stop reason',
      [
        messageStart,
        event({
          type: 'message_delta',
          delta: { stop_reason: 'bored', stop_sequence: null },
          usage: { output_tokens: 1 },
        }),
        event({ type: 'message_stop' }),
      ],
      'unknown stop reason "bored"',
    ],
  ])('refuses %s', (_name, events, message) => {
    expect(() => translateAll(events)).toThrow(message);
  });
});
