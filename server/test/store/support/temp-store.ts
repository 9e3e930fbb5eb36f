import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '../../../src/store/event-store.ts';
import { openSqliteEventStore } from '../../../src/store/sqlite-event-store.ts';

/**
 * A real SQLite file in a fresh temp directory (in a subdirectory that does not exist yet, so
 * every test also checks that the store creates it). `reopen` closes and opens the same file,
 * which is what a server restart does.
 */
export function tempStore() {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-store-'));
  const file = join(dir, 'data', 'tollgate.sqlite');
  let store: EventStore = openSqliteEventStore(file);
  return {
    file,
    get store() {
      return store;
    },
    reopen(): EventStore {
      store.close();
      store = openSqliteEventStore(file);
      return store;
    },
    dispose() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TempStore = ReturnType<typeof tempStore>;
