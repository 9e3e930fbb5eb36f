// What the emulator refuses, and how it words it: the real API's rules, so that a request product
// code builds wrongly fails in tests the way it would fail against Anthropic.

import { describe, expect, it } from 'vitest';
import { type IncomingRequest, judgeRequest } from './judge-request.ts';

const VALID = {
  model: 'claude-sonnet-5-5',
  max_tokens: 2048,
  messages: [{ role: 'user', content: 'Hi' }],
};

const HEADERS = { authorization: 'Bearer k', 'anthropic-version': '2026-10-21' };

function judge(body: unknown, overrides: Partial<IncomingRequest> = {}) {
  return judgeRequest({
    method: 'POST',
    url: '/v1/messages',
    headers: HEADERS,
    rawBody: JSON.stringify(body),
    ...overrides,
  });
}

const tool = (name: string, schemaType = 'object') => ({
  name,
  description: 'd',
  input_schema: { type: schemaType, properties: {} },
});

describe('request rules', () => {
  it('accepts a minimal request, a rich one and a beta one with beta-only fields', () => {
    expect(judge(VALID)).toMatchObject({ accepted: true, stream: false });
    const rich = {
      ...VALID,
      stream: true,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      tools: [
        tool('read_file'),
        tool('write-file_2'),
        { type: 'web_search_20250305', name: 'web_search' },
      ],
      tool_choice: { type: 'auto' },
      thinking: { type: 'enabled', budget_tokens: 1024 },
      stop_sequences: ['END'],
      metadata: { user_id: 'u' },
      messages: [
        { role: 'user', content: 'Write it' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 't', signature: 's' },
            { type: 'tool_use', id: 'toolu_1', name: 'write_file', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'denied', is_error: true },
            { type: 'text', text: 'go on' },
          ],
        },
      ],
    };
    expect(judge(rich)).toMatchObject({ accepted: true, stream: true });
    expect(
      judge({ ...VALID, context_management: {} }, { url: '/v1/messages?beta=true' }),
    ).toMatchObject({
      accepted: true,
    });
  });

  it.each([
    ['no model', { ...VALID, model: undefined }, 'model: Field required'],
    ['empty model', { ...VALID, model: '' }, 'model: String should have at least 1 character'],
    ['no max_tokens', { ...VALID, max_tokens: undefined }, 'max_tokens: Field required'],
    [
      'zero max_tokens',
      { ...VALID, max_tokens: 0 },
      'max_tokens: Input should be greater than or equal to 1',
    ],
    [
      'fractional max_tokens',
      { ...VALID, max_tokens: 1.5 },
      'max_tokens: Input should be a valid integer',
    ],
    ['no messages', { ...VALID, messages: undefined }, 'messages: Field required'],
    ['empty messages', { ...VALID, messages: [] }, 'messages: at least one message is required'],
    [
      'assistant first',
      { ...VALID, messages: [{ role: 'assistant', content: 'x' }] },
      'messages: first message must use the "user" role',
    ],
    ['system as number', { ...VALID, system: 3 }, 'system: Input should be a valid string or list'],
    [
      'system with an image',
      { ...VALID, system: [{ type: 'image' }] },
      "system.0.type: Input should be 'text'",
    ],
    [
      'empty system text',
      { ...VALID, system: [{ type: 'text', text: '' }] },
      'system.0: text content blocks must be non-empty',
    ],
    [
      'tool name with a dot',
      { ...VALID, tools: [tool('fs.read')] },
      "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'",
    ],
    [
      'tool name of 65 chars',
      { ...VALID, tools: [tool('x'.repeat(65))] },
      'tools.0.custom.name: String should match',
    ],
    [
      'duplicate tool names',
      { ...VALID, tools: [tool('a'), tool('a')] },
      'tools: Tool names must be unique.',
    ],
    [
      'array input_schema',
      { ...VALID, tools: [tool('a', 'array')] },
      "tools.0.custom.input_schema.type: Input should be 'object'",
    ],
    [
      'no input_schema',
      { ...VALID, tools: [{ name: 'a' }] },
      'tools.0.custom.input_schema: Field required',
    ],
    ['temperature', { ...VALID, temperature: 1 }, 'temperature: '],
    ['top_p', { ...VALID, top_p: 0.9 }, 'top_p: '],
    ['top_k', { ...VALID, top_k: 5 }, 'top_k: '],
    ['an unknown field', { ...VALID, max_token: 5 }, 'max_token: Extra inputs are not permitted'],
    [
      'a small thinking budget',
      { ...VALID, thinking: { type: 'enabled', budget_tokens: 1000 } },
      'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024',
    ],
    [
      'a thinking budget at max_tokens',
      { ...VALID, thinking: { type: 'enabled', budget_tokens: 2048 } },
      '`max_tokens` must be greater than `thinking.budget_tokens`',
    ],
    [
      'an unknown thinking type',
      { ...VALID, thinking: { type: 'deep' } },
      "thinking: Input tag 'deep'",
    ],
    [
      'thinking with a tool_choice that forces a tool',
      {
        ...VALID,
        max_tokens: 4096,
        tools: [tool('write_file')],
        tool_choice: { type: 'any' },
        thinking: { type: 'enabled', budget_tokens: 1024 },
      },
      'Thinking may not be enabled when tool_choice forces tool use.',
    ],
    [
      'thinking turned on in a tool-use loop begun without it',
      {
        ...VALID,
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [
          { role: 'user', content: 'Write it' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Sure.' },
              { type: 'tool_use', id: 'toolu_1', name: 'write_file', input: {} },
            ],
          },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }],
          },
        ],
      },
      'messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `text`. When `thinking` is enabled, a final `assistant` message must start with a thinking block',
    ],
    [
      'a non-boolean stream',
      { ...VALID, stream: 'yes' },
      'stream: Input should be a valid boolean',
    ],
    [
      'a tool_result for an unknown id',
      {
        ...VALID,
        messages: [
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'r' }],
          },
        ],
      },
      'unexpected `tool_use_id` found in `tool_result` blocks: toolu_x',
    ],
  ])('rejects %s with 400', (_, body, message) => {
    const verdict = judge(body);
    expect(verdict).toMatchObject({
      accepted: false,
      status: 400,
      errorType: 'invalid_request_error',
    });
    expect(verdict.accepted ? [] : verdict.violations.join('\n')).toContain(message);
  });

  it.each([
    'claude-3-7-sonnet-20250219',
    'claude-3-5-sonnet-20241022',
    'claude-3-5-haiku-latest',
    'claude-3-haiku-20240307',
    'claude-3-opus-20240229',
    'claude-sonnet-4-20250514',
    'claude-opus-4-20250514',
    'claude-opus-4-1',
    'claude-opus-4-1-20250805',
  ])('answers 404 to the retired model %s', (model) => {
    expect(judge({ ...VALID, model })).toEqual({
      accepted: false,
      status: 404,
      errorType: 'not_found_error',
      violations: [`model: ${model}`],
    });
  });

  it.each([
    'claude-sonnet-4-5',
    'claude-opus-4-5-20251101',
    'claude-sonnet-4-6',
    'claude-haiku-5-5',
  ])('accepts the current model %s', (model) => {
    expect(judge({ ...VALID, model })).toMatchObject({ accepted: true });
  });

  it('checks credentials before the version header and the body', () => {
    expect(judge({}, { headers: { 'anthropic-version': '2026-10-21' } })).toMatchObject({
      status: 401,
      errorType: 'authentication_error',
    });
    expect(judge({}, { headers: { authorization: 'Bearer ' } })).toMatchObject({ status: 401 });
    expect(judge(VALID, { headers: { 'x-api-key': 'k', 'anthropic-version': 'v' } })).toMatchObject(
      {
        accepted: true,
      },
    );
    expect(judge(VALID, { headers: { authorization: 'Bearer k' } })).toMatchObject({
      status: 400,
      violations: ['anthropic-version: header is required'],
    });
  });

  it('knows only POST /v1/messages', () => {
    expect(judge(VALID, { method: 'GET' })).toMatchObject({
      status: 404,
      errorType: 'not_found_error',
    });
    expect(judge(VALID, { url: '/v1/complete' })).toMatchObject({ status: 404 });
  });
});
