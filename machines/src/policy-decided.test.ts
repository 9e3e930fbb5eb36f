import { describe, expect, it } from 'vitest';
import type { ToolCallItem } from './conversation-context.ts';
import { type PolicyRule, toolPolicyDecidedEventSchema } from './events/policy-events.ts';
import { replay } from './replay.ts';
import { startConversation } from './test-support/conversation-harness.ts';
import * as ev from './test-support/event-builders.ts';

const denyRule: PolicyRule = {
  index: 2,
  effect: 'deny',
  server: 'tollgate-files',
  tool: 'delete_*',
  reason: 'Nothing is deleted from the workspace.',
};
const allowRule: PolicyRule = { index: 1, effect: 'allow', server: '*', tool: 'read_*' };

function askedForTwo() {
  const c = startConversation();
  c.send(
    ev.userMessage('tidy up'),
    ev.started(1),
    ev.toolUse(1, 0, 'toolu_del', 'delete_file', { path: 'a.md' }),
    ev.toolUse(1, 1, 'toolu_read', 'read_file', { path: 'b.md' }),
    ev.completed(1, 'tool_use'),
  );
  return c;
}

const call = (c: ReturnType<typeof startConversation>, id: string) =>
  c
    .context()
    .items.find((item): item is ToolCallItem => item.kind === 'tool' && item.toolUseId === id);

describe('tool.policy_decided', () => {
  it('denies and approves waiting calls by rule, and Claude is told which rule denied', () => {
    const c = askedForTwo();
    expect(c.state()).toBe('awaitingApproval');
    c.send({
      type: 'tool.policy_decided',
      toolUseId: 'toolu_del',
      decision: 'denied',
      rule: denyRule,
    });
    expect(call(c, 'toolu_del')?.decision).toEqual({
      status: 'denied',
      reason: denyRule.reason,
      rule: denyRule,
    });
    expect(c.state()).toBe('awaitingApproval');
    c.send({
      type: 'tool.policy_decided',
      toolUseId: 'toolu_read',
      decision: 'approved',
      rule: allowRule,
    });
    expect(call(c, 'toolu_read')?.decision).toEqual({
      status: 'approved',
      by: 'policy',
      scope: 'once',
      editedInput: null,
      rule: allowRule,
    });
    expect(c.state()).toBe('executingTool');
    expect(c.toolRequests.map((request) => request.toolUseId)).toEqual(['toolu_read']);
    c.send(ev.toolCompleted('toolu_read', 'the text'));
    expect(c.state()).toBe('resuming');
    const results = c.lastMessages().at(-1);
    const denied = JSON.stringify(results);
    expect(denied).toContain('A rule of this server');
    expect(denied).toContain('rule 2: deny delete_* on tollgate-files');
    expect(denied).toContain('Nothing is deleted from the workspace.');
  });

  it('is a no-op for a call already decided: the first decision wins', () => {
    const c = askedForTwo();
    c.send(ev.approve('toolu_del', 'once'));
    const before = c.context();
    const fact = {
      type: 'tool.policy_decided',
      toolUseId: 'toolu_del',
      decision: 'denied',
      rule: denyRule,
    } as const;
    expect(c.actor.getSnapshot().can(fact)).toBe(false);
    c.send(fact);
    expect(c.context()).toBe(before);
  });

  it('folds the same in a replay', () => {
    const c = askedForTwo();
    c.send(
      { type: 'tool.policy_decided', toolUseId: 'toolu_del', decision: 'denied', rule: denyRule },
      ev.deny('toolu_read'),
    );
    const entries = c.events.map((event, i) => ({
      conversationId: 'c',
      seq: i + 1,
      event,
      at: 0,
      machineVersion: 1,
    }));
    const folded = replay(entries);
    expect(folded.value).toBe(c.state());
    expect(folded.context).toEqual(c.context());
  });

  it('approves by a grant of "Always allow everywhere", which never denies', () => {
    const c = askedForTwo();
    const grant = { id: 'c0:12', conversationId: 'c0', seq: 12 };
    c.send({ type: 'tool.policy_decided', toolUseId: 'toolu_read', decision: 'approved', grant });
    expect(call(c, 'toolu_read')?.decision).toEqual({
      status: 'approved',
      by: 'policy',
      scope: 'everywhere',
      editedInput: null,
      grant,
    });
    expect(
      toolPolicyDecidedEventSchema.safeParse({
        type: 'tool.policy_decided',
        toolUseId: 'toolu_del',
        decision: 'denied',
        grant,
      }).success,
    ).toBe(false);
    expect(
      toolPolicyDecidedEventSchema.safeParse({
        type: 'tool.policy_decided',
        toolUseId: 'toolu_del',
        decision: 'approved',
      }).success,
    ).toBe(false);
  });
});

describe('tool.approve with scope everywhere', () => {
  it('approves the call and the same tool waiting in the turn, and leaves the grant to the server', () => {
    const c = startConversation();
    c.send(
      ev.userMessage('two files'),
      ev.started(1),
      ev.toolUse(1, 0, 'toolu_a', 'write_file', { path: 'a.md', content: 'a' }),
      ev.toolUse(1, 1, 'toolu_b', 'write_file', { path: 'b.md', content: 'b' }),
      ev.completed(1, 'tool_use'),
      ev.approve('toolu_a', 'everywhere'),
    );
    expect(call(c, 'toolu_b')?.decision).toMatchObject({ status: 'approved', scope: 'everywhere' });
    expect(c.context().alwaysAllowed).toEqual([]);
    expect(c.context().items).toContainEqual({
      kind: 'notice',
      code: 'always_allow_granted_everywhere',
      toolName: 'write_file',
    });
    expect(c.state()).toBe('executingTool');
  });
});
