import {
  type ClaudeRequest,
  type ConversationEvent,
  conversationMachine,
  type FactEvent,
  type ToolRequest,
} from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { fromCallback } from 'xstate';
import * as ev from '../../../machines/src/test-support/event-builders.ts';
import { openConversationRuntime } from '../../src/conversations/conversation-runtime.ts';
import { createFactRoutes } from '../../src/conversations/fact-routes.ts';
import { createGrantsPanel } from '../../src/policy/grants-panel.ts';
import type { Owner } from '../../src/store/conversation-index.ts';
import { silentLogger } from '../silent-logger.ts';
import { tempStorePerTest } from '../store/support/temp-store.ts';
import { storeDeps } from './support/store-deps.ts';

const factRoutes = createFactRoutes(silentLogger());
const t = tempStorePerTest(async (store) => {
  await store.conversations.create({ id: 'c1', createdAt: 0, owner: 'ana' });
  await store.conversations.create({ id: 'c2', createdAt: 0, owner: 'ana' });
});

/** A conversation whose Claude is scripted and whose tool runs are only recorded. */
async function openConversation(conversationId: string, told: string[]) {
  let claude: ((fact: FactEvent) => void) | null = null;
  const machine = conversationMachine.provide({
    actors: {
      claude: fromCallback<ConversationEvent, ClaudeRequest>(({ system }) => {
        claude = factRoutes.dispatchFor(system);
      }),
      tool: fromCallback<ConversationEvent, ToolRequest>(() => {}),
    },
  });
  const runtime = await openConversationRuntime({
    conversationId,
    ...storeDeps(t.store),
    liveMachine: machine,
    factRoutes,
    clock: () => 5,
    logger: silentLogger(),
    toolServer: () => 'tollgate-files',
    grantsChanged: (id) => {
      told.push(id);
    },
  });
  const writeCall = async (turn: number, toolUseId: string) => {
    claude?.(ev.started(turn));
    claude?.(ev.toolUse(turn, 0, toolUseId, 'write_file', { path: 'a.md', content: 'a' }));
    claude?.(ev.completed(turn, 'tool_use'));
    // A resent command is a duplicate: answered once what came before it is handled.
    await runtime.command({ type: 'user.message', commandId: `m-${conversationId}`, text: 'x' });
  };
  return { runtime, writeCall };
}

describe('the Policies panel', () => {
  it("lists both scopes of grants, and revokes a conversation's by a command to it", async () => {
    const told: string[] = [];
    const announced: Owner[] = [];
    const one = await openConversation('c1', told);
    const two = await openConversation('c2', told);
    const panel = createGrantsPanel({
      grants: t.store.grants,
      conversation: async (id) => (id === 'c1' ? one.runtime : id === 'c2' ? two.runtime : null),
      announce: async (owner) => {
        announced.push(owner);
      },
      newCommandId: () => 'revoke-1',
    });

    await one.runtime.command({ type: 'user.message', commandId: 'm-c1', text: 'Write' });
    await one.writeCall(1, 'toolu_1');
    const always = await one.runtime.command({
      type: 'tool.approve',
      commandId: 'a1',
      toolUseId: 'toolu_1',
      scope: 'always',
    });
    await two.runtime.command({ type: 'user.message', commandId: 'm-c2', text: 'Write too' });
    await two.writeCall(1, 'toolu_2');
    const everywhere = await two.runtime.command({
      type: 'tool.approve',
      commandId: 'a2',
      toolUseId: 'toolu_2',
      scope: 'everywhere',
    });
    expect(always.status).toBe('accepted');
    expect(everywhere.status).toBe('accepted');
    // The runtimes told of each grant once it was in the store.
    expect(told).toEqual(['c1', 'c2']);
    const alwaysSeq = always.status === 'accepted' ? always.seq : 0;
    const everywhereSeq = everywhere.status === 'accepted' ? everywhere.seq : 0;
    const listed = await panel.list('ana');
    expect(listed).toEqual(
      expect.arrayContaining([
        {
          id: `c1:${alwaysSeq}`,
          scope: 'conversation',
          toolName: 'write_file',
          server: 'tollgate-files',
          conversationId: 'c1',
          seq: alwaysSeq,
          grantedAt: expect.any(Number),
        },
        {
          id: `c2:${everywhereSeq}`,
          scope: 'everywhere',
          toolName: 'write_file',
          server: 'tollgate-files',
          conversationId: 'c2',
          seq: everywhereSeq,
          grantedAt: expect.any(Number),
        },
      ]),
    );
    expect(listed).toHaveLength(2);
    expect(await panel.list('bo')).toEqual([]);
    expect(await panel.revoke('bo', `c1:${alwaysSeq}`)).toBe(false);

    // The conversation's: a policy.revoke in its log, and its context asks again.
    expect(one.runtime.snapshot().context.alwaysAllowed).toEqual(['write_file']);
    expect(await panel.revoke('ana', `c1:${alwaysSeq}`)).toBe(true);
    expect((await t.store.log.read('c1', 0)).at(-1)?.event).toEqual({
      type: 'policy.revoke',
      commandId: 'revoke-1',
      toolName: 'write_file',
    });
    expect(one.runtime.snapshot().context.alwaysAllowed).toEqual([]);
    expect((await panel.list('ana')).map((grant) => grant.scope)).toEqual(['everywhere']);
    expect(await panel.revoke('ana', `c1:${alwaysSeq}`)).toBe(false);

    // The one everywhere: gone from the store.
    expect(await panel.revoke('ana', `c2:${everywhereSeq}`)).toBe(true);
    expect(await panel.list('ana')).toEqual([]);
    expect(announced).toEqual(['ana', 'ana']);
    one.runtime.stop();
    two.runtime.stop();
  });
});
