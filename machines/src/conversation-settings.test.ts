import { describe, expect, it } from 'vitest';
import type { ClaudeMessageParam } from './claude-message.ts';
import { commandRejection } from './command-rejection.ts';
import { MACHINE_VERSION } from './conversation-machine.ts';
import {
  type ClaudeOptions,
  effectiveSettings,
  settingsRejection,
  thinkingFits,
} from './conversation-settings.ts';
import { conversationEventSchema } from './events/conversation-event.ts';
import { commandInputSchema } from './protocol/client-message.ts';
import { serverMessageSchema } from './protocol/server-message.ts';
import { replay } from './replay.ts';
import { thinkingViolations } from './test-support/anthropic-request-rules.ts';
import { startConversation } from './test-support/conversation-harness.ts';
import * as ev from './test-support/event-builders.ts';

const options: ClaudeOptions = {
  models: ['claude-sonnet-5-5', 'claude-opus-5-5'],
  maxTokens: 16_000,
  defaults: { model: 'claude-sonnet-5-5', thinkingBudget: null, systemPrompt: 'Be Tollgate.' },
};

const writeCall = (turn: number, id: string) =>
  ev.toolUse(turn, 1, id, 'write_file', { path: 'a.md', content: 'x' });

describe('the conversation.settings_changed command', () => {
  it('carries a model, a thinking budget of at least 1024 tokens or none, and a system prompt or null', () => {
    const event = ev.settingsChanged('claude-opus-5-5', 4096, 'Answer in French.');
    expect(conversationEventSchema.parse(event)).toEqual(event);
    expect(conversationEventSchema.safeParse(ev.settingsChanged('m', null, null)).success).toBe(
      true,
    );
    for (const bad of [
      { ...event, thinkingBudget: 1023 },
      { ...event, thinkingBudget: 2048.5 },
      { ...event, model: '' },
      { ...event, systemPrompt: 'x'.repeat(50_001) },
    ]) {
      expect(conversationEventSchema.safeParse(bad).success).toBe(false);
    }
    // As a browser sends it: strict, so a field this server does not know is refused.
    expect(commandInputSchema.safeParse(event).success).toBe(true);
    expect(commandInputSchema.safeParse({ ...event, temperature: 1 }).success).toBe(false);
  });

  it('is taken between turns, and the next request to Claude carries the settings', () => {
    const c = startConversation();
    const settings = ev.settingsChanged('claude-opus-5-5', 4096, 'Answer in French.');
    c.send(settings, ev.userMessage('Bonjour'));
    expect(c.rejections).toEqual([]);
    expect(c.context().settings).toEqual({
      model: 'claude-opus-5-5',
      thinkingBudget: 4096,
      systemPrompt: 'Answer in French.',
    });
    expect(c.claudeRequests.at(-1)?.settings).toEqual(c.context().settings);
    // Nothing else changed: no timeline item, no turn.
    expect(c.context().items.map((item) => item.kind)).toEqual(['user', 'assistant']);
  });

  it('a conversation that never chose asks with the server defaults (settings null)', () => {
    const c = startConversation();
    c.send(ev.userMessage('Hi'));
    expect(c.claudeRequests[0]?.settings).toBeNull();
    expect(c.context()).not.toHaveProperty('settings');
  });

  it('is refused while a turn runs or waits for a decision, with the reason in words', () => {
    const c = startConversation();
    c.send(ev.userMessage('Write it'), ev.started(1));
    c.send(ev.settingsChanged());
    expect(c.rejections.at(-1)).toMatchObject({
      command: 'conversation.settings_changed',
      code: 'busy',
      message: expect.stringContaining('still working'),
    });
    c.send(writeCall(1, 'toolu_1'), ev.completed(1, 'tool_use'));
    expect(c.state()).toBe('awaitingApproval');
    const waiting = c.actor.getSnapshot();
    expect(commandRejection(waiting, ev.settingsChanged())).toEqual({
      code: 'busy',
      message:
        'The settings change between turns, and Claude is waiting for your decision on a tool call: approve or deny it, or press Stop first.',
    });
    expect(c.context()).not.toHaveProperty('settings');
  });

  it('after a failure, a retry asks with the new settings (another model, say)', () => {
    const c = startConversation();
    c.send(ev.userMessage('Hi'), ev.failed(1, 'not_found', false));
    expect(c.state()).toBe('failed');
    c.send(ev.settingsChanged('claude-opus-5-5', null, null), ev.retry());
    expect(c.rejections).toEqual([]);
    expect(c.claudeRequests.map((request) => request.settings?.model ?? null)).toEqual([
      null,
      'claude-opus-5-5',
    ]);
  });

  it('folds the same live and replayed, the last change winning', () => {
    const c = startConversation();
    c.send(
      ev.settingsChanged('claude-opus-5-5', 4096, null),
      ev.userMessage('Hi'),
      ev.started(1),
      ev.textDelta(1, 'Hello'),
      ev.completed(1),
      ev.settingsChanged('claude-sonnet-5-5', null, ''),
    );
    const entries = c.events.map((event, i) => ({
      conversationId: 'c1',
      seq: i + 1,
      event,
      at: i,
      machineVersion: MACHINE_VERSION,
    }));
    expect(replay(entries).context).toEqual(c.context());
    expect(c.context().settings).toEqual({
      model: 'claude-sonnet-5-5',
      thinkingBudget: null,
      systemPrompt: '',
    });
  });
});

