import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import { createMemoryStore } from '../store/support/memory-store.ts';
import { testRegistry } from './support/test-registry.ts';
import { watcher } from './support/watcher.ts';

/** A registry on a memory store holding c1; `opened` counts the runtimes it has built. */
async function registryOnStore() {
  const store: Store = createMemoryStore();
  await store.conversations.create({ id: 'c1', createdAt: 0 });
  const { registry, opened } = testRegistry(store);
  cleanups.push(async () => {
    await registry.close();
    await store.close();
  });
  return { store, registry, opened };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('the conversation registry', () => {
  it('reaches a stored conversation, and none that is not', async () => {
    const { registry } = await registryOnStore();
    expect(await registry.get('nope')).toBeNull();
    expect(registry.runtime('nope')).toBeNull();

    const conversation = await registry.get('c1');
    expect(conversation?.conversationId).toBe('c1');
    const tab = watcher();
    const subscribed: number[] = [];
    expect(
      await conversation?.subscribe(tab, 0, { subscribed: (seq) => subscribed.push(seq) }),
    ).toBe(0);
    expect(subscribed).toEqual([0]);
    expect(
      await conversation?.command({ type: 'user.message', commandId: 'm1', text: 'Hello' }),
    ).toEqual({ status: 'accepted', seq: 1 });
    expect(tab.received.map((entry) => entry.event.type)).toEqual(['user.message']);
    expect(registry.runtime('c1')?.snapshot().value).not.toBe('idle');

    conversation?.unsubscribe(tab);
    expect(
      await conversation?.command({ type: 'user.message', commandId: 'm1', text: 'Hello' }),
    ).toEqual({ status: 'duplicate' });
    expect(tab.received).toHaveLength(1);
  });

  it('builds one runtime for a conversation, however its first uses interleave', async () => {
    const { registry, opened } = await registryOnStore();
    // A use of the conversation at every step of the event loop's microtasks while it opens.
    const uses = [registry.get('c1')];
    for (let tick = 0; tick < 40; tick++) {
      await Promise.resolve();
      uses.push(registry.get('c1'));
    }
    const conversations = await Promise.all(uses);
    expect(conversations.every((conversation) => conversation !== null)).toBe(true);
    expect(opened()).toBe(1);
  });
});
