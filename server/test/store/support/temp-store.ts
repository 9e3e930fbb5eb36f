import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openSqliteStore, type SqliteStoreOptions } from '../../../src/store/sqlite-store.ts';
import type { Store } from '../../../src/store/store.ts';

/**
 * A real SQLite file in a fresh temp directory (in a subdirectory that does not exist yet, so
 * every test also checks that the store creates it). `reopen` closes and opens the same file,
 * which is what a server restart does.
 */
export function tempStore(options: SqliteStoreOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-store-'));
  const file = join(dir, 'data', 'tollgate.sqlite');
  let store: Store = openSqliteStore(file, options);
  return {
    file,
    get store() {
      return store;
    },
    async reopen(): Promise<Store> {
      await store.close();
      store = openSqliteStore(file, options);
      return store;
    },
    async dispose() {
      await store.close();
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
  setup?: (store: Store) => Promise<void> | void,
  options: SqliteStoreOptions = {},
) {
  let current: TempStore | undefined;
  beforeEach(async () => {
    current = tempStore(options);
    await setup?.(current.store);
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
