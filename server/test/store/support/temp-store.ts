import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { EventStore } from '../../../src/store/event-store.ts';
import {
  openSqliteEventStore,
  type SqliteEventStoreOptions,
} from '../../../src/store/sqlite-event-store.ts';

/**
 * A real SQLite file in a fresh temp directory (in a subdirectory that does not exist yet, so
 * every test also checks that the store creates it). `reopen` closes and opens the same file,
 * which is what a server restart does.
 */
export function tempStore(options: SqliteEventStoreOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-store-'));
  const file = join(dir, 'data', 'tollgate.sqlite');
  let store: EventStore = openSqliteEventStore(file, options);
  return {
    file,
    get store() {
      return store;
    },
    reopen(): EventStore {
      store.close();
      store = openSqliteEventStore(file, options);
      return store;
    },
    dispose() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TempStore = ReturnType<typeof tempStore>;

/**
 * A fresh temp store for each test of the calling file: opened (and set up) before each test,
 * disposed after it. The returned object always speaks for the current test's store.
 */
export function tempStorePerTest(
  setup?: (store: EventStore) => void,
  options: SqliteEventStoreOptions = {},
) {
  let current: TempStore | undefined;
  beforeEach(() => {
    current = tempStore(options);
    setup?.(current.store);
  });
  afterEach(() => current?.dispose());
  const now = () => {
    if (!current) throw new Error('tempStorePerTest is only usable inside a test');
    return current;
  };
  return {
    get file() {
      return now().file;
    },
    get store() {
      return now().store;
    },
    reopen: () => now().reopen(),
  };
}
