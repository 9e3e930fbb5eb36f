import { describe, expect, it } from 'vitest';
import { readClaudeConfig } from './claude-config.ts';
import { buildClaudeRequest } from './claude-request.ts';

const config = readClaudeConfig({ ANTHROPIC_API_KEY: 'k', CLAUDE_THINKING_BUDGET: '2048' });
if (config.status !== 'ready') throw new Error('test config');
const tools = [
  { name: 'read_file', description: 'Read', input_schema: { type: 'object' as const } },
  {
    name: 'write_file',
    description: 'Write',
    input_schema: { type: 'object' as const },
    eager_input_streaming: true,
  },
];

describe('buildClaudeRequest', () => {
  const request = buildClaudeRequest(
    config.settings,
    [
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] },
      { role: 'user', content: [{ type: 'text', text: 'Write a file' }] },
    ],
    tools,
  );

  it('streams, sets no sampling parameters the API version rejects, and asks for thinking', () => {
    expect(request).toMatchObject({ model: 'claude-sonnet-5-5', stream: true, max_tokens: 16000 });
    expect(request).not.toHaveProperty('temperature');
    expect(request).not.toHaveProperty('top_p');
    expect(request).not.toHaveProperty('top_k');
    expect(request.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
  });

  it('puts cache breakpoints on the system prompt, the last tool and the last message only', () => {
    expect(request.system).toEqual([
      expect.objectContaining({ type: 'text', cache_control: { type: 'ephemeral' } }),
    ]);
    expect(request.tools?.map((tool) => 'cache_control' in tool)).toEqual([false, true]);
    expect(request.tools?.[1]).toMatchObject({ eager_input_streaming: true });
    const blocks = request.messages.flatMap((m): object[] => m.content);
    expect(blocks.map((block) => 'cache_control' in block)).toEqual([false, false, true]);
  });

  it("uses the conversation's model, thinking and system prompt", () => {
    const multi = readClaudeConfig({
      ANTHROPIC_API_KEY: 'k',
      CLAUDE_MODELS: 'claude-sonnet-5-5,claude-opus-5-5',
    });
    if (multi.status !== 'ready') throw new Error('test config');
    const messages = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Hi' }] }];
    const chosen = buildClaudeRequest(multi.settings, messages, tools, {
      model: 'claude-opus-5-5',
      thinkingBudget: 4096,
      systemPrompt: 'Answer in French.',
    });
    expect(chosen).toMatchObject({
      model: 'claude-opus-5-5',
      max_tokens: 16000,
      thinking: { type: 'enabled', budget_tokens: 4096 },
      system: [{ type: 'text', text: 'Answer in French.', cache_control: { type: 'ephemeral' } }],
    });
    expect(chosen).not.toHaveProperty('temperature');
    // Defaults: no thinking unless CLAUDE_THINKING_BUDGET; a blank prompt sends none.
    const plain = buildClaudeRequest(multi.settings, messages, tools, {
      model: 'claude-sonnet-5-5',
      thinkingBudget: null,
      systemPrompt: '  ',
    });
    expect(plain).not.toHaveProperty('thinking');
    expect(plain).not.toHaveProperty('system');
    expect(buildClaudeRequest(multi.settings, messages, tools).model).toBe('claude-sonnet-5-5');
  });

  it('keeps thinking off in a tool-use loop begun without it', () => {
    const loop = buildClaudeRequest(
      config.settings,
      [
        { role: 'user', content: [{ type: 'text', text: 'Write a file' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Sure.' },
            { type: 'tool_use', id: 'toolu_1', name: 'write_file', input: {} },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
      ],
      tools,
    );
    expect(loop).not.toHaveProperty('thinking');
  });
});
