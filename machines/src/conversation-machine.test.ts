import { describe, expect, it } from 'vitest';
import type { ToolCallItem } from './conversation-context.ts';
import { messagesViolations } from './test-support/anthropic-request-rules.ts';
import { startConversation } from './test-support/conversation-harness.ts';
import * as ev from './test-support/event-builders.ts';
import { findToolCall } from './timeline-queries.ts';

const WRITE = 'write_file';
const READ = 'read_file';
const noteInput = { path: 'notes/a.md', content: '# Notes\n' };

/** A conversation whose first turn ended asking for the given tool calls. */
function askedFor(...calls: { id: string; name: string; input?: Record<string, unknown> }[]) {
  const c = startConversation();
  c.send(ev.userMessage('Write my notes'), ev.started(1), ev.textDelta(1, 'Sure, writing them.'));
  calls.forEach((call, i) => {
    c.send(ev.toolUse(1, i + 1, call.id, call.name, call.input ?? noteInput));
  });
  c.send(ev.completed(1, 'tool_use'));
  return c;
}

function call(c: ReturnType<typeof startConversation>, id: string): ToolCallItem {
  const found = findToolCall(c.context(), id);
  if (!found) throw new Error(`no call ${id}`);
  return found;
}

describe('a plain turn', () => {
  it('streams text delta by delta and returns to idle with a valid history', () => {
    const c = startConversation();
    c.send(ev.userMessage('Hello'));
    expect(c.state()).toBe('streaming');
    expect(c.claudeRequests).toEqual([
      {
        turn: 1,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
        settings: null,
      },
    ]);
    c.send(ev.started(1), ev.textDelta(1, 'Hi'), ev.textDelta(1, ' there'));
    const streamingItem = c.context().items[1];
    expect(streamingItem).toMatchObject({ kind: 'assistant', status: 'streaming' });
    expect(streamingItem?.kind === 'assistant' && streamingItem.blocks).toEqual([
      { type: 'text', index: 0, text: 'Hi there' },
    ]);
    c.send(ev.completed(1));
    expect(c.state()).toBe('idle');
    expect(c.claudeStopped).toEqual([1]);
    c.send(ev.userMessage('And again'));
    expect(c.lastMessages()).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hi there' }] },
      { role: 'user', content: [{ type: 'text', text: 'And again' }] },
    ]);
  });

  it('ignores facts from a request that is no longer the current one', () => {
    const c = startConversation();
    c.send(ev.userMessage('Hello'), ev.started(1), ev.textDelta(1, 'Hi'), ev.stop());
    c.send(ev.userMessage('Again'), ev.started(2), ev.textDelta(1, 'LATE'), ev.completed(1));
    expect(c.state()).toBe('streaming');
    c.send(ev.textDelta(2, 'Fresh'), ev.completed(2));
    const texts = c
      .context()
      .items.flatMap((item) =>
        item.kind === 'assistant' ? [item.blocks.map((b) => b.type === 'text' && b.text)] : [],
      );
    expect(texts).toEqual([['Hi'], ['Fresh']]);
  });

  it('keeps thinking blocks verbatim, signature included, in the next request', () => {
    const c = startConversation();
    c.send(
      ev.userMessage('Think first'),
      ev.started(1),
      ev.thinkingDelta(1, 'Let me ', 0),
      ev.thinkingDelta(1, 'think.', 0),
      ev.thinkingSignature(1, 'sig-abc==', 0),
      ev.textDelta(1, 'Done thinking.', 1),
      ev.toolUse(1, 2, 'toolu_t', WRITE, noteInput),
      ev.completed(1, 'tool_use'),
      ev.approve('toolu_t'),
      ev.toolCompleted('toolu_t'),
    );
    expect(c.state()).toBe('resuming');
    expect(c.lastMessages()[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Let me think.', signature: 'sig-abc==' },
        { type: 'text', text: 'Done thinking.' },
        { type: 'tool_use', id: 'toolu_t', name: WRITE, input: noteInput },
      ],
    });
  });
});

