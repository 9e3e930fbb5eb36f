import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MACHINE_VERSION } from '@tollgate/machines';
import Database from 'better-sqlite3';
import type { StoreImplementation } from './store-implementation.ts';
import { tempStore } from './temp-store.ts';

const APPENDER = fileURLToPath(new URL('./append-until-killed.ts', import.meta.url));
const SERVER_DIR = fileURLToPath(new URL('../../..', import.meta.url));

/** The SQLite store on a real file in a fresh temp directory. */
export const sqliteImplementation: StoreImplementation = {
  name: 'the SQLite store',
  persistent: true,
  async open(options) {
    const t = tempStore(options);
    return {
      get store() {
        return t.store;
      },
      reopen: () => t.reopen(),
      async ageCheckpoint(conversationId) {
        await t.store.close();
        const raw = new Database(t.file);
        raw
          .prepare('UPDATE checkpoints SET machine_version = ? WHERE conversation_id = ?')
          .run(MACHINE_VERSION + 1, conversationId);
        raw.close();
        return t.reopen();
      },
      dispose: () => t.dispose(),
      spawnAppender: (conversationId, count) =>
        spawn(
          process.execPath,
          ['--import', 'tsx', APPENDER, 'sqlite', t.file, conversationId, `${count}`],
          { cwd: SERVER_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
        ),
    };
  },
};
