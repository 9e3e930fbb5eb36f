import type { Store } from '../../../src/store/store.ts';
import type { ClusterImplementation } from './cluster-implementation.ts';
import { createMemoryCluster } from './memory-cluster.ts';
import { createMemoryStore } from './memory-store.ts';

/** The in-memory double of several instances (memory-cluster.ts) on one memory store. */
export const memoryClusterImplementation: ClusterImplementation = {
  name: 'the memory cluster double',
  async open(options) {
    const store = createMemoryStore(options);
    await store.conversations.create({ id: 'c1', createdAt: 1_000 });
    const cluster = createMemoryCluster(store);
    const instances = new Map<string, Store>();
    return {
      async instance(id) {
        let seen = instances.get(id);
        if (!seen) {
          seen = cluster.instance(id);
          instances.set(id, seen);
        }
        return seen;
      },
      async lose(id) {
        cluster.lose(id);
      },
      async waitRestored(id) {
        // Nothing brings the double back by itself.
        cluster.restore(id);
      },
      dispose: () => store.close(),
    };
  },
};