describe('approval', () => {
  it('runs nothing until the person approves, then runs the tool and resumes with its result', () => {
    const c = askedFor({ id: 'toolu_1', name: WRITE });
    expect(c.state()).toBe('awaitingApproval');
    expect(c.toolRequests).toEqual([]);
    c.send(ev.approve('toolu_1'));
    expect(c.state()).toBe('executingTool');
    expect(c.toolRequests).toEqual([{ toolUseId: 'toolu_1', name: WRITE, input: noteInput }]);
    c.send(
      ev.toolStarted('toolu_1'),
      ev.toolChunk('toolu_1', 0, '# No', 4, 8),
      ev.toolChunk('toolu_1', 1, 'tes\n', 8, 8),
    );
    expect(call(c, 'toolu_1').run).toMatchObject({
      status: 'running',
      chunks: 2,
      text: '# Notes\n',
      progress: 8,
      total: 8,
    });
    c.send(ev.toolCompleted('toolu_1', 'Wrote notes/a.md (8 bytes).'));
    expect(c.state()).toBe('resuming');
    expect(c.claudeRequests).toHaveLength(2);
    expect(c.lastMessages().at(-1)).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'Wrote notes/a.md (8 bytes).' },
      ],
    });
    c.send(ev.started(2));
    expect(c.state()).toBe('streaming');
    c.send(ev.textDelta(2, 'Written.'), ev.completed(2));
    expect(c.state()).toBe('idle');
  });

  it('sends a denial back as an error result with the reason, and Claude is called again', () => {
    const c = askedFor({ id: 'toolu_1', name: WRITE });
    c.send(ev.deny('toolu_1', 'Not in that folder'));
    expect(c.state()).toBe('resuming');
    expect(c.toolRequests).toEqual([]);
    const [result] = c.lastMessages().at(-1)?.content ?? [];
    expect(result).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_1', is_error: true });
    expect(result?.type === 'tool_result' && result.content).toContain('"Not in that folder"');
    expect(messagesViolations(c.lastMessages())).toEqual([]);
  });

  it('decides several calls independently, runs the approved ones and returns all results together', () => {
    const c = askedFor(
      { id: 'toolu_a', name: WRITE },
      { id: 'toolu_b', name: READ, input: { path: 'x' } },
      { id: 'toolu_c', name: WRITE, input: { path: 'b.md', content: 'b' } },
    );
    c.send(ev.approve('toolu_c'), ev.deny('toolu_b'));
    expect(c.state()).toBe('awaitingApproval');
    c.send(ev.approve('toolu_a'));
    expect(c.state()).toBe('executingTool');
    c.send(ev.toolCompleted('toolu_a', 'A done'));
    expect(c.state()).toBe('executingTool');
    expect(c.toolRequests.map((r) => r.toolUseId)).toEqual(['toolu_a', 'toolu_c']);
    c.send(ev.toolCompleted('toolu_c', 'C done'));
    expect(c.state()).toBe('resuming');
    const results = c.lastMessages().at(-1)?.content;
    expect(results).toEqual([
      { type: 'tool_result', tool_use_id: 'toolu_a', content: 'A done' },
      expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_b', is_error: true }),
      { type: 'tool_result', tool_use_id: 'toolu_c', content: 'C done' },
    ]);
    expect(messagesViolations(c.lastMessages())).toEqual([]);
  });

  it('runs the tool with the edited input and tells Claude about the edit', () => {
    const c = askedFor({ id: 'toolu_1', name: WRITE });
    const edited = { path: 'notes/a.md', content: '# Better notes\n' };
    c.send(ev.approve('toolu_1', 'once', edited));
    expect(c.toolRequests[0]?.input).toEqual(edited);
    c.send(ev.toolCompleted('toolu_1', 'ok'));
    const [result] = c.lastMessages().at(-1)?.content ?? [];
    expect(result?.type === 'tool_result' && result.content).toBe(
      `The person edited the arguments before approving; the tool ran with ${JSON.stringify(edited)}.\n\nok`,
    );
  });

  it('reports a decision for an unknown or already decided call and changes nothing: the first decision wins', () => {
    const c = askedFor({ id: 'toolu_1', name: WRITE }, { id: 'toolu_2', name: WRITE });
    const before = c.actor.getSnapshot();
    c.send(ev.approve('toolu_nope'));
    expect(c.actor.getSnapshot().context).toBe(before.context);
    c.send(ev.deny('toolu_1'));
    const afterDeny = c.actor.getSnapshot().context;
    c.send(ev.approve('toolu_1', 'always'));
    expect(c.actor.getSnapshot().context).toBe(afterDeny);
    expect(call(c, 'toolu_1').decision).toEqual({ status: 'denied', reason: null });
    expect(c.rejections.map((r) => [r.command, r.code])).toEqual([
      ['tool.approve', 'unknown_tool_use'],
      ['tool.approve', 'already_decided'],
    ]);
    expect(c.rejections[1]?.message).toContain('first decision stands');
  });

  it('rejects a decision when nothing waits for one', () => {
    const c = startConversation();
    c.send(ev.approve('toolu_1'));
    expect(c.state()).toBe('idle');
    expect(c.rejections[0]).toMatchObject({ code: 'unknown_tool_use', command: 'tool.approve' });
  });
});

