import {
  type ClaudeRequest,
  type ConversationEvent,
  conversationMachine,
  type FactEvent,
  type LogEntry,
  type PolicyRule,
  type ToolRequest,
} from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { fromCallback } from 'xstate';
import * as ev from '../../../machines/src/test-support/event-builders.ts';
import {
  type ConversationRuntimeDeps,
  openConversationRuntime,
} from '../../src/conversations/conversation-runtime.ts';
import { createFactRoutes } from '../../src/conversations/fact-routes.ts';
import { createToolPolicy } from '../../src/policy/tool-policy.ts';
import { silentLogger } from '../silent-logger.ts';
import { tempStorePerTest } from '../store/support/temp-store.ts';
import { storeDeps } from './support/store-deps.ts';

const factRoutes = createFactRoutes(silentLogger());
const t = tempStorePerTest(async (store) => {
  await store.conversations.create({ id: 'c1', createdAt: 0 });
});

const tools = [
  { claudeName: 'write_file', server: 'tollgate-files', mcpName: 'write_file' },
  { claudeName: 'read_file', server: 'tollgate-files', mcpName: 'read_file' },
  { claudeName: 'delete_file', server: 'tollgate-files', mcpName: 'delete_file' },
];
const rules: PolicyRule[] = [
  { index: 1, effect: 'deny', server: 'tollgate-files', tool: 'delete_*', reason: 'No deletes.' },
  { index: 2, effect: 'allow', server: '*', tool: 'read_*' },
];

function scriptedIo() {
  let claude: ((fact: FactEvent) => void) | null = null;
  const toolRuns: string[] = [];
  const machine = conversationMachine.provide({
    actors: {
      claude: fromCallback<ConversationEvent, ClaudeRequest>(({ system }) => {
        claude = factRoutes.dispatchFor(system);
      }),
      tool: fromCallback<ConversationEvent, ToolRequest>(({ input }) => {
        toolRuns.push(input.toolUseId);
      }),
    },
  });
  return { machine, toolRuns, claude: (fact: FactEvent) => claude?.(fact) };
}

const byRules =
  (policyRules: PolicyRule[]): NonNullable<ConversationRuntimeDeps['policy']> =>
  (calls) =>
    createToolPolicy(policyRules, () => tools).decide(calls);

/** The runtime of c1 on the test's store, deciding by `rules` unless `deps` say otherwise. */
async function open(
  io: ReturnType<typeof scriptedIo>,
  deps: Partial<ConversationRuntimeDeps> = {},
) {
  return openConversationRuntime({
    conversationId: 'c1',
    ...storeDeps(t.store),
    liveMachine: io.machine,
    factRoutes,
    clock: () => 1,
    logger: silentLogger(),
    policy: byRules(rules),
    ...deps,
  });
}

/** Settles once every event queued before now is handled (a duplicate waits its turn too). */
async function handled(runtime: Awaited<ReturnType<typeof open>>) {
  await runtime.command({ type: 'user.message', commandId: 'm1', text: 'Tidy up' });
}

