import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { checkModel, DEFAULT_ANTHROPIC_MODEL } from './claude-model.ts';

describe('checkModel', () => {
  it.each([
    'claude-sonnet-5-5',
    'claude-opus-4-6',
    'claude-haiku-4-5-20251001',
    'claude-sonnet-4-5',
    'claude-opus-5',
    'claude-mythos-preview',
  ])('accepts %s on the Anthropic API', (id) => {
    expect(checkModel(id, 'anthropic')).toMatchObject({ ok: true, model: { id } });
  });

  it.each([
    ['claude-3-5-sonnet-20241022', /older than Claude 3.7/],
    ['claude-3-opus-20240229', /older than Claude 3.7/],
    ['claude-3-haiku-20240307', /older than Claude 3.7/],
    ['claude-2.1', /not a Claude model id/],
    ['gpt-4o', /not a Claude model id/],
    ['claude-3-7-sonnet-20250219', /retired at the Anthropic API \(2026-02-19\)/],
    ['claude-opus-4-1', /retired/],
  ])('refuses %s with a clear message', (id, message) => {
    const check = checkModel(id, 'anthropic');
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toMatch(message);
  });

  it('understands Bedrock ids and their inference-profile prefixes', () => {
    expect(checkModel('us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'bedrock')).toMatchObject({
      ok: true,
      model: { family: 'sonnet', version: [4, 5], profile: 'us' },
    });
    expect(checkModel('anthropic.claude-3-7-sonnet-20250219-v1:0', 'bedrock')).toMatchObject({
      ok: true,
      model: { profile: null, version: [3, 7] },
    });
    expect(checkModel('global.anthropic.claude-opus-4-6-v1', 'bedrock')).toMatchObject({
      ok: true,
    });
    expect(checkModel('eu.anthropic.claude-3-5-sonnet-20240620-v1:0', 'bedrock').ok).toBe(false);
    expect(checkModel('claude-sonnet-4-5', 'bedrock').ok).toBe(false);
  });

  it('defaults to the newest Sonnet the installed SDK lists', () => {
    const require = createRequire(import.meta.url);
    const messagesTypes = require
      .resolve('@anthropic-ai/sdk')
      .replace(/index\.js$/, 'resources/messages/messages.d.ts');
    const source = readFileSync(messagesTypes, 'utf8');
    const union = /export type Model =([^;]+);/.exec(source)?.[1] ?? '';
    const sonnets = [...union.matchAll(/'(claude-sonnet-[0-9-]+)'/g)]
      .map((match) => match[1] ?? '')
      .map((id) => {
        const check = checkModel(id, 'anthropic');
        return { id, version: check.ok ? check.model.version : [0, 0] };
      })
      .sort((a, b) => b.version[0]! - a.version[0]! || b.version[1]! - a.version[1]!);
    expect(sonnets.length).toBeGreaterThan(2);
    expect(DEFAULT_ANTHROPIC_MODEL).toBe(sonnets[0]?.id);
  });
});