describe('a turn cut short', () => {
  it('never offers or sends back a tool call cut off by max_tokens, but keeps the complete ones', () => {
    const c = startConversation();
    c.send(
      ev.userMessage('Write two files'),
      ev.started(1),
      ev.toolUse(1, 0, 'toolu_a', WRITE, noteInput),
      ev.toolUse(1, 1, 'toolu_b', WRITE, { path: 'b.md', content: 'the first half' }),
      ev.completed(1, 'max_tokens'),
    );
    expect(c.state()).toBe('awaitingApproval');
    expect(findToolCall(c.context(), 'toolu_b')).toBeUndefined();
    c.send(ev.deny('toolu_a'));
    const assistant = c.lastMessages()[1];
    expect(assistant?.content.map((block) => block.type === 'tool_use' && block.id)).toEqual([
      'toolu_a',
    ]);
    expect(messagesViolations(c.lastMessages())).toEqual([]);
  });

  it('with only a cut-off call goes back to idle, and the next request is valid', () => {
    const c = startConversation();
    c.send(ev.userMessage('Write'), ev.textDelta(1, 'Writing it now:'));
    c.send(ev.toolUse(1, 1, 'toolu_a', WRITE, { path: 'a.md' }), ev.completed(1, 'max_tokens'));
    expect(c.state()).toBe('idle');
    c.send(ev.userMessage('Go on'));
    expect(c.lastMessages()[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'Writing it now:' }],
    });
  });
});

