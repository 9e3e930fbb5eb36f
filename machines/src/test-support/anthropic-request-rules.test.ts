import { describe, expect, it } from 'vitest';
import { messagesViolations, thinkingViolations } from './anthropic-request-rules.ts';

const user = (...content: object[]) => ({ role: 'user', content }) as never;
const assistant = (...content: object[]) => ({ role: 'assistant', content }) as never;
const text = (t: string) => ({ type: 'text', text: t });
const use = (id: string) => ({ type: 'tool_use', id, name: 'write_file', input: {} });
const result = (id: string) => ({ type: 'tool_result', tool_use_id: id, content: 'ok' });

// The judge of every request the machine builds must itself be right, or those tests prove nothing.
describe('the Anthropic request rules', () => {
  it('accept a valid tool loop, and same-role messages the API merges', () => {
    expect(
      messagesViolations([
        user(text('a')),
        assistant(use('t1')),
        user(result('t1')),
        user(text('b')),
      ]),
    ).toEqual([]);
  });

  it('refuse an unanswered tool_use with the API wording', () => {
    expect(messagesViolations([user(text('a')), assistant(use('t1')), user(text('b'))])).toEqual([
      'messages.2: `tool_use` ids were found without `tool_result` blocks immediately after: t1. Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
    ]);
  });

  it('refuse a result for a call the previous turn did not make, and text before a result', () => {
    expect(
      messagesViolations([user(text('a')), assistant(text('b')), user(result('t9'))])[0],
    ).toMatch(/unexpected `tool_use_id`/);
    expect(
      messagesViolations([user(text('a')), assistant(use('t1')), user(text('x'), result('t1'))])[0],
    ).toMatch(/must come before any other content/);
  });

  it('refuse an assistant first message, empty content, empty text and unsigned thinking', () => {
    expect(messagesViolations([assistant(text('a'))])).toContain(
      'messages: first message must use the "user" role',
    );
    expect(messagesViolations([user()])).toContain(
      'messages.0: all messages must have non-empty content',
    );
    expect(messagesViolations([user(text(''))])).toContain(
      'messages.0.content.0: text content blocks must be non-empty',
    );
    expect(
      messagesViolations([
        user(text('a')),
        assistant({ type: 'thinking', thinking: 'x' }, text('b')),
      ]),
    ).toContain('messages.1.content.0.signature: Field required');
  });

  it('with thinking on, refuse a tool loop whose calls were made without thinking', () => {
    const thought = { type: 'thinking', thinking: 't', signature: 's' };
    const on = { type: 'enabled', budget_tokens: 2048 };
    const loop = [user(text('a')), assistant(text('b'), use('t1')), user(result('t1'))];
    expect(thinkingViolations(on, loop)[0]).toMatch(
      /^messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `text`/,
    );
    expect(thinkingViolations(on, loop.with(1, assistant(thought, use('t1'))))).toEqual([]);
    // Thinking off takes any history; a new turn may begin with thinking on.
    expect(thinkingViolations({ type: 'disabled' }, loop)).toEqual([]);
    expect(thinkingViolations(undefined, loop)).toEqual([]);
    expect(
      thinkingViolations(on, [user(text('a')), assistant(text('b')), user(text('c'))]),
    ).toEqual([]);
  });
});
