import { describe, expect, it } from 'vitest';
import { emulatedServerPerTest } from './emulated-server.ts';
import { awaitingApproval, say, turnCompleted, writeCall } from './flow-scripts.ts';

// A conversation's model, thinking and system prompt, through the real server process: offered
// in the hello, judged before they are logged, and sent to Claude (the emulator judges every
// request as the API would).

const kit = emulatedServerPerTest();

type SentBody = {
  model: string;
  max_tokens: number;
  thinking?: unknown;
  system?: { type: string; text: string }[];
};
const sent = (n: number) => kit.emulator.requests[n]?.body as SentBody;

describe('per-conversation Claude settings', () => {
  it('are offered in the hello, refused when not offered, and sent to Claude from the next turn', async () => {
    await kit.start({
      CLAUDE_MODELS: 'claude-sonnet-5-5, claude-opus-5-5',
      CLAUDE_MAX_TOKENS: '8192',
      SYSTEM_PROMPT: 'You are terse.',
    });
    const a = await kit.client();
    const hello = await a.waitForMessage('hello');
    expect(hello.claudeOptions).toEqual({
      models: ['claude-sonnet-5-5', 'claude-opus-5-5'],
      maxTokens: 8192,
      defaults: {
        model: 'claude-sonnet-5-5',
        thinkingBudget: null,
        systemPrompt: 'You are terse.',
      },
    });
    const id = await a.createConversation();
    await a.subscribe(id);

    // The defaults, until the person chooses.
    kit.emulator.enqueue(say('Hi.'));
    a.command(id, { type: 'user.message', text: 'Hello' });
    await turnCompleted(a, id, 1);
    expect(sent(0)).toMatchObject({
      model: 'claude-sonnet-5-5',
      max_tokens: 8192,
      system: [{ type: 'text', text: 'You are terse.' }],
    });
    expect(sent(0)).not.toHaveProperty('thinking');

    // What the server does not offer never reaches the log.
    const before = a.entries(id).length;
    const haiku = a.command(id, {
      type: 'conversation.settings_changed',
      model: 'claude-haiku-5-5',
      thinkingBudget: null,
      systemPrompt: null,
    });
    expect(await a.waitForMessage('error', (m) => m.commandId === haiku)).toMatchObject({
      code: 'command_rejected',
      conversationId: id,
      message: expect.stringMatching(/does not offer the model claude-haiku-5-5/),
    });
    const tooMuch = a.command(id, {
      type: 'conversation.settings_changed',
      model: 'claude-opus-5-5',
      thinkingBudget: 8192,
      systemPrompt: null,
    });
    expect(await a.waitForMessage('error', (m) => m.commandId === tooMuch)).toMatchObject({
      code: 'command_rejected',
      message: expect.stringMatching(/below the answer's limit of 8192 tokens/),
    });
    expect(a.entries(id)).toHaveLength(before);

    a.command(id, {
      type: 'conversation.settings_changed',
      model: 'claude-opus-5-5',
      thinkingBudget: 2048,
      systemPrompt: 'Answer in French.',
    });
    await a.waitForEntry(
      id,
      (e) => e.event.type === 'conversation.settings_changed',
      'the settings entry',
    );
    kit.emulator.enqueue({
      kind: 'stream',
      blocks: [
        { type: 'thinking', thinking: 'They want French.', signature: 'c2ln' },
        { type: 'text', text: 'Bonjour.' },
      ],
      stopReason: 'end_turn',
    });
    a.command(id, { type: 'user.message', text: 'Hello again' });
    await turnCompleted(a, id, 2);
    expect(sent(1)).toMatchObject({
      model: 'claude-opus-5-5',
      thinking: { type: 'enabled', budget_tokens: 2048 },
      system: [{ type: 'text', text: 'Answer in French.' }],
    });
    // The turn says which model answered.
    const started = a.entries(id).filter((e) => e.event.type === 'assistant.started');
    expect(started.map((e) => (e.event.type === 'assistant.started' ? e.event.model : ''))).toEqual(
      ['claude-sonnet-5-5', 'claude-opus-5-5'],
    );
    expect(kit.emulator.requests.map((r) => [r.status, r.violations])).toEqual([
      [200, []],
      [200, []],
    ]);
  });

  it('change between turns only: refused while Claude waits for a decision', async () => {
    await kit.start({ CLAUDE_MODELS: 'claude-sonnet-5-5,claude-opus-5-5' });
    kit.emulator.enqueue(writeCall('toolu_s1', 'a.md', 'x'), say('Done.'));
    const a = await kit.client();
    const id = await a.createConversation();
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Write a.md' });
    await awaitingApproval(a, id);
    const early = a.command(id, {
      type: 'conversation.settings_changed',
      model: 'claude-opus-5-5',
      thinkingBudget: null,
      systemPrompt: '',
    });
    expect(await a.waitForMessage('error', (m) => m.commandId === early)).toMatchObject({
      code: 'command_rejected',
      message: expect.stringMatching(/between turns.*decision/),
    });
    a.command(id, { type: 'tool.approve', toolUseId: 'toolu_s1', scope: 'once' });
    await turnCompleted(a, id, 2);
    expect(sent(1).model).toBe('claude-sonnet-5-5');

    // At rest, a blank system prompt means none at all.
    a.command(id, {
      type: 'conversation.settings_changed',
      model: 'claude-opus-5-5',
      thinkingBudget: null,
      systemPrompt: '',
    });
    await a.waitForEntry(id, (e) => e.event.type === 'conversation.settings_changed', 'settings');
    kit.emulator.enqueue(say('Yes.'));
    a.command(id, { type: 'user.message', text: 'Again?' });
    await turnCompleted(a, id, 3);
    expect(sent(2).model).toBe('claude-opus-5-5');
    expect(sent(2)).not.toHaveProperty('system');
    expect(kit.emulator.requests.every((r) => r.violations.length === 0)).toBe(true);
  });
});