describe('always allow', () => {
  it('records the grant, approves the same tool later without asking, and can be revoked', () => {
    const c = askedFor({ id: 'toolu_1', name: WRITE });
    c.send(ev.approve('toolu_1', 'always'));
    expect(c.context().alwaysAllowed).toEqual([WRITE]);
    expect(c.context().items).toContainEqual({
      kind: 'notice',
      code: 'always_allow_granted',
      toolName: WRITE,
    });
    c.send(
      ev.toolCompleted('toolu_1'),
      ev.started(2),
      ev.toolUse(2, 0, 'toolu_2', WRITE, noteInput),
    );
    c.send(ev.completed(2, 'tool_use'));
    expect(c.state()).toBe('executingTool');
    expect(call(c, 'toolu_2').decision).toEqual({
      status: 'approved',
      by: 'policy',
      scope: 'always',
      editedInput: null,
    });
    c.send(
      ev.toolCompleted('toolu_2'),
      ev.started(3),
      ev.toolUse(3, 0, 'toolu_3', READ, { path: 'a' }),
    );
    c.send(ev.completed(3, 'tool_use'));
    expect(c.state()).toBe('awaitingApproval');
    c.send(ev.revoke(WRITE));
    expect(c.context().alwaysAllowed).toEqual([]);
    expect(c.context().items.at(-1)).toEqual({
      kind: 'notice',
      code: 'always_allow_revoked',
      toolName: WRITE,
    });
    c.send(ev.revoke(WRITE));
    expect(c.rejections.at(-1)?.code).toBe('not_always_allowed');
  });

  it('revoked, sends back to the person the calls it approved that have not started', () => {
    const c = askedFor(
      { id: 'toolu_1', name: WRITE },
      { id: 'toolu_2', name: WRITE },
      { id: 'toolu_3', name: READ },
    );
    c.send(ev.approve('toolu_1', 'always'), ev.revoke(WRITE), ev.approve('toolu_3'));
    expect(call(c, 'toolu_2').decision).toEqual({ status: 'pending' });
    expect(c.state()).toBe('awaitingApproval');
    c.send(ev.deny('toolu_2'));
    expect(c.state()).toBe('executingTool');
    c.send(ev.toolCompleted('toolu_1'), ev.toolCompleted('toolu_3'));
    expect(c.toolRequests.map((r) => r.toolUseId)).toEqual(['toolu_1', 'toolu_3']);
    expect(c.state()).toBe('resuming');
  });

  it('revoked while a tool runs, waits for the person before resuming', () => {
    const c = askedFor({ id: 'toolu_1', name: WRITE }, { id: 'toolu_2', name: WRITE });
    c.send(ev.approve('toolu_1', 'always'), ev.toolStarted('toolu_1'), ev.revoke(WRITE));
    c.send(ev.toolCompleted('toolu_1'));
    expect(c.state()).toBe('awaitingApproval');
    expect(call(c, 'toolu_2').decision).toEqual({ status: 'pending' });
    c.send(ev.approve('toolu_2'));
    expect(c.state()).toBe('executingTool');
  });

  it('also approves the other waiting calls of that tool in the same turn', () => {
    const c = askedFor(
      { id: 'toolu_1', name: WRITE },
      { id: 'toolu_2', name: WRITE },
      { id: 'toolu_3', name: READ },
    );
    c.send(ev.approve('toolu_1', 'always'));
    expect(call(c, 'toolu_2').decision).toMatchObject({ status: 'approved', by: 'policy' });
    expect(call(c, 'toolu_3').decision).toEqual({ status: 'pending' });
    expect(c.state()).toBe('awaitingApproval');
  });
});

describe('stop', () => {
  it('while streaming: stops the Claude request, keeps the partial text, and the history stays valid', () => {
    const c = startConversation();
    c.send(ev.userMessage('Tell me a story'), ev.started(1), ev.textDelta(1, 'Once upon'));
    c.send(ev.toolInputDelta(1, 1, 'toolu_x', WRITE, '{"pa'));
    c.send(ev.stop());
    expect(c.state()).toBe('idle');
    expect(c.claudeStopped).toEqual([1]);
    expect(c.context().items[1]).toMatchObject({ kind: 'assistant', status: 'stopped' });
    c.send(ev.userMessage('Go on'));
    expect(c.lastMessages()).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Tell me a story' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Once upon' }] },
      { role: 'user', content: [{ type: 'text', text: 'Go on' }] },
    ]);
  });

  it('while a tool runs: cancels the run and the queued ones, and answers every tool_use', () => {
    const c = askedFor({ id: 'toolu_1', name: WRITE }, { id: 'toolu_2', name: WRITE });
    c.send(ev.approve('toolu_1'), ev.approve('toolu_2'), ev.toolStarted('toolu_1'));
    c.send(ev.toolChunk('toolu_1', 0, '# N', 3, 8), ev.stop());
    expect(c.state()).toBe('idle');
    expect(c.toolStopped).toEqual(['toolu_1']);
    expect(call(c, 'toolu_1').run?.status).toBe('cancelled');
    expect(call(c, 'toolu_2').run?.status).toBe('cancelled');
    c.send(ev.toolCompleted('toolu_1'));
    expect(call(c, 'toolu_1').run?.status).toBe('cancelled');
    c.send(ev.userMessage('Never mind'));
    const last = c.lastMessages().at(-1);
    expect(last?.content.map((block) => block.type)).toEqual([
      'tool_result',
      'tool_result',
      'text',
    ]);
    expect(last?.content.slice(0, 2).every((b) => b.type === 'tool_result' && b.is_error)).toBe(
      true,
    );
    expect(messagesViolations(c.lastMessages())).toEqual([]);
  });

  it('while awaiting approval: cancels the pending calls, which never run', () => {
    const c = askedFor({ id: 'toolu_1', name: WRITE });
    c.send(ev.stop());
    expect(c.state()).toBe('idle');
    expect(call(c, 'toolu_1').decision).toEqual({ status: 'cancelled' });
    c.send(ev.approve('toolu_1'));
    expect(c.toolRequests).toEqual([]);
    expect(c.rejections.at(-1)?.code).toBe('already_decided');
  });

  it('when nothing runs: is rejected', () => {
    const c = startConversation();
    c.send(ev.stop());
    expect(c.rejections).toMatchObject([{ command: 'turn.stop', code: 'nothing_to_stop' }]);
  });
});