describe('effective settings', () => {
  it('are the defaults until a person chooses, then their choice', () => {
    expect(effectiveSettings(null, options)).toEqual(options.defaults);
    expect(effectiveSettings(undefined, options)).toEqual(options.defaults);
    expect(
      effectiveSettings(
        { model: 'claude-opus-5-5', thinkingBudget: 2048, systemPrompt: null },
        options,
      ),
    ).toEqual({ model: 'claude-opus-5-5', thinkingBudget: 2048, systemPrompt: 'Be Tollgate.' });
    expect(
      effectiveSettings(
        { model: 'claude-opus-5-5', thinkingBudget: null, systemPrompt: '' },
        options,
      ).systemPrompt,
    ).toBe('');
  });

  it('fall back to what the server offers now for a choice it stopped offering', () => {
    expect(
      effectiveSettings(
        { model: 'claude-gone-5', thinkingBudget: 20_000, systemPrompt: null },
        options,
      ),
    ).toMatchObject({ model: 'claude-sonnet-5-5', thinkingBudget: 15_999 });
    expect(
      effectiveSettings(
        { model: 'claude-opus-5-5', thinkingBudget: 2048, systemPrompt: null },
        { ...options, maxTokens: 1024 },
      ).thinkingBudget,
    ).toBeNull();
  });

  it('are refused when the server does not offer them', () => {
    expect(
      settingsRejection(
        { model: 'claude-opus-5-5', thinkingBudget: 15_999, systemPrompt: null },
        options,
      ),
    ).toBeNull();
    expect(
      settingsRejection(
        { model: 'claude-haiku-5-5', thinkingBudget: null, systemPrompt: null },
        options,
      ),
    ).toEqual({
      code: 'settings_not_offered',
      message:
        'This server does not offer the model claude-haiku-5-5; choose one of: claude-sonnet-5-5, claude-opus-5-5.',
    });
    expect(
      settingsRejection(
        { model: 'claude-opus-5-5', thinkingBudget: 16_000, systemPrompt: null },
        options,
      )?.message,
    ).toMatch(/below the answer's limit of 16000 tokens/);
  });
});

describe('thinking within a tool-use loop', () => {
  const user = (text: string): ClaudeMessageParam => ({
    role: 'user',
    content: [{ type: 'text', text }],
  });
  const results: ClaudeMessageParam = {
    role: 'user',
    content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }],
  };
  const call = { type: 'tool_use', id: 'toolu_1', name: 'write_file', input: {} } as const;
  const thought = { type: 'thinking', thinking: 'Hmm.', signature: 'sig' } as const;
  const on = { type: 'enabled', budget_tokens: 2048 };

  it('stays off for a loop begun without it, and may start with any new turn', () => {
    const without: ClaudeMessageParam[] = [
      user('Write it'),
      { role: 'assistant', content: [{ type: 'text', text: 'Sure.' }, call] },
      results,
    ];
    const withThinking: ClaudeMessageParam[] = without.with(1, {
      role: 'assistant',
      content: [thought, call],
    });
    const newTurn: ClaudeMessageParam[] = [
      user('Hi'),
      { role: 'assistant', content: [{ type: 'text', text: 'Hello.' }] },
      user('Think now'),
    ];
    expect(thinkingFits(without)).toBe(false);
    expect(thinkingViolations(on, without)).toHaveLength(1);
    expect(thinkingFits(withThinking)).toBe(true);
    expect(thinkingViolations(on, withThinking)).toEqual([]);
    expect(thinkingFits(newTurn)).toBe(true);
    expect(thinkingFits([user('Hi')])).toBe(true);
  });
});

describe("the hello's claudeOptions", () => {
  const hello = {
    type: 'hello',
    protocol: 1,
    machineVersion: 1,
    claude: { status: 'ready', provider: 'anthropic', model: 'claude-sonnet-5-5', message: null },
    tools: [],
    mcpServers: [],
  };

  it('carry the models, the limit and the defaults', () => {
    const parsed = serverMessageSchema.parse({ ...hello, claudeOptions: options });
    expect(parsed.type === 'hello' && parsed.claudeOptions).toEqual(options);
  });

  it('read as null from a server from before per-conversation settings', () => {
    const parsed = serverMessageSchema.parse(hello);
    expect(parsed.type === 'hello' && parsed.claudeOptions).toBeNull();
  });
});
