import { findToolCall } from '@tollgate/machines';
import { afterEach, describe, expect, it } from 'vitest';
import { BEDROCK_MODEL } from './claude-emulator/emulator-test-kit.ts';
import { assistantTexts, BEDROCK_ENV, startClaudeConversation } from './claude-turn-harness.ts';

type Conversation = Awaited<ReturnType<typeof startClaudeConversation>>;
let c: Conversation;
afterEach(async () => c?.close());

const content = 'Ünïcödé notes 📝\nline "two"\ttabbed \\ backslash\n';

describe('a streaming tool-use turn through the official SDK', () => {
  it('streams text, asks for the tool, runs it once approved, and sends the result back', async () => {
    c = await startClaudeConversation();
    c.emulator.enqueue(
      {
        kind: 'stream',
        seed: 7,
        blocks: [
          { type: 'text', text: "I'll write your notes to notes/a.md now." },
          {
            type: 'tool_use',
            id: 'toolu_01',
            name: 'write_file',
            input: { path: 'notes/a.md', content },
          },
        ],
        stopReason: 'tool_use',
      },
      {
        kind: 'stream',
        seed: 8,
        blocks: [{ type: 'text', text: 'Done: notes/a.md is written.' }],
        stopReason: 'end_turn',
      },
    );
    c.say('Please write my notes');
    const waiting = await c.until('awaitingApproval');
    expect(findToolCall(waiting.context, 'toolu_01')).toMatchObject({
      name: 'write_file',
      input: { path: 'notes/a.md', content },
      decision: { status: 'pending' },
    });
    // Nothing ran, and the tool input streamed in as deltas before the call was complete.
    expect(c.toolRuns).toEqual([]);
    const inputDeltas = c.facts.filter((f) => f.type === 'assistant.tool_input_delta');
    expect(inputDeltas.length).toBeGreaterThan(2);
    expect(
      inputDeltas
        .map((f) => (f.type === 'assistant.tool_input_delta' ? f.partialJson : ''))
        .join(''),
    ).toBe(JSON.stringify({ path: 'notes/a.md', content }));

    c.send({ type: 'tool.approve', toolUseId: 'toolu_01', scope: 'once' });
    await c.until('idle');
    expect(c.toolRuns).toHaveLength(1);
    expect(assistantTexts(c.actor)).toEqual([
      "I'll write your notes to notes/a.md now.",
      'Done: notes/a.md is written.',
    ]);
    expect(c.emulator.requests.map((r) => [r.status, r.violations])).toEqual([
      [200, []],
      [200, []],
    ]);
    const second = c.emulator.requests[1]?.body as {
      messages: { role: string; content: unknown[] }[];
    };
    expect(second.messages.at(-1)).toEqual({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_01',
          content: `Wrote notes/a.md (${Buffer.byteLength(content)} bytes).`,
          cache_control: { type: 'ephemeral' },
        },
      ],
    });
    const usage = c.actor
      .getSnapshot()
      .context.items.flatMap((i) => (i.kind === 'assistant' ? [i.usage] : []));
    expect(usage.every((u) => u !== null && u.outputTokens > 0)).toBe(true);
  });

  it('forwards every text delta on its own, as it arrives', async () => {
    c = await startClaudeConversation();
    const text =
      'One two three four five six seven eight nine ten, a sentence long enough to split.';
    c.emulator.enqueue({
      kind: 'stream',
      seed: 3,
      blocks: [{ type: 'text', text }],
      stopReason: 'end_turn',
    });
    c.say('Count');
    await c.until('idle');
    const deltas = c.facts.flatMap((f) => (f.type === 'assistant.text_delta' ? [f.text] : []));
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(text);
  });

  it('sends a denial back as an error result with the reason, and Claude explains', async () => {
    c = await startClaudeConversation();
    c.emulator.enqueue(
      {
        kind: 'stream',
        blocks: [
          {
            type: 'tool_use',
            id: 'toolu_02',
            name: 'write_file',
            input: { path: '/etc/passwd', content: 'x' },
          },
        ],
        stopReason: 'tool_use',
      },
      {
        kind: 'stream',
        blocks: [{ type: 'text', text: 'Understood, I will not write outside your notes folder.' }],
        stopReason: 'end_turn',
      },
    );
    c.say('Save it');
    await c.until('awaitingApproval');
    c.send({ type: 'tool.deny', toolUseId: 'toolu_02', reason: 'Not that file' });
    await c.until('idle');
    expect(c.toolRuns).toEqual([]);
    const second = c.emulator.requests[1]?.body as {
      messages: { content: Record<string, unknown>[] }[];
    };
    const result = second.messages.at(-1)?.content[0];
    expect(result).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_02', is_error: true });
    expect(String(result?.content)).toContain('Their reason: "Not that file"');
    expect(assistantTexts(c.actor).at(-1)).toBe(
      'Understood, I will not write outside your notes folder.',
    );
    expect(c.emulator.requests.every((r) => r.violations.length === 0)).toBe(true);
  });

  it('answers parallel tool calls together, and sends thinking back verbatim', async () => {
    c = await startClaudeConversation({
      CLAUDE_THINKING_BUDGET: '2048',
      CLAUDE_MAX_TOKENS: '8192',
    });
    c.emulator.enqueue(
      {
        kind: 'stream',
        blocks: [
          { type: 'thinking', thinking: 'Two files are needed.', signature: 'c2lnbmF0dXJl' },
          { type: 'text', text: 'Writing both.' },
          {
            type: 'tool_use',
            id: 'toolu_a',
            name: 'write_file',
            input: { path: 'a.md', content: 'A' },
          },
          {
            type: 'tool_use',
            id: 'toolu_b',
            name: 'write_file',
            input: { path: 'b.md', content: 'B' },
          },
        ],
        stopReason: 'tool_use',
      },
      { kind: 'stream', blocks: [{ type: 'text', text: 'Both written.' }], stopReason: 'end_turn' },
    );
    c.say('Two files please');
    await c.until('awaitingApproval');
    c.send({ type: 'tool.approve', toolUseId: 'toolu_a', scope: 'once' });
    c.send({ type: 'tool.approve', toolUseId: 'toolu_b', scope: 'once' });
    await c.until('idle');
    expect(c.toolRuns.map((r) => r.toolUseId)).toEqual(['toolu_a', 'toolu_b']);
    const second = c.emulator.requests[1]?.body as {
      thinking: unknown;
      messages: { role: string; content: Record<string, unknown>[] }[];
    };
    expect(second.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(second.messages[1]?.content[0]).toEqual({
      type: 'thinking',
      thinking: 'Two files are needed.',
      signature: 'c2lnbmF0dXJl',
    });
    expect(second.messages[2]?.content.map((b) => b.tool_use_id)).toEqual(['toolu_a', 'toolu_b']);
    expect(c.emulator.requests.map((r) => r.status)).toEqual([200, 200]);
  });
});

