import {
  type ClaudeRequest,
  type ConversationEvent,
  conversationMachine,
  type FactEvent,
  type ToolRequest,
} from '@tollgate/machines';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromCallback } from 'xstate';
import * as ev from '../../../machines/src/test-support/event-builders.ts';
import { createConversationRegistry } from '../../src/conversations/conversation-registry.ts';
import { createFactRoutes } from '../../src/conversations/fact-routes.ts';
import type { Store } from '../../src/store/store.ts';
import { silentLogger } from '../silent-logger.ts';
import { createMemoryStore } from '../store/support/memory-store.ts';
import { watcher } from './support/watcher.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/**
 * A registry on a memory store holding c1 and c2, whose Claude and tool the test drives; it
 * records each tool run the machine stops (a cancellation).
 */
async function registryWithIo() {
  const store: Store = createMemoryStore();
  await store.conversations.create({ id: 'c1', createdAt: 0 });
  await store.conversations.create({ id: 'c2', createdAt: 0 });
  const factRoutes = createFactRoutes(silentLogger());
  let claude: ((fact: FactEvent) => void) | null = null;
  let tool: ((fact: FactEvent) => void) | null = null;
  const toolsStopped: string[] = [];
  const registry = createConversationRegistry({
    store,
    logger: silentLogger(),
    runtimeDeps: {
      liveMachine: conversationMachine.provide({
        actors: {
          claude: fromCallback<ConversationEvent, ClaudeRequest>(({ system }) => {
            claude = factRoutes.dispatchFor(system);
          }),
          tool: fromCallback<ConversationEvent, ToolRequest>(({ system, input }) => {
            tool = factRoutes.dispatchFor(system);
            return () => toolsStopped.push(input.toolUseId);
          }),
        },
      }),
      factRoutes,
      clock: () => 1,
    },
  });
  cleanups.push(async () => {
    await registry.close();
    await store.close();
  });
  return {
    store,
    registry,
    toolsStopped,
    claude: (fact: FactEvent) => claude?.(fact),
    tool: (fact: FactEvent) => tool?.(fact),
  };
}

describe('deleting a conversation through the registry', () => {
  it('cancels its tool run, forgets its watchers and purges it; the others go on', async () => {
    const io = await registryWithIo();
    const { registry, store } = io;
    const conversation = await registry.get('c1');
    const tab = watcher();
    await conversation?.subscribe(tab, 0);
    await conversation?.command({ type: 'user.message', commandId: 'm1', text: 'Write a.md' });
    io.claude(ev.started(1));
    io.claude(ev.toolUse(1, 0, 'toolu_1', 'write_file', { path: 'a.md', content: 'abc' }));
    io.claude(ev.completed(1, 'tool_use'));
    await tab.until(() => tab.received.some((e) => e.event.type === 'assistant.completed'));
    await conversation?.command({
      type: 'tool.approve',
      commandId: 'a1',
      toolUseId: 'toolu_1',
      scope: 'once',
    });
    io.tool(ev.toolStarted('toolu_1'));
    await tab.until(() => tab.received.some((e) => e.event.type === 'tool.started'));
    expect(registry.runtime('c1')?.snapshot().value).toBe('executingTool');
    const seen = tab.received.length;

    expect(await registry.delete('c1')).toBeNull();
    expect(io.toolsStopped).toEqual(['toolu_1']);
    expect(registry.runtime('c1')).toBeNull();
    // What the tool still reports goes nowhere: the conversation is gone, log and all.
    io.tool(ev.toolChunk('toolu_1', 0, 'abc', 3, 3));
    expect(await store.log.read('c1')).toEqual([]);
    expect(await store.conversations.has('c1')).toBe(false);
    expect(await registry.get('c1')).toBeNull();
    expect(tab.received).toHaveLength(seen);
    expect(await registry.delete('c1')).toBeUndefined();

    const other = await registry.get('c2');
    expect(await other?.command({ type: 'user.message', commandId: 'm2', text: 'hi' })).toEqual({
      status: 'accepted',
      seq: 1,
    });
  });

  it('stops what runs here when the store says another instance deleted it', async () => {
    const { registry, store } = await registryWithIo();
    const conversation = await registry.get('c1');
    await conversation?.command({ type: 'user.message', commandId: 'm1', text: 'hi' });
    expect(registry.runtime('c1')).not.toBeNull();
    // Behind the registry's back, as another instance's deletion reaches this one.
    await store.conversations.delete('c1');
    await vi.waitFor(() => expect(registry.runtime('c1')).toBeNull());
    expect(await registry.get('c1')).toBeNull();
  });
});
