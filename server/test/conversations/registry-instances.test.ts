import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import { createMemoryCluster } from '../store/support/memory-cluster.ts';
import { createMemoryStore } from '../store/support/memory-store.ts';
import { testRegistry } from './support/test-registry.ts';
import { watcher } from './support/watcher.ts';

// Several registries on one store, each as an instance of a cluster (the in-memory double of
// the PostgreSQL one): who owns, who follows, take-overs, and losing the store.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function instances() {
  const store = createMemoryStore();
  await store.conversations.create({ id: 'c1', createdAt: 0 });
  const cluster = createMemoryCluster(store);
  cleanups.push(() => store.close());
  /** A registry as instance `id`; take-overs only when the test asks (a command). */
  function start(id: string, seen: Store = cluster.instance(id)) {
    const { registry, opened } = testRegistry(seen, { takeOverEveryMs: 3_600_000 });
    cleanups.push(() => registry.close());
    return { registry, opened, store: seen };
  }
  return { store, cluster, start };
}

const message = (commandId: string, text = commandId) => ({
  type: 'user.message' as const,
  commandId,
  text,
});

describe('registries of several instances on one store', () => {
  it('runs a conversation on the instance that opened it first, and shows it live on the other', async () => {
    const { cluster, start } = await instances();
    const a = start('a');
    const b = start('b');
    const tabA = watcher();
    const tabB = watcher();
    await (await a.registry.get('c1'))?.subscribe(tabA, 0);
    await (await b.registry.get('c1'))?.subscribe(tabB, 0);
    expect(cluster.holder('c1')).toBe('a');
    expect(b.registry.runtime('c1')).toBeNull();

    // Sent through the follower, run by the owner, seen on both.
    expect(await (await b.registry.get('c1'))?.command(message('m1', 'Hi'))).toEqual({
      status: 'accepted',
      seq: 1,
    });
    await tabB.until(() => tabB.received.length === 1);
    expect(tabA.received).toEqual(tabB.received);
    // Refused by the owner, with its reason, from either side.
    expect(await (await b.registry.get('c1'))?.command(message('m2'))).toMatchObject({
      status: 'rejected',
      message: expect.stringMatching(/Claude/),
    });
    expect(a.opened()).toBe(1);
    expect(b.opened()).toBe(0);
  });

  it('takes a conversation over once, however many commands ask at once', async () => {
    const { cluster, store, start } = await instances();
    const a = start('a');
    const b = start('b');
    await (await a.registry.get('c1'))?.subscribe(watcher(), 0);
    const tab = watcher();
    await (await b.registry.get('c1'))?.subscribe(tab, 0);
    // The owner dies just after the first attempt to take the conversation found it held, while
    // the other commands wait behind that attempt.
    cluster.afterClaim = (instance, _, won) => {
      if (instance === 'b' && !won) cluster.lose('a');
    };

    const followed = await b.registry.get('c1');
    const outcomes = await Promise.all([
      followed?.command(message('m1')),
      followed?.command(message('m2')),
      followed?.command(message('m3')),
    ]);
    expect(b.opened()).toBe(1);
    expect(cluster.holder('c1')).toBe('b');
    expect(outcomes.filter((outcome) => outcome?.status === 'accepted')).toHaveLength(1);
    const log = await store.log.read('c1');
    expect(log.map((entry) => entry.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log.filter((entry) => entry.event.type === 'user.message')).toHaveLength(1);
    // The watcher moved to the new runtime and sees what it writes, once each.
    await tab.until(() => tab.received.length === log.length);
    expect(tab.received).toEqual(log);
  });

  it('keeps no runtime of a conversation it was opening when it lost the store', async () => {
    const { cluster, store, start } = await instances();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The rebuild waits on its read of the checkpoint, with the claim already made.
    const seen = cluster.instance('a');
    const latest = seen.checkpoints.latest.bind(seen.checkpoints);
    seen.checkpoints = {
      ...seen.checkpoints,
      latest: async (conversationId) => {
        await held;
        return latest(conversationId);
      },
    };
    const a = start('a', seen);
    const opening = a.registry.get('c1');
    await new Promise<void>((resolve) => {
      const check = () => (cluster.holder('c1') === 'a' ? resolve() : setImmediate(check));
      check();
    });
    cluster.lose('a');
    release();
    await expect(opening).rejects.toThrow(/lost the store/);
    expect(a.registry.runtime('c1')).toBeNull();
    cluster.restore('a');

    // Another instance takes it; the one that lost it appends nothing.
    const b = start('b');
    expect(await (await b.registry.get('c1'))?.command(message('m1'))).toMatchObject({
      status: 'accepted',
    });
    expect(cluster.holder('c1')).toBe('b');
    expect((await store.log.read('c1')).map((entry) => entry.event.type)).toEqual(['user.message']);
  });
});