describe('the policy step', () => {
  it('decides by rule right after the turn, published with it, and asks for the rest', async () => {
    const io = scriptedIo();
    const runtime = await open(io);
    const messages: LogEntry[][] = [];
    await runtime.subscribe(
      { deliver: (message: string) => messages.push(JSON.parse(message).entries) },
      0,
    );
    await runtime.command({ type: 'user.message', commandId: 'm1', text: 'Tidy up' });
    io.claude(ev.started(1));
    io.claude(ev.toolUse(1, 0, 'toolu_del', 'delete_file', { path: 'a.md' }));
    io.claude(ev.toolUse(1, 1, 'toolu_read', 'read_file', { path: 'b.md' }));
    io.claude(ev.toolUse(1, 2, 'toolu_write', 'write_file', { path: 'c.md', content: 'c' }));
    io.claude(ev.completed(1, 'tool_use'));
    await handled(runtime);

    const log = await t.store.log.read('c1', 0);
    const types = log.map((entry) => entry.event.type);
    expect(types.slice(-3)).toEqual([
      'assistant.completed',
      'tool.policy_decided',
      'tool.policy_decided',
    ]);
    expect(log.at(-2)?.event).toMatchObject({
      toolUseId: 'toolu_del',
      decision: 'denied',
      rule: { index: 1, reason: 'No deletes.' },
    });
    expect(log.at(-1)?.event).toMatchObject({
      toolUseId: 'toolu_read',
      decision: 'approved',
      rule: { index: 2 },
    });
    // The write still waits for the person: nothing runs yet.
    expect(runtime.snapshot().value).toBe('awaitingApproval');
    expect(io.toolRuns).toEqual([]);
    expect(messages.flat().map((entry) => entry.seq)).toEqual(log.map((entry) => entry.seq));
    // The completion and its decisions reach a tab as one message: folded in one go, the calls a
    // rule decides never show a dialog there, not even for a frame.
    expect(messages.at(-1)?.map((entry) => entry.event.type)).toEqual([
      'assistant.completed',
      'tool.policy_decided',
      'tool.policy_decided',
    ]);

    await runtime.command({
      type: 'tool.approve',
      commandId: 'a1',
      toolUseId: 'toolu_write',
      scope: 'once',
    });
    expect(runtime.snapshot().value).toBe('executingTool');
    expect(io.toolRuns).toEqual(['toolu_read']);
    runtime.stop();
  });

  it('gives a tab that subscribes while the policy decides the completion with its decisions', async () => {
    const io = scriptedIo();
    let release: () => void = () => {};
    const deciding = new Promise<void>((resolve) => {
      release = resolve;
    });
    let asked: () => void = () => {};
    const policyAsked = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const decide = byRules(rules);
    const runtime = await open(io, {
      policy: async (calls, conversationId) => {
        asked();
        await deciding;
        return decide(calls, conversationId);
      },
    });
    await runtime.command({ type: 'user.message', commandId: 'm1', text: 'Read it' });
    io.claude(ev.started(1));
    io.claude(ev.toolUse(1, 0, 'toolu_read', 'read_file', { path: 'b.md' }));
    io.claude(ev.completed(1, 'tool_use'));
    await policyAsked;
    // The completion is in the log; its decision is still being made.
    expect((await t.store.log.read('c1', 0)).at(-1)?.event.type).toBe('assistant.completed');
    const messages: LogEntry[][] = [];
    let subscribedAt = -1;
    await runtime.subscribe(
      { deliver: (message: string) => messages.push(JSON.parse(message).entries) },
      0,
      { subscribed: () => (subscribedAt = messages.length) },
    );
    release();
    await handled(runtime);
    const types = messages.map((entries) => entries.map((entry) => entry.event.type));
    // The catch-up ends before the completion, which comes live with its decision.
    expect(types.slice(0, subscribedAt).flat()).not.toContain('assistant.completed');
    expect(types[subscribedAt]).toEqual(['assistant.completed', 'tool.policy_decided']);
    runtime.stop();
  });

  it('runs an allowed call at once, and judges calls left waiting when it opens', async () => {
    const io = scriptedIo();
    const first = await open(io, { policy: byRules([]) });
    await first.command({ type: 'user.message', commandId: 'm1', text: 'Tidy up' });
    io.claude(ev.started(1));
    io.claude(ev.toolUse(1, 0, 'toolu_read', 'read_file', { path: 'b.md' }));
    io.claude(ev.completed(1, 'tool_use'));
    await handled(first);
    expect(first.snapshot().value).toBe('awaitingApproval');
    first.stop();

    // Opened again with a rule that allows it: decided without anyone, and it runs.
    const again = await open(io);
    await handled(again);
    expect((await t.store.log.read('c1', 0)).at(-1)?.event).toMatchObject({
      type: 'tool.policy_decided',
      decision: 'approved',
    });
    expect(again.snapshot().value).toBe('executingTool');
    expect(io.toolRuns).toEqual(['toolu_read']);
    again.stop();
  });

  it('stamps "Always allow everywhere" with its grant, written with the decision', async () => {
    const io = scriptedIo();
    const told: unknown[] = [];
    const runtime = await open(io, {
      clock: () => 7,
      policy: undefined,
      toolServer: (toolName) => (toolName === 'write_file' ? 'tollgate-files' : undefined),
      grantsChanged: async (conversationId) => {
        told.push({ conversationId, grants: await t.store.grants.list(null) });
      },
    });
    await runtime.command({ type: 'user.message', commandId: 'm1', text: 'Write' });
    io.claude(ev.started(1));
    io.claude(ev.toolUse(1, 0, 'toolu_w', 'write_file', { path: 'a.md', content: 'a' }));
    io.claude(ev.completed(1, 'tool_use'));
    await handled(runtime);
    const outcome = await runtime.command({
      type: 'tool.approve',
      commandId: 'a1',
      toolUseId: 'toolu_w',
      scope: 'everywhere',
    });
    expect(outcome).toMatchObject({ status: 'accepted' });
    const seq = outcome.status === 'accepted' ? outcome.seq : 0;
    const entry = (await t.store.log.read('c1', seq - 1))[0];
    expect(entry?.event).toMatchObject({
      type: 'tool.approve',
      scope: 'everywhere',
      grant: { toolName: 'write_file', server: 'tollgate-files' },
    });
    const grant = {
      id: `c1:${seq}`,
      owner: null,
      toolName: 'write_file',
      server: 'tollgate-files',
      conversationId: 'c1',
      seq,
      grantedAt: entry?.at,
    };
    // Told once the grant is in the store, with the decision.
    expect(told).toEqual([{ conversationId: 'c1', grants: [grant] }]);
    runtime.stop();
  });
});
