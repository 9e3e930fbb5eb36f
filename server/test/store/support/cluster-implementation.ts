import { afterEach, beforeEach } from 'vitest';
import type { Store } from '../../../src/store/store.ts';
import type { StoreOpenOptions } from './store-implementation.ts';

/**
 * Several instances on one fresh, shared store, as the cluster contract drives them. The store
 * holds one conversation, `c1`, created once for all of them.
 */
export interface ClusterSubject {
  /** The store as instance `id` sees it: the same object for the same id, opened on first use. */
  instance(id: string): Promise<Store>;
  /**
   * Makes instance `id` lose the store, as when its connection to it ends; resolves once it has
   * been told (`onLost`) and the store has let go of what it held.
   */
  lose(id: string): Promise<void>;
  /**
   * Resolves once instance `id` has the store again after `lose`: the test double is given it
   * back, a real store gets it back by itself (and this only waits for `onRestored`).
   */
  waitRestored(id: string): Promise<void>;
  /** Closes every instance and removes the store's data. */
  dispose(): Promise<void>;
}

/** A cluster implementation the contract runs against. */
export interface ClusterImplementation {
  name: string;
  open(options: StoreOpenOptions): Promise<ClusterSubject>;
}

/**
 * A fresh subject for each test of the calling suite, disposed after it. What a store's listener
 * throws fails the test.
 */
export function clusterPerTest(implementation: ClusterImplementation) {
  let current: ClusterSubject | undefined;
  let listenerErrors: unknown[] = [];
  beforeEach(async () => {
    listenerErrors = [];
    current = await implementation.open({
      onListenerError: (error) => listenerErrors.push(error),
    });
  });
  afterEach(async () => {
    await current?.dispose();
    current = undefined;
    const unexpected = listenerErrors;
    listenerErrors = [];
    if (unexpected.length > 0) {
      throw new AggregateError(unexpected, 'a store listener threw during the test');
    }
  });
  return {
    get subject(): ClusterSubject {
      if (!current) throw new Error('clusterPerTest is only usable inside a test');
      return current;
    },
  };
}
