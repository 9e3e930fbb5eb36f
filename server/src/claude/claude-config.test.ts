import { describe, expect, it } from 'vitest';
import { readClaudeConfig } from './claude-config.ts';

describe('readClaudeConfig', () => {
  it('is ready with a key, and uses the default model', () => {
    expect(readClaudeConfig({ ANTHROPIC_API_KEY: 'sk-ant-x' })).toMatchObject({
      status: 'ready',
      settings: { provider: 'anthropic', model: 'claude-sonnet-5-5', thinkingBudget: null },
    });
  });

  it('without a key still yields settings, and says what to set', () => {
    const config = readClaudeConfig({});
    expect(config.status).toBe('unconfigured');
    expect(config.status === 'unconfigured' && config.missing).toMatch(/ANTHROPIC_API_KEY/);
  });

  it('for Bedrock needs a model id and a region', () => {
    expect(readClaudeConfig({ CLAUDE_PROVIDER: 'bedrock' })).toMatchObject({
      status: 'invalid',
      problems: [expect.stringMatching(/CLAUDE_MODEL is required/)],
    });
    const noRegion = readClaudeConfig({
      CLAUDE_PROVIDER: 'bedrock',
      CLAUDE_MODEL: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    });
    expect(noRegion).toMatchObject({
      status: 'unconfigured',
      missing: expect.stringMatching(/AWS_REGION/),
    });
    expect(
      readClaudeConfig({
        CLAUDE_PROVIDER: 'Bedrock',
        CLAUDE_MODEL: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        AWS_REGION: 'us-west-2',
      }),
    ).toMatchObject({
      status: 'ready',
      settings: {
        provider: 'bedrock',
        bedrock: { region: 'us-west-2', apiKey: null, baseURL: null },
      },
    });
  });

  it('takes a Bedrock API key and a Bedrock base URL', () => {
    expect(
      readClaudeConfig({
        CLAUDE_PROVIDER: 'bedrock',
        CLAUDE_MODEL: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        AWS_REGION: 'eu-central-1',
        AWS_BEARER_TOKEN_BEDROCK: ' bedrock-key ',
        ANTHROPIC_BEDROCK_BASE_URL: 'https://gateway.example/bedrock',
      }),
    ).toMatchObject({
      status: 'ready',
      settings: {
        bedrock: {
          region: 'eu-central-1',
          apiKey: 'bedrock-key',
          baseURL: 'https://gateway.example/bedrock',
        },
      },
    });
  });

  it('refuses bad values with every problem listed', () => {
    expect(readClaudeConfig({ CLAUDE_PROVIDER: 'openai' })).toMatchObject({ status: 'invalid' });
    const config = readClaudeConfig({
      CLAUDE_MODEL: 'claude-3-5-sonnet-20241022',
      CLAUDE_MAX_TOKENS: 'lots',
      CLAUDE_THINKING_BUDGET: '100',
    });
    expect(config.status === 'invalid' && config.problems).toEqual([
      expect.stringMatching(/older than Claude 3.7/),
      expect.stringMatching(/CLAUDE_MAX_TOKENS="lots"/),
      expect.stringMatching(/CLAUDE_THINKING_BUDGET=100 must be at least 1024/),
    ]);
  });

  it('accepts a thinking budget below max_tokens', () => {
    expect(
      readClaudeConfig({
        ANTHROPIC_API_KEY: 'k',
        CLAUDE_THINKING_BUDGET: '4096',
        CLAUDE_MAX_TOKENS: '8192',
      }),
    ).toMatchObject({ status: 'ready', settings: { thinkingBudget: 4096, maxTokens: 8192 } });
  });

  it('offers CLAUDE_MODELS, each held to the same rule, the first the default', () => {
    expect(
      readClaudeConfig({
        ANTHROPIC_API_KEY: 'k',
        CLAUDE_MODELS: ' claude-opus-5-5 ,claude-sonnet-5-5,claude-opus-5-5,',
      }),
    ).toMatchObject({
      status: 'ready',
      settings: { model: 'claude-opus-5-5', models: ['claude-opus-5-5', 'claude-sonnet-5-5'] },
    });
    // Unset, the list is CLAUDE_MODEL's model alone; CLAUDE_MODEL picks the default among them.
    expect(
      readClaudeConfig({ ANTHROPIC_API_KEY: 'k', CLAUDE_MODEL: 'claude-opus-4-6' }),
    ).toMatchObject({ settings: { model: 'claude-opus-4-6', models: ['claude-opus-4-6'] } });
    expect(
      readClaudeConfig({
        ANTHROPIC_API_KEY: 'k',
        CLAUDE_MODELS: 'claude-opus-5-5,claude-sonnet-5-5',
        CLAUDE_MODEL: 'claude-sonnet-5-5',
      }),
    ).toMatchObject({ settings: { model: 'claude-sonnet-5-5' } });
    const config = readClaudeConfig({
      CLAUDE_MODELS: 'claude-sonnet-5-5,claude-3-5-sonnet-20241022,gpt-5',
      CLAUDE_MODEL: 'claude-opus-5-5',
    });
    expect(config.status === 'invalid' && config.problems).toEqual([
      expect.stringMatching(/^CLAUDE_MODELS="claude-3-5-sonnet-20241022" is older than Claude 3.7/),
      expect.stringMatching(/^CLAUDE_MODELS="gpt-5" is not a Claude model id/),
      expect.stringMatching(/^CLAUDE_MODEL="claude-opus-5-5" is not one of CLAUDE_MODELS/),
    ]);
    expect(readClaudeConfig({ CLAUDE_MODELS: ' , ' })).toMatchObject({
      status: 'invalid',
      problems: ['CLAUDE_MODELS lists no model.'],
    });
  });

  it("takes the default system prompt from SYSTEM_PROMPT, else Tollgate's own", () => {
    const own = readClaudeConfig({ ANTHROPIC_API_KEY: 'k' });
    expect(own.status === 'ready' && own.settings.systemPrompt).toMatch(
      /^You are Claude, chatting/,
    );
    expect(
      readClaudeConfig({ ANTHROPIC_API_KEY: 'k', SYSTEM_PROMPT: '  Be brief.\nVery.  ' }),
    ).toMatchObject({ settings: { systemPrompt: 'Be brief.\nVery.' } });
  });
});