describe('failures', () => {
  it('after a failed Claude call, keeps the partial text marked and retries with the same valid history', () => {
    const c = startConversation();
    c.send(ev.userMessage('Hello'), ev.started(1), ev.textDelta(1, 'Half an ans'));
    c.send(ev.failed(1, 'stream'));
    expect(c.state()).toBe('failed');
    expect(c.context().items[1]).toMatchObject({
      status: 'failed',
      blocks: [{ type: 'text', text: 'Half an ans' }],
      error: { kind: 'stream', retryable: true },
    });
    c.send(ev.retry());
    expect(c.state()).toBe('streaming');
    expect(c.claudeRequests[1]).toEqual({
      turn: 2,
      messages: c.claudeRequests[0]?.messages,
      settings: null,
    });
  });

  it('after a failed resume, a retry sends the tool results again', () => {
    const c = askedFor({ id: 'toolu_1', name: WRITE });
    c.send(ev.approve('toolu_1'), ev.toolCompleted('toolu_1', 'ok'), ev.failed(2, 'overloaded'));
    expect(c.state()).toBe('failed');
    c.send(ev.retry());
    expect(c.claudeRequests.map((r) => r.turn)).toEqual([1, 2, 3]);
    expect(c.claudeRequests[2]?.messages).toEqual(c.claudeRequests[1]?.messages);
    expect(messagesViolations(c.lastMessages())).toEqual([]);
  });

  it('a new message after a failure joins the unanswered user turn', () => {
    const c = startConversation();
    c.send(ev.userMessage('Hello'), ev.failed(1, 'connection'), ev.userMessage('Are you there?'));
    expect(c.lastMessages()).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hello' },
          { type: 'text', text: 'Are you there?' },
        ],
      },
    ]);
  });

  it('a failed tool run reaches Claude as an error result, and the conversation goes on', () => {
    const c = askedFor({ id: 'toolu_1', name: WRITE });
    c.send(ev.approve('toolu_1'), ev.toolFailed('toolu_1', 'the MCP server exited'));
    expect(c.state()).toBe('resuming');
    expect(c.lastMessages().at(-1)?.content[0]).toEqual({
      type: 'tool_result',
      tool_use_id: 'toolu_1',
      content: 'write_file failed: the MCP server exited',
      is_error: true,
    });
  });

  it('a chunk out of order is not folded in, so a gap can never go unseen', () => {
    const c = askedFor({ id: 'toolu_1', name: WRITE });
    c.send(ev.approve('toolu_1'), ev.toolChunk('toolu_1', 1, 'skipped-ahead', 13, 20));
    expect(call(c, 'toolu_1').run).toMatchObject({ chunks: 0, text: '' });
  });

  it('rejects a message while Claude works, and a retry when nothing failed', () => {
    const c = startConversation();
    c.send(ev.userMessage('One'), ev.userMessage('Two'), ev.retry());
    expect(c.rejections.map((r) => r.code)).toEqual(['busy', 'nothing_to_retry']);
    expect(c.context().items.filter((item) => item.kind === 'user')).toHaveLength(1);
  });
});
