import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeEach } from 'vitest';
import type { Store } from '../../../src/store/store.ts';

/** How the contract suites open an implementation: listener errors go to the suite. */
export interface StoreOpenOptions {
  onListenerError: (error: unknown) => void;
}

/** One fresh, empty store under test, and what the contract needs to do around it. */
export interface StoreSubject {
  readonly store: Store;
  /** Closes the store and opens another on the same data, as a server restart does. */
  reopen(): Promise<Store>;
  /**
   * Makes the conversation's saved checkpoint look written by another MACHINE_VERSION, behind
   * the store's back, as an upgrade finds it; then reopens.
   */
  ageCheckpoint(conversationId: string): Promise<Store>;
  /** Closes the store (if it is open) and removes its data. */
  dispose(): Promise<void>;
}

/** A subject whose data outlives its process, so another process can write it. */
export interface PersistentStoreSubject extends StoreSubject {
  /**
   * Starts a process that opens this subject's data (the subject's own store must be closed),
   * creates `conversationId` and appends to it one entry at a time: `count` entries then waits,
   * or as many as it can until killed. It prints `appended <seq>` only after an append has
   * returned, and never closes the store (support/append-until-killed.ts).
   */
  spawnAppender(conversationId: string, count: number | 'forever'): ChildProcess;
}

/**
 * An implementation the contract suites run against. `persistent: false` declares one whose data
 * ends with its process (the memory double): the tests of surviving a killed process are not
 * registered for it.
 */
export type StoreImplementation =
  | { name: string; persistent: false; open(options: StoreOpenOptions): Promise<StoreSubject> }
  | {
      name: string;
      persistent: true;
      open(options: StoreOpenOptions): Promise<PersistentStoreSubject>;
    };

/**
 * A fresh subject for each test of the calling suite, disposed after it. What listeners throw
 * is collected: a test that expects it takes it with `takeListenerErrors`, and any other fails
 * the test (an `expect` inside a listener must not fail unseen).
 */
export function subjectPerTest<S extends StoreSubject>(
  open: (options: StoreOpenOptions) => Promise<S>,
) {
  let current: S | undefined;
  let listenerErrors: unknown[] = [];
  beforeEach(async () => {
    listenerErrors = [];
    current = await open({ onListenerError: (error) => listenerErrors.push(error) });
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
  const now = () => {
    if (!current) throw new Error('subjectPerTest is only usable inside a test');
    return current;
  };
  return {
    get subject() {
      return now();
    },
    get store() {
      return now().store;
    },
    takeListenerErrors(): unknown[] {
      const taken = listenerErrors;
      listenerErrors = [];
      return taken;
    },
  };
}