describe('Claude errors', () => {
  it('rides out a 429 with the SDK retry', async () => {
    c = await startClaudeConversation();
    c.emulator.enqueue(
      {
        kind: 'http-error',
        status: 429,
        type: 'rate_limit_error',
        message: 'Slow down',
        retryAfterMs: 10,
      },
      { kind: 'stream', blocks: [{ type: 'text', text: 'Hello.' }], stopReason: 'end_turn' },
    );
    c.say('Hi');
    await c.until('idle');
    expect(c.emulator.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(assistantTexts(c.actor)).toEqual(['Hello.']);
  });

  it('after 529s outlast the retries, fails retryably, and a retry succeeds with the same history', async () => {
    c = await startClaudeConversation();
    const overloaded = {
      kind: 'http-error' as const,
      status: 529,
      type: 'overloaded_error',
      message: 'Overloaded',
      retryAfterMs: 10,
    };
    c.emulator.enqueue(overloaded, overloaded, overloaded);
    c.say('Hi');
    const failed = await c.until('failed');
    expect(failed.context.items[1]).toMatchObject({
      status: 'failed',
      error: { kind: 'overloaded', retryable: true },
    });
    c.emulator.enqueue({
      kind: 'stream',
      blocks: [{ type: 'text', text: 'Back.' }],
      stopReason: 'end_turn',
    });
    c.send({ type: 'turn.retry' });
    await c.until('idle');
    const bodies = c.emulator.requests.map((r) => (r.body as { messages: unknown }).messages);
    expect(bodies[3]).toEqual(bodies[0]);
    expect(c.emulator.requests.map((r) => r.status)).toEqual([529, 529, 529, 200]);
  });

  it('keeps and marks the partial text when an error event arrives mid-stream', async () => {
    c = await startClaudeConversation();
    c.emulator.enqueue({
      kind: 'stream',
      seed: 5,
      blocks: [{ type: 'text', text: 'This answer will break off somewhere in the middle of it.' }],
      stopReason: 'end_turn',
      errorAfterEvents: 6,
    });
    c.say('Hi');
    const failed = await c.until('failed');
    const item = failed.context.items[1];
    expect(item).toMatchObject({
      status: 'failed',
      error: { kind: 'overloaded', retryable: true },
    });
    const partial = assistantTexts(c.actor)[0] ?? '';
    expect(partial.length).toBeGreaterThan(0);
    expect('This answer will break off somewhere in the middle of it.'.startsWith(partial)).toBe(
      true,
    );
  });

  it('marks the turn failed when the connection is cut', async () => {
    c = await startClaudeConversation();
    c.emulator.enqueue({
      kind: 'stream',
      blocks: [{ type: 'text', text: 'Cut short.' }],
      stopReason: 'end_turn',
      cutAfterEvents: 4,
    });
    c.say('Hi');
    const failed = await c.until('failed');
    expect(failed.context.items[1]).toMatchObject({ status: 'failed', error: { retryable: true } });
    expect(c.facts.at(-1)).toMatchObject({
      type: 'assistant.failed',
      message: expect.stringMatching(/connection to Claude broke off .*partial answer is kept/),
    });
  });

  it('says what to configure on a 401, and does not offer a hopeless retry', async () => {
    c = await startClaudeConversation();
    c.emulator.enqueue({
      kind: 'http-error',
      status: 401,
      type: 'authentication_error',
      message: 'invalid x-api-key',
    });
    c.say('Hi');
    const failed = await c.until('failed');
    const item = failed.context.items[1];
    expect(item?.kind === 'assistant' && item.error).toMatchObject({
      kind: 'authentication',
      retryable: false,
    });
    expect(item?.kind === 'assistant' && item.error?.message).toMatch(/ANTHROPIC_API_KEY/);
  });

  it.each([
    [
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      'authentication',
      'Bedrock rejected the AWS credentials (403: The security token included in the request is invalid.). Check AWS_BEARER_TOKEN_BEDROCK or your AWS credentials, and restart.',
    ],
    [
      'AccessDeniedException',
      "You don't have access to the model with the specified model ID.",
      'permission',
      "This key may not use this model or feature (403: You don't have access to the model with the specified model ID.).",
    ],
  ])('on Bedrock, reads a 403 %s in AWS’s words', async (type, apiMessage, kind, shown) => {
    c = await startClaudeConversation(BEDROCK_ENV);
    c.emulator.enqueue({ kind: 'http-error', status: 403, type, message: apiMessage });
    c.say('Hi');
    const failed = await c.until('failed');
    const item = failed.context.items[1];
    expect(item?.kind === 'assistant' && item.error).toEqual({
      kind,
      message: shown,
      retryable: false,
    });
    expect(c.emulator.requests[0]?.path).toBe(
      `/model/${BEDROCK_MODEL}/invoke-with-response-stream`,
    );
  });

  it('logs a 400 as a bug with the request id', async () => {
    c = await startClaudeConversation();
    c.emulator.enqueue({
      kind: 'http-error',
      status: 400,
      type: 'invalid_request_error',
      message: 'bad',
    });
    c.say('Hi');
    await c.until('failed');
    const line = c.logLines.find((l) => l.msg === 'Claude turn failed');
    expect(line).toMatchObject({ level: 50, kind: 'invalid_request', status: 400 });
    expect(String(line?.requestId)).toMatch(/^req_/);
  });

  it('Stop aborts the HTTP stream and keeps the partial text', async () => {
    c = await startClaudeConversation();
    c.emulator.enqueue({
      kind: 'stream',
      blocks: [{ type: 'text', text: 'A long story that the person stops.' }],
      stopReason: 'end_turn',
      seed: 2,
      holdAfterEvents: 5,
    });
    c.say('Tell me a story');
    await c.emulator.waitForRequest(1);
    await c.until('streaming');
    const { waitFor } = await import('xstate');
    await waitFor(c.actor, () => (assistantTexts(c.actor)[0] ?? '').length > 0);
    c.send({ type: 'turn.stop' });
    await c.emulator.waitForClose(1);
    expect(c.emulator.requests[0]?.clientAborted).toBe(true);
    expect(c.actor.getSnapshot().value).toBe('idle');
    expect(c.actor.getSnapshot().context.items[1]).toMatchObject({ status: 'stopped' });
    expect(c.facts.some((f) => f.type === 'assistant.failed')).toBe(false);
  });
});
