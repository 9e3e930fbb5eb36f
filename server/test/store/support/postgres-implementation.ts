import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MACHINE_VERSION } from '@tollgate/machines';
import { openPostgresStore } from '../../../src/store/postgres-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { silentLogger } from '../../silent-logger.ts';
import { freshDatabase } from './postgres-databases.ts';
import type { StoreImplementation } from './store-implementation.ts';

const APPENDER = fileURLToPath(new URL('./append-until-killed.ts', import.meta.url));
const SERVER_DIR = fileURLToPath(new URL('../../..', import.meta.url));

/** The PostgreSQL store on a fresh database of its own (support/postgres-databases.ts). */
export const postgresImplementation: StoreImplementation = {
  name: 'the PostgreSQL store',
  persistent: true,
  async open(options) {
    const database = await freshDatabase();
    const open = () => openPostgresStore(database.url, { ...options, logger: silentLogger() });
    let store: Store = await open();
    const reopen = async () => {
      await store.close();
      store = await open();
      return store;
    };
    return {
      get store() {
        return store;
      },
      reopen,
      async ageCheckpoint(conversationId) {
        await store.close();
        await database.query(
          'UPDATE checkpoints SET machine_version = $1 WHERE conversation_id = $2',
          [MACHINE_VERSION + 1, conversationId],
        );
        return reopen();
      },
      async dispose() {
        await store.close();
        await database.drop();
      },
      spawnAppender: (conversationId, count) =>
        spawn(
          process.execPath,
          ['--import', 'tsx', APPENDER, 'postgres', database.url, conversationId, `${count}`],
          { cwd: SERVER_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
        ),
    };
  },
};
