import type { ClaudeOptions } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { formFor, highestBudget, readForm } from './settings-form.ts';

const options: ClaudeOptions = {
  models: ['claude-sonnet-5-5', 'claude-opus-5-5'],
  maxTokens: 16_000,
  defaults: { model: 'claude-sonnet-5-5', thinkingBudget: null, systemPrompt: 'Be Tollgate.' },
};

describe('the settings form', () => {
  it('starts from the defaults, offering a budget for when thinking is switched on', () => {
    expect(formFor(undefined, options)).toEqual({
      model: 'claude-sonnet-5-5',
      thinking: false,
      budget: '4096',
      systemPrompt: 'Be Tollgate.',
    });
    expect(
      formFor({ model: 'claude-opus-5-5', thinkingBudget: 2048, systemPrompt: '' }, options),
    ).toEqual({ model: 'claude-opus-5-5', thinking: true, budget: '2048', systemPrompt: '' });
  });

  it('reads back the settings a command carries; the default prompt stays the default', () => {
    const form = formFor(undefined, options);
    expect(readForm({ ...form, model: 'claude-opus-5-5' }, options)).toEqual({
      ok: true,
      settings: { model: 'claude-opus-5-5', thinkingBudget: null, systemPrompt: null },
    });
    expect(
      readForm({ ...form, thinking: true, budget: ' 2048 ', systemPrompt: 'Be brief.' }, options),
    ).toEqual({
      ok: true,
      settings: { model: 'claude-sonnet-5-5', thinkingBudget: 2048, systemPrompt: 'Be brief.' },
    });
  });

  it('refuses a budget outside 1024 to max_tokens - 1, and what the server does not offer', () => {
    const form = { ...formFor(undefined, options), thinking: true };
    for (const budget of ['1023', '16000', '2048.5', '', 'lots']) {
      expect(readForm({ ...form, budget }, options)).toMatchObject({
        ok: false,
        problem: 'budget',
      });
    }
    expect(readForm({ ...form, budget: '15999' }, options).ok).toBe(true);
    // Thinking off: the budget typed is not read.
    expect(readForm({ ...form, thinking: false, budget: 'lots' }, options).ok).toBe(true);
    expect(readForm({ ...form, model: 'claude-haiku-5-5' }, options)).toMatchObject({
      ok: false,
      problem: 'not_offered',
    });
    expect(highestBudget({ ...options, maxTokens: 1024 })).toBeNull();
  });
});
